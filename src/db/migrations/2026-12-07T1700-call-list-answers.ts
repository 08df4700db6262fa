import { sql, type Kysely } from 'kysely';

// Issue #22, defect 2: a clerk who reaches a person on the call list records the answer to the held
// replacement, not only that the call went through: accepted (the hold becomes the appointment),
// declined (the hold is released), other_time (released; the clerk books another time by phone).
// The entry's state stays 'reached' for all three. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE call_list_entry DROP CONSTRAINT call_list_entry_last_outcome_check;
    ALTER TABLE call_list_entry ADD CONSTRAINT call_list_entry_last_outcome_check
      CHECK (last_outcome IN ('reached', 'not_reached', 'voicemail', 'accepted', 'declined', 'other_time'));
  `.execute(db);
}
