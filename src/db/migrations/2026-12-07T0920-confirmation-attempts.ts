import { sql, type Kysely } from 'kysely';

// Wrong confirmation codes per reservation (issue 15 item 6): six digits are a million guesses, and
// without a count a script had the whole reservation time to try them. Counted under the row lock
// that confirming takes anyway; at 5 the reservation is released (src/app/manage-appointment.ts).
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE appointment ADD COLUMN confirmation_failures smallint NOT NULL DEFAULT 0`.execute(db);
}
