import { randomBytes } from 'node:crypto';
import { createAppContext } from '../../src/app/app-context.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import type { AppSettings } from '../../src/app/shared/settings.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import type { Database } from '../../src/db/connection.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createTestDb } from './test-db.ts';

/** Wednesday 2026-11-25 08:00 in Berlin: the weekly release of Monday 23rd is open through Sunday 6 Dec. */
export const WEDNESDAY_0800 = Date.parse('2026-11-25T07:00:00Z');

export type Clock = { now: () => number; set(ms: number): void; advance(ms: number): void };

export function fixedClock(start: number): Clock {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms), advance: (ms) => (current += ms) };
}

export type Fixture = {
  database: Database;
  ctx: AppContext;
  clock: Clock;
  app: ReturnType<typeof createHttpApp>;
  close(): Promise<void>;
};

/**
 * A small town of our own instead of the demo data, so each test states the capacity it relies on:
 * office `test` with `counters` appointment counters Mon–Fri 08:00–12:00, everything released weekly,
 * no held-back or phone seats, no lead time.
 */
export async function createFixture(
  options: { counters?: number; now?: number; settings?: Partial<AppSettings>; poolSize?: number; openDb?: () => Promise<Database> } = {},
): Promise<Fixture> {
  // openDb: e.g. a branch node's embedded database beside a central one on PostgreSQL.
  const database = await (options.openDb?.() ?? createTestDb({ poolSize: options.poolSize }));
  const clock = fixedClock(options.now ?? WEDNESDAY_0800);
  const ctx = createAppContext({
    db: database.db,
    now: clock.now,
    randomBytes: (n) => randomBytes(n),
    // No per-contact limit unless a test asks for one: most tests book as one citizen again and again.
    settings: {
      publicUrl: 'http://schalter.test',
      confirmation: 'email',
      reservationMinutes: 30,
      capacityDays: 21,
      openAppointmentsPerContact: null,
      ...options.settings,
    },
  });
  await seedTestTown(ctx, options.counters ?? 1);
  await materializeCapacity(ctx);
  const app = createHttpApp({ ctx, dbKind: database.kind, rateLimitPerMinute: null, log: () => {} });
  return { database, ctx, clock, app, close: () => database.close() };
}

async function seedTestTown(ctx: AppContext, counters: number): Promise<void> {
  const { db } = ctx;
  // Town `test` has no municipality row: mails and legal links come from the settings, as on an
  // installation without a town file; every office and service belongs to a town all the same (#20).
  await db
    .insertInto('office')
    .values([{ municipality_id: 'test', id: 'test', name: 'Testamt', address: 'Teststraße 1, 12345 Teststadt', phone: null, email: null }])
    .execute();
  await db
    .insertInto('service')
    .values([
      { municipality_id: 'test', id: 'short', name_de: 'Kurz', name_en: 'Short', duration_minutes: 10, fee_cents: null, sort_order: 1 },
      {
        municipality_id: 'test',
        id: 'long',
        name_de: 'Lang',
        name_en: 'Long',
        duration_minutes: 20,
        fee_cents: 3700,
        sort_order: 2,
        documents_de: ['Passfoto'],
        documents_en: ['Photo'],
      },
      {
        municipality_id: 'test',
        id: 'counter-only',
        name_de: 'Nur am Schalter',
        name_en: 'Counter only',
        duration_minutes: 5,
        fee_cents: null,
        online_bookable: false,
        sort_order: 3,
      },
    ])
    .execute();
  await db
    .insertInto('office_service')
    .values(['short', 'long', 'counter-only'].map((service_id) => ({ office_id: 'test', service_id })))
    .execute();
  await db
    .insertInto('staffing_rule')
    .values(
      [1, 2, 3, 4, 5].map((weekday) => ({
        office_id: 'test',
        weekday,
        start_time: '08:00',
        end_time: '12:00',
        appointment_counters: counters,
      })),
    )
    .execute();
  await db
    .insertInto('release_policy')
    .values({
      office_id: 'test',
      release_weekday: 1,
      release_time: '07:00',
      horizon_days: 14,
      same_day_share: 0,
      same_day_release_time: '07:00',
      phone_share: 0,
      min_lead_minutes: 0,
    })
    .execute();
}

export async function postJson(app: Fixture['app'], path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function loadOf(fixture: Fixture, startIso: string): Promise<number> {
  const row = await fixture.database.db
    .selectFrom('capacity_unit')
    .select('load')
    .where('office_id', '=', 'test')
    .where('starts_at', '=', new Date(startIso))
    .executeTakeFirstOrThrow();
  return row.load;
}

/** Response bodies in tests are checked field by field, so they are read untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}
