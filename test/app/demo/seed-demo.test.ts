import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import { DemoSeedRefusedError, isDatabaseEmpty, seedDemo } from '../../../src/app/demo/seed-demo.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';

const TZ = 'Europe/Berlin';
const dayStart = (date: string) => new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: TZ }).epochMilliseconds);

function contextAt(db: Database, fixedNow: number): AppContext {
  return createAppContext({
    db: db.db,
    now: () => fixedNow,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 60 },
  });
}

async function appointmentsOn(db: Database, officeId: string, date: string): Promise<number> {
  const row = await db.db
    .selectFrom('appointment')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', dayStart(date))
    .where('starts_at', '<', dayStart(Temporal.PlainDate.from(date).add({ days: 1 }).toString()))
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every unit's load must equal the appointments covering it, and never exceed its capacity. */
async function expectConsistentCapacity(db: Database): Promise<void> {
  const over = await db.db
    .selectFrom('capacity_unit')
    .selectAll()
    .where(sql<boolean>`load > capacity`)
    .execute();
  expect(over).toEqual([]);
  const { rows } = await sql<{ office_id: string; starts_at: Date; load: number; covering: string }>`
    SELECT u.office_id, u.starts_at, u.load, count(a.id) AS covering
    FROM capacity_unit u
    LEFT JOIN appointment a ON a.office_id = u.office_id AND a.starts_at <= u.starts_at AND a.ends_at > u.starts_at
    GROUP BY u.office_id, u.starts_at, u.load
    HAVING u.load <> count(a.id)
  `.execute(db.db);
  expect(rows).toEqual([]);
}

describe('demo seed (Musterstadt)', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('loads two offices, seven services and a booked-out Thursday, without queuing any mail', async () => {
    database = await createTestDb();
    const ctx = contextAt(database, Date.parse('2026-11-25T08:00:00Z'));
    expect(await isDatabaseEmpty(database.db)).toBe(true);

    const progress: [number, number, string][] = [];
    const started = performance.now();
    const result = await seedDemo(ctx, { onProgress: (done, total, label) => progress.push([done, total, label]) });
    console.info(`demo seed on ${database.kind}: ${Math.round(performance.now() - started)} ms`);

    expect(result.thursday).toBe('2026-11-26');
    expect(result).toMatchObject({ offices: 2, services: 7 });
    expect(await isDatabaseEmpty(database.db)).toBe(false);

    const offices = await database.db.selectFrom('office').selectAll().orderBy('id').execute();
    expect(offices.map((o) => [o.id, o.name, o.time_zone, o.holiday_region])).toEqual([
      ['nord', 'Stadtteilbüro Nord', TZ, 'DE-NW'],
      ['rathaus', 'Bürgerbüro Rathaus', TZ, 'DE-NW'],
    ]);
    const counters = await database.db.selectFrom('counter').select(['office_id', 'name']).execute();
    expect(counters).toHaveLength(8);
    expect(
      counters
        .filter((c) => c.office_id === 'rathaus')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Schalter 1', 'Schalter 2', 'Schalter 3', 'Schalter 4', 'Schalter 5', 'Schalter 6']);

    const services = await database.db.selectFrom('service').selectAll().orderBy('sort_order').execute();
    expect(services.map((s) => [s.id, s.duration_minutes, s.fee_cents])).toEqual([
      ['personalausweis', 20, 3700],
      ['reisepass', 20, 7000],
      ['wohnsitz', 15, null],
      ['meldebescheinigung', 10, 1000],
      ['beglaubigung', 10, 500],
      ['fuehrungszeugnis', 10, 1300],
      ['abholung', 5, null],
    ]);
    for (const s of services) {
      expect(s.documents_de.length).toBeGreaterThan(0);
      expect(s.documents_en).toHaveLength(s.documents_de.length);
    }
    const offered = await database.db.selectFrom('office_service').selectAll().execute();
    expect(offered).toHaveLength(14);
    const policy = await database.db.selectFrom('release_policy').selectAll().execute();
    expect(policy.map((p) => p.horizon_days)).toEqual([14, 14]);
    const exceptions = await database.db.selectFrom('staffing_exception').select(['date', 'appointment_counters']).execute();
    // As examples/musterstadt.yaml writes them (the demo is that town file).
    expect(exceptions.map((e) => e.date).sort()).toEqual([
      '2026-12-24',
      '2026-12-24',
      '2026-12-31',
      '2027-12-24',
      '2027-12-24',
      '2027-12-31',
    ]);

    const onThursday = await appointmentsOn(database, 'rathaus', '2026-11-26');
    expect(onThursday).toBeGreaterThanOrEqual(165);
    expect(onThursday).toBeLessThanOrEqual(175);
    const all = await database.db.selectFrom('appointment').selectAll().execute();
    expect(all).toHaveLength(result.appointments);
    const elsewhere = all.length - onThursday;
    expect(elsewhere).toBeGreaterThanOrEqual(2);
    expect(all.filter((a) => a.office_id === 'nord').length).toBeGreaterThanOrEqual(1);

    // Spread over the whole day, morning and the long afternoon.
    const hours = new Set(
      all
        .filter((a) => a.office_id === 'rathaus')
        .map((a) => Temporal.Instant.fromEpochMilliseconds(a.starts_at.getTime()).toZonedDateTimeISO(TZ).hour),
    );
    for (const hour of [8, 9, 10, 11, 12, 14, 15, 16, 17]) expect(hours).toContain(hour);

    for (const a of all) {
      expect(a.status).toBe('confirmed');
      expect(a.source).toBe('phone');
      expect(a.citizen_email ?? a.citizen_phone).toBeTruthy();
      if (a.citizen_email) expect(a.citizen_email).toMatch(/^[a-z0-9.-]+@example\.(org|com)$/);
    }
    expect(new Set(all.filter((a) => a.citizen_email).map((a) => a.citizen_email)).size).toBe(all.filter((a) => a.citizen_email).length);
    expect(all.some((a) => a.citizen_email === null)).toBe(true);
    expect(all.some((a) => a.language === 'en')).toBe(true);

    await expectConsistentCapacity(database);
    expect(await database.db.selectFrom('outbox').selectAll().execute()).toEqual([]);

    const last = progress.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    // An operator reads these lines: German first, English alongside, no ISO dates.
    expect(progress.filter(([, , label]) => !/ \/ /.test(label) || /\d{4}-\d{2}-\d{2}/.test(label))).toEqual([]);
    expect(progress.map(([, , label]) => label)).toContainEqual(expect.stringMatching(/^Termine am [A-Z][a-z]\., \d\d\.\d\d\.\d{4} \//));

    // A second start finds data and leaves it alone.
    await expect(seedDemo(ctx)).rejects.toBeInstanceOf(DemoSeedRefusedError);
    expect(await database.db.selectFrom('appointment').selectAll().execute()).toHaveLength(all.length);
    expect(await database.db.selectFrom('office').selectAll().execute()).toHaveLength(2);
  });

  it('skips a Thursday with special staffing or a holiday and can still book it beyond the released weeks', async () => {
    database = await createTestDb();
    // Friday 18 December 2026: 24 and 31 December are Thursdays with exceptions, so the demo day is
    // 7 January 2027, after the weeks released on Monday 14 December (up to 27 December).
    const ctx = contextAt(database, Date.parse('2026-12-18T08:00:00Z'));
    const result = await seedDemo(ctx);
    expect(result.thursday).toBe('2027-01-07');
    const onThursday = await appointmentsOn(database, 'rathaus', '2027-01-07');
    expect(onThursday).toBeGreaterThanOrEqual(165);
    expect(onThursday).toBeLessThanOrEqual(175);
    const policy = await database.db.selectFrom('release_policy').select('horizon_days').execute();
    expect(policy.map((p) => p.horizon_days)).toEqual([14, 14]);
    await expectConsistentCapacity(database);
    expect(await database.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });
});
