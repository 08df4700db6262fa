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

/**
 * A history of served appointments, analysed while nothing was open, as a server is before a
 * release (autovacuum analyses a table of a million rows again only after 100,000 changes), then
 * 2,000 open appointments of 'short', person1 … person2000, even ones with a phone number too.
 */
async function seedHistoryAndOpenAppointments(f: Fixture): Promise<void> {
  const insertAppointments = (status: string, from: string) =>
    sql`
    INSERT INTO appointment (id, reference, municipality_id, office_id, starts_at, ends_at, status, source, language, citizen_name, citizen_email, citizen_phone, manage_token_hash)
    SELECT gen_random_uuid(), ${status} || g, 'test', 'test', ${from}::timestamptz + g * interval '1 minute', ${from}::timestamptz + g * interval '1 minute' + interval '10 minutes',
      ${status}, 'online', 'de', 'Person ' || g, 'person' || g || '@example.org', CASE WHEN g % 2 = 0 THEN '+4917' || g END, md5(${status} || g)
    FROM generate_series(1, 2000) AS g`.execute(f.ctx.db);
  await insertAppointments('served', '2026-01-05T08:00:00Z');
  await sql`ANALYZE appointment`.execute(f.ctx.db);
  await insertAppointments('confirmed', '2026-11-26T08:00:00Z');
  await sql`INSERT INTO appointment_service (appointment_id, municipality_id, service_id, persons) SELECT id, municipality_id, 'short', 1 FROM appointment`.execute(
    f.ctx.db,
  );
}

describe(`the per-contact count on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('looks the person up by index even while the statistics still say no appointment is open', async () => {
    f = await createFixture({ counters: 1, poolSize: 1 });
    await seedHistoryAndOpenAppointments(f);

    await buffersOfCount(f, 'person7@example.org'); // the first call compiles the function
    // A few index pages and the person's own rows, not a pass over the 2,000 open appointments.
    expect(await buffersOfCount(f, 'person7@example.org')).toBeLessThan(40);
    expect(await buffersOfCount(f, 'nobody@example.org')).toBeLessThan(40);
    const { rows } = await sql<{
      n: string;
    }>`SELECT open_appointments_of_contact('person7@example.org', NULL, ARRAY['short'], ${new Date(f.clock.now())}) AS n`.execute(f.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('leaves out seats held for unanswered offers, and finds them by index even while a large closure holds 1,500', async () => {
    f = await createFixture({ counters: 1, poolSize: 1 });
    await seedHistoryAndOpenAppointments(f);
    // A large closure yesterday: person1 … person1500 hold a seat for an unanswered offer. Everyone
    // else's appointment came from an accepted one (their served appointment of January stands for the
    // one a closure cancelled).
    await sql`UPDATE appointment SET status = 'reserved' WHERE status = 'confirmed' AND citizen_name IN (SELECT 'Person ' || g FROM generate_series(1, 1500) AS g)`.execute(
      f.ctx.db,
    );
    await sql`
      INSERT INTO replacement_offer (original_appointment_id, held_appointment_id, token_hash, state, expires_at, created_at)
      SELECT o.id, h.id, md5(h.reference), CASE h.status WHEN 'reserved' THEN 'held' ELSE 'accepted' END, now(), now()
      FROM appointment h JOIN appointment o ON o.citizen_name = h.citizen_name AND o.status = 'served'
      WHERE h.status IN ('reserved', 'confirmed')`.execute(f.ctx.db);
    await sql`ANALYZE replacement_offer`.execute(f.ctx.db);

    const count = async (email: string, exclude: string[] = []) => {
      const { rows } = await sql<{
        n: string;
      }>`SELECT open_appointments_of_contact(${email}, NULL, ARRAY['short'], ${new Date(f!.clock.now())}, ${exclude}::uuid[]) AS n`.execute(
        f!.ctx.db,
      );
      return Number(rows[0]!.n);
    };
    expect(await count('person7@example.org')).toBe(0);
    expect(await count('person1700@example.org')).toBe(1);
    const own = await f.ctx.db
      .selectFrom('appointment')
      .select('id')
      .where('citizen_email', '=', 'person1700@example.org')
      .where('status', '=', 'confirmed')
      .executeTakeFirstOrThrow();
    expect(await count('person1700@example.org', [own.id])).toBe(0);

    // One lookup per appointment of the person among the offers held now, not a pass over all of them
    // (about 18 buffers, 50 or more without the partial index). The first calls plan the function's
    // query anew each time, as on a connection that has booked only a few times.
    for (let i = 0; i < 6; i++) await buffersOfCount(f, 'person7@example.org');
    expect(await buffersOfCount(f, 'person7@example.org')).toBeLessThan(35);
    expect(await buffersOfCount(f, 'person1700@example.org')).toBeLessThan(35);
  });
});
