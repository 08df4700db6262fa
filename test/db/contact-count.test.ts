import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

type Plan = { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } };

/** Buffers the per-contact count touches for one person (the function's own queries count with it). */
async function buffersOfCount(f: Fixture, email: string): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': Plan[] }>`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
    SELECT open_appointments_of_contact(${email}, NULL, ARRAY['short'], ${new Date(f.clock.now())})`.execute(f.ctx.db);
  const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
  return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
}

describe(`the per-contact count on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('looks the person up by index even while the statistics still say no appointment is open', async () => {
    f = await createFixture({ counters: 1, poolSize: 1 });
    // A history of served appointments, analysed while nothing was open, as a server is before a
    // release: autovacuum analyses a table of a million rows again only after 100,000 changes.
    const insertAppointments = (status: string, from: string) => sql`
      INSERT INTO appointment (id, reference, office_id, starts_at, ends_at, status, source, language, citizen_name, citizen_email, citizen_phone, manage_token_hash)
      SELECT gen_random_uuid(), ${status} || g, 'test', ${from}::timestamptz + g * interval '1 minute', ${from}::timestamptz + g * interval '1 minute' + interval '10 minutes',
        ${status}, 'online', 'de', 'Person ' || g, 'person' || g || '@example.org', CASE WHEN g % 2 = 0 THEN '+4917' || g END, md5(${status} || g)
      FROM generate_series(1, 2000) AS g`.execute(f!.ctx.db);
    await insertAppointments('served', '2026-01-05T08:00:00Z');
    await sql`ANALYZE appointment`.execute(f.ctx.db);
    await insertAppointments('confirmed', '2026-11-26T08:00:00Z');
    await sql`INSERT INTO appointment_service (appointment_id, service_id, persons) SELECT id, 'short', 1 FROM appointment`.execute(f.ctx.db);

    await buffersOfCount(f, 'person7@example.org'); // the first call compiles the function
    // A few index pages and the person's own rows, not a pass over the 2,000 open appointments.
    expect(await buffersOfCount(f, 'person7@example.org')).toBeLessThan(40);
    expect(await buffersOfCount(f, 'nobody@example.org')).toBeLessThan(40);
    const { rows } = await sql<{ n: string }>`SELECT open_appointments_of_contact('person7@example.org', NULL, ARRAY['short'], ${new Date(f.clock.now())}) AS n`.execute(f.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
