import { sql, type Kysely } from 'kysely';

// Issue #20: each town's mails go out with its own sender (municipality.mail_from, the town file's
// mailFrom). The sender is written with the message when it is queued, not looked up when it is
// sent: a town file applied in between, or a crash and a retry hours later, must not change who a
// message already queued came from. NULL: the installation's MAIL_FROM (rows queued before this
// migration, and messages of no town). Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox ADD COLUMN mail_from text`.execute(db);
}
