import { sql, type Kysely } from 'kysely';

// Issue #22, appointment handling: a note of the office on an appointment („bringt Dolmetscherin mit“,
// „Unterlagen per Post nachgereicht“), for staff only. A column of the appointment, not a table: one
// note per appointment, gone with the appointment's personal data at the end of its retention. Never
// in the citizen's view, mails or the change feed (the branch's copy carries contact data minimally).
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE appointment ADD COLUMN staff_note text
      CHECK (staff_note IS NULL OR length(staff_note) BETWEEN 1 AND 1000);
  `.execute(db);
}
