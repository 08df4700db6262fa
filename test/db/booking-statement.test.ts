import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { bookAppointment, type BookingRequest } from '../../src/app/booking/book-appointment.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { createFixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

const at = (local: string) => Date.parse(`${local}+01:00`);
const request = (start: string, email: string): BookingRequest => ({
  officeId: 'test',
  start: at(start),
  // 20 minutes: four units, so a slot can be partly free.
  services: [{ serviceId: 'long', persons: 1 }],
  citizen: { name: 'Erika Mustermann', email },
  language: 'de',
});
const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : String(error));

/** Rolled-back transactions of the database so far; one connection, so this backend's own count is flushed first. */
async function rollbacks(f: Fixture): Promise<number> {
  await sql`SELECT pg_stat_force_next_flush()`.execute(f.ctx.db);
  const { rows } = await sql<{ n: string }>`SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`.execute(
    f.ctx.db,
  );
  return Number(rows[0]!.n);
}

describe(`the booking statement on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('answers a full or partly taken slot without aborting, so the release rush fills no server log with errors', async () => {
    f = await createFixture({ counters: 1, poolSize: 1, settings: { openAppointmentsPerContact: 1 } });
    await bookAppointment(f.ctx, request('2026-11-26T09:00:00', 'first@example.org'));
    const before = await rollbacks(f);
    // Full in every unit, then full only in its last unit (09:00–09:20 is taken, 08:45–09:05 overlaps it).
    expect(await bookAppointment(f.ctx, request('2026-11-26T09:00:00', 'second@example.org')).catch(codeOf)).toBe('slot_unavailable');
    expect(await bookAppointment(f.ctx, request('2026-11-26T08:45:00', 'second@example.org')).catch(codeOf)).toBe('slot_unavailable');
    // The same person again, on a free slot: refused by the per-contact limit, also without an abort.
    expect(await bookAppointment(f.ctx, request('2026-11-26T10:00:00', 'first@example.org')).catch(codeOf)).toBe('contact_limit_reached');
    expect(await rollbacks(f)).toBe(before);
    // Nothing of the refused attempts stayed behind: only the first booking's four seats.
    const { seats } = await f.ctx.db
      .selectFrom('capacity_unit')
      .select((eb) => eb.fn.sum<string>('load').as('seats'))
      .executeTakeFirstOrThrow();
    expect(Number(seats)).toBe(4);
    expect(await f.ctx.db.selectFrom('appointment').select('id').execute()).toHaveLength(1);
  });

  it('is parsed once per connection and planned once, also on the data of a district', async () => {
    f = await createFixture({ counters: 3, poolSize: 1, settings: { openAppointmentsPerContact: 1 } });
    // Nine more offices with two weeks of 5-minute units each, as in the storm bench: the planner's
    // figures for one office's day are those of a district, where a plan made for each booking's own
    // values used to look cheaper than the reusable one.
    await sql`INSERT INTO office (id, municipality_id, name, address) SELECT 'kreis-' || o, 'test', 'Amt ' || o, 'Weg ' || o FROM generate_series(1, 9) AS o`.execute(
      f.ctx.db,
    );
    await sql`INSERT INTO capacity_unit (municipality_id, office_id, starts_at, capacity)
      SELECT 'test', 'kreis-' || o, '2026-12-01T06:00:00Z'::timestamptz + d * interval '1 day' + u * interval '5 minutes', 6
      FROM generate_series(1, 9) AS o, generate_series(0, 13) AS d, generate_series(0, 131) AS u`.execute(f.ctx.db);
    await sql`ANALYZE capacity_unit`.execute(f.ctx.db);
    const starts = ['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00'];
    for (const [i, start] of starts.entries()) await bookAppointment(f.ctx, request(`2026-11-26T${start}:00`, `p${i}@example.org`));
    const { rows } = await sql<{ name: string; statement: string; generic_plans: string; custom_plans: string }>`
      SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements`.execute(f.ctx.db);
    const booking = rows.filter((r) => r.statement.includes('INSERT INTO appointment '));
    expect(booking).toHaveLength(1);
    expect(booking[0]!.name).toMatch(/^schalter_/);
    // PostgreSQL tries five plans for the actual values, then keeps the generic one if it costs no more.
    expect({ custom: Number(booking[0]!.custom_plans), generic: Number(booking[0]!.generic_plans) }).toEqual({ custom: 5, generic: 5 });
  });
});
