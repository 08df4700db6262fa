import { sql, type Kysely } from 'kysely';

// Issue #22, call display: a notice line the team lead sets („Heute ab 12 Uhr nur Abholung“). Its own
// table, not a column of office_queue_settings: those rows are the town file's rules, and applying
// the file would wipe a notice the file does not know. The change feed carries it to the branch, whose
// display shows it while the central server is gone. No rows yet, so no branch cursor is reset.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE display_notice (
      office_id text PRIMARY KEY REFERENCES office(id),
      text_de text NOT NULL CHECK (length(text_de) BETWEEN 1 AND 200),
      text_en text CHECK (text_en IS NULL OR length(text_en) BETWEEN 1 AND 200),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE TRIGGER display_notice_sync AFTER INSERT OR UPDATE OR DELETE ON display_notice
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'display_notice', 'office_id');
  `.execute(db);
}
