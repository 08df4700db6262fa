import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { applySetup, previewSetupChange, SetupShortfallError } from '../../../src/app/setup/apply-town-file.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';

// #21 "A change never silently hurts a booked citizen": a plan with fewer seats than are booked is
// refused with exactly the appointments that no longer fit; --close-affected cancels exactly those
// through the closure flow (one message each, a held replacement), and the capacity CHECK holds.

const NOW = Date.parse('2026-12-07T08:00:00Z');
// Without Süd's same-day share, so both of its seats can be booked ahead.
const FILE = fs
  .readFileSync(path.resolve(import.meta.dirname, '../../../examples/erlenbruch.yaml'), 'utf8')
  .replace('      sameDayShare: 0.2\n', '');
// Bürgerbüro Süd: two appointment counters Mon, Wed, Fri 08:00–12:00; one of them after the change.
const SUED_TWO = '{ days: [mon, wed, fri], from: "08:00", to: "12:00", appointmentCounters: 2 }';
const SUED_ONE = '{ days: [mon, wed, fri], from: "08:00", to: "12:00", appointmentCounters: 1 }';
const WEDNESDAY_0900 = Date.parse('2026-12-09T08:00:00Z');

let database: Database | undefined;
// Each booking a minute after the one before, so "booked last" is well defined.
let clock = NOW;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function erlenbruch(): Promise<AppContext> {
  database = await createTestDb();
  clock = NOW;
  const ctx = createAppContext({
    db: database.db,
    now: () => clock,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 30 },
  });
  await applySetup(ctx, FILE, { actor: 'cli' });
  return ctx;
}

async function book(ctx: AppContext, start: number, name: string, serviceId = 'meldebescheinigung') {
  clock += 60_000;
  const { appointment } = await bookAppointment(ctx, {
    officeId: 'sued',
    start,
    services: [{ serviceId, persons: 1 }],
    citizen: { name, email: `${name.toLowerCase().replace(' ', '.')}@example.org` },
    language: 'de',
    channel: 'phone',
    source: 'phone',
    actor: 'staff:test',
  });
  return appointment;
}

