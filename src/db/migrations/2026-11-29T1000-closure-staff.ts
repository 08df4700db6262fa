import { sql, type Kysely } from 'kysely';

// The municipality's own wording of the closure notice (#5). One database serves one municipality,
// so one row per message kind and language is "per municipality"; without a row the built-in text
// of src/app/messages/closure-messages.ts is used. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE message_template (
      kind text NOT NULL CHECK (kind IN ('closure_notice')),
      language text NOT NULL CHECK (language IN ('de', 'en')),
      -- The paragraph that says the appointment is cancelled (mail); null: built-in.
      intro text CHECK (intro IS NULL OR length(intro) <= 2000),
      -- The whole SMS; null: built-in.
      sms text CHECK (sms IS NULL OR length(sms) <= 480),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (kind, language)
    );
  `.execute(db);
}
