import { sql, type Kysely } from 'kysely';

// Issue #24 item 1: /gebaerdensprache shows the town's video in Deutsche Gebärdensprache (BITV 2.0 § 4)
// where the town file names one; NULL until a town has one (the page then says how to come with an
// interpreter). The branch receives it with the municipality row. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE municipality ADD COLUMN sign_language_video_url text`.execute(db);
}
