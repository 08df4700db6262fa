import { sql, type Kysely } from 'kysely';

// Issue #18, item 1: a Klärfall said „(Notbetrieb)“ for every operation the central server refused
// on replay, also when the branch had been connected all the time (the queue settings were not fed,
// and the two sides simply applied different rules). The branch now records with each entry whether
// it was cut off when it recorded it — what its banner said at that moment — and the journal sends
// it along; the central server words the Klärfall by it. NULL: recorded before this column existed,
// and unknown. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE branch_journal ADD COLUMN cut_off boolean`.execute(db);
}
