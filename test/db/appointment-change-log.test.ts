import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

/** The change-feed rows written after `seq`, oldest first. */
async function changesAfter(f: Fixture, seq: number) {
  const { rows } = await sql<{ office_id: string | null; entity: string; entity_key: string }>`
    SELECT office_id, entity, entity_key FROM sync_change WHERE seq > ${seq} ORDER BY seq`.execute(f.ctx.db);
  return rows;
}

async function lastSeq(f: Fixture): Promise<number> {
  const { rows } = await sql<{ seq: string | null }>`SELECT max(seq) AS seq FROM sync_change`.execute(f.ctx.db);
  return Number(rows[0]?.seq ?? 0);
}

describe(`the change feed's log of appointments on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('notes each insert, update and delete under the office, and a move under both offices', async () => {
    f = await createFixture({ counters: 1 });
    await f.ctx.db
      .insertInto('office')
      .values({
        municipality_id: 'test',
        id: 'nord',
        name: 'Außenstelle Nord',
        address: 'Nordweg 2, 12345 Teststadt',
        phone: null,
        email: null,
      })
      .execute();
    const id = '0193a7e2-0000-7000-8000-00000000c0de';
    const before = await lastSeq(f);

    await sql`INSERT INTO appointment (id, reference, municipality_id, office_id, starts_at, ends_at, status, source, language, citizen_name, manage_token_hash)
      VALUES (${id}::uuid, 'CL-1', 'test', 'test', '2026-12-07T08:00:00Z', '2026-12-07T08:10:00Z', 'confirmed', 'online', 'de', 'Clara Log', 'hash-cl-1')`.execute(
      f.ctx.db,
    );
    await sql`UPDATE appointment SET status = 'checked_in' WHERE id = ${id}::uuid`.execute(f.ctx.db);
    await sql`UPDATE appointment SET office_id = 'nord' WHERE id = ${id}::uuid`.execute(f.ctx.db);
    await sql`DELETE FROM appointment WHERE id = ${id}::uuid`.execute(f.ctx.db);

    const entry = (office: string) => ({ office_id: office, entity: 'appointment', entity_key: id });
    expect(await changesAfter(f, before)).toEqual([entry('test'), entry('test'), entry('nord'), entry('test'), entry('nord')]);
  });
});