const overbooked = async (ctx: AppContext) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM capacity_unit WHERE load > capacity`.execute(ctx.db)).rows[0]!.n);

describe('a set-up with fewer seats than are booked', () => {
  it('is refused with exactly the appointments that no longer fit, and nothing changes', async () => {
    const ctx = await erlenbruch();
    const first = await book(ctx, WEDNESDAY_0900, 'Anna Weber');
    const second = await book(ctx, WEDNESDAY_0900, 'Jonas Becker');
    await book(ctx, WEDNESDAY_0900 + 3_600_000, 'Lea Koch');
    const fewer = FILE.replace(SUED_TWO, SUED_ONE);

    const preview = await previewSetupChange(ctx, fewer);
    // Of two at the same time the one booked last goes (domain/closure.ts: ties against the later booking).
    expect(preview.affectedAppointments.map((a) => [a.id, a.reference, a.officeId, a.start])).toEqual([
      [second.id, second.reference, 'sued', WEDNESDAY_0900],
    ]);
    expect(first.id).not.toBe(second.id);

    const error = await applySetup(ctx, fewer, { actor: 'cli' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupShortfallError);
    expect((error as SetupShortfallError).details).toEqual({
      affectedAppointments: [
        { id: second.id, reference: second.reference, officeId: 'sued', start: new Date(WEDNESDAY_0900).toISOString() },
      ],
    });
    const rule = await ctx.db
      .selectFrom('staffing_rule')
      .select('appointment_counters')
      .where('office_id', '=', 'sued')
      .where('weekday', '=', 3)
      .execute();
    expect(rule).toEqual([{ appointment_counters: 2 }]);
    expect(await ctx.db.selectFrom('setup_revision').select('revision').execute()).toHaveLength(1);
  });

  it('counts a service an office no longer offers as a shortfall', async () => {
    const ctx = await erlenbruch();
    const collect = await book(ctx, WEDNESDAY_0900, 'Paul Wagner', 'abholung');
    await book(ctx, WEDNESDAY_0900, 'Mia Schulz', 'meldebescheinigung');
    const without = FILE.replace(
      'services: [personalausweis, reisepass, wohnsitz, meldebescheinigung, beglaubigung, abholung]\n    counters: [{ number: 1 }, { number: 2 }]',
      'services: [personalausweis, reisepass, wohnsitz, meldebescheinigung, beglaubigung]\n    counters: [{ number: 1 }, { number: 2 }]',
    );
    expect(without).not.toBe(FILE);
    const preview = await previewSetupChange(ctx, without);
    expect(preview.changes.map((c) => c.de)).toEqual(['Standort „Bürgerbüro Süd“: Dienstleistungen − Ausweis oder Pass abholen']);
    expect(preview.affectedAppointments).toMatchObject([{ id: collect.id, why: 'service' }]);
  });

  it('with closeAffected: exactly those are cancelled, each person gets one message and a held replacement', async () => {
    const ctx = await erlenbruch();
    const kept = await book(ctx, WEDNESDAY_0900, 'Anna Weber');
    const moved = await book(ctx, WEDNESDAY_0900, 'Jonas Becker');
    const fewer = FILE.replace(SUED_TWO, SUED_ONE);

    const result = await applySetup(ctx, fewer, { actor: 'cli', closeAffected: { reason: 'Personalmangel' } });
    expect(result.applied).toBe(true);
    expect(result.affectedAppointments.map((a) => a.id)).toEqual([moved.id]);
    expect(result.closureIds).toHaveLength(1);

    const status = async (id: string) =>
      (await ctx.db.selectFrom('appointment').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await status(moved.id)).toBe('cancelled');
    expect(['reserved', 'confirmed']).toContain(await status(kept.id));

    const closure = await ctx.db.selectFrom('closure').selectAll().where('id', '=', result.closureIds[0]!).executeTakeFirstOrThrow();
    expect(closure).toMatchObject({
      office_id: 'sued',
      reason: 'Personalmangel',
      state: 'done',
      setup_revision: result.revision!.revision,
    });
    expect(await ctx.db.selectFrom('closure_item').select(['appointment_id', 'state']).execute()).toEqual([
      { appointment_id: moved.id, state: 'done' },
    ]);
    const notices = await ctx.db
      .selectFrom('outbox')
      .select(['recipient', 'dedupe_key'])
      .where('dedupe_key', 'like', 'closure:%')
      .execute();
    expect(notices).toEqual([{ recipient: 'jonas.becker@example.org', dedupe_key: `closure:${closure.id}:${moved.id}` }]);
    const offers = await ctx.db
      .selectFrom('replacement_offer')
      .select(['original_appointment_id', 'state', 'held_appointment_id'])
      .execute();
    expect(offers).toMatchObject([{ original_appointment_id: moved.id, state: 'held' }]);
    const held = await ctx.db
      .selectFrom('appointment')
      .select(['office_id', 'status', 'starts_at'])
      .where('id', '=', offers[0]!.held_appointment_id!)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('reserved');

    // The new plan is in force: one seat at 09:00 on Wednesday, held by the appointment that stayed.
    const unit = await ctx.db
      .selectFrom('capacity_unit')
      .select(['capacity', 'load'])
      .where('office_id', '=', 'sued')
      .where('starts_at', '=', new Date(WEDNESDAY_0900))
      .executeTakeFirstOrThrow();
    expect(unit).toEqual({ capacity: 1, load: 1 });
    expect(await overbooked(ctx)).toBe(0);
    // Applying the same file again changes nothing and tells nobody again.
    expect((await applySetup(ctx, fewer, { actor: 'cli', closeAffected: { reason: 'Personalmangel' } })).applied).toBe(false);
    expect(await ctx.db.selectFrom('outbox').select('id').where('dedupe_key', 'like', 'closure:%').execute()).toHaveLength(1);
  });

  it('applied while 50 bookings run: no unit ends up overbooked', async () => {
    const ctx = await erlenbruch();
    const fewer = FILE.replace(SUED_TWO, SUED_ONE);
    const starts = Array.from({ length: 50 }, (_, i) => WEDNESDAY_0900 + (i % 24) * 10 * 60_000 + Math.floor(i / 24) * 2 * 86_400_000);
    const bookings = starts.map((start, i) =>
      book(ctx, start, `Person ${i}`).then(
        () => 'booked',
        (e: { code?: string }) => e.code ?? 'error',
      ),
    );
    const apply = applySetup(ctx, fewer, { actor: 'cli', closeAffected: { reason: 'Personalmangel' } }).then(
      (r) => (r.applied ? 'applied' : 'unchanged'),
      (e: { code?: string }) => e.code ?? String(e),
    );
    const outcomes = await Promise.all(bookings);
    expect(await apply).toBe('applied');
    expect(outcomes.filter((o) => o !== 'booked' && o !== 'slot_unavailable')).toEqual([]);
    expect(await overbooked(ctx)).toBe(0);
    const again = await previewSetupChange(ctx, fewer);
    expect(again).toMatchObject({ changes: [], affectedAppointments: [] });
  });

  it('a removed office with bookings: refused, or with closeAffected retired with its appointments cancelled', async () => {
    const ctx = await erlenbruch();
    const { appointment } = await bookAppointment(ctx, {
      officeId: 'lindenau',
      start: Date.parse('2026-12-08T08:00:00Z'),
      services: [{ serviceId: 'wohnsitz', persons: 1 }],
      citizen: { name: 'Karl Dorf', email: 'karl.dorf@example.org' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'staff:test',
    });
    const withoutLindenau = FILE.slice(0, FILE.indexOf('  - id: lindenau'));
    const preview = await previewSetupChange(ctx, withoutLindenau);
    expect(preview.changes).toContainEqual(expect.objectContaining({ action: 'removed', subject: 'office', id: 'lindenau' }));
    expect(preview.affectedAppointments).toMatchObject([{ id: appointment.id, officeId: 'lindenau', why: 'office' }]);
    await expect(applySetup(ctx, withoutLindenau, { actor: 'cli' })).rejects.toBeInstanceOf(SetupShortfallError);

    await applySetup(ctx, withoutLindenau, { actor: 'cli', closeAffected: { reason: 'Das Bürgerbüro Lindenau schließt' } });
    const office = await ctx.db.selectFrom('office').select('retired_at').where('id', '=', 'lindenau').executeTakeFirstOrThrow();
    expect(office.retired_at).not.toBeNull();
    const seats = await ctx.db
      .selectFrom('capacity_unit')
      .select((eb) => eb.fn.sum<string>('capacity').as('n'))
      .where('office_id', '=', 'lindenau')
      .where('starts_at', '>=', new Date(NOW))
      .executeTakeFirst();
    expect(Number(seats?.n ?? 0)).toBe(0);
    expect(await ctx.db.selectFrom('outbox').select('recipient').where('dedupe_key', 'like', 'closure:%').execute()).toEqual([
      { recipient: 'karl.dorf@example.org' },
    ]);
    expect(await overbooked(ctx)).toBe(0);
  });
});
