import { sql, type Kysely } from 'kysely';

// Issue #19, the audit log viewer (/staff/verwaltung/protokoll): newest first across every office
// (admins), filtered by person (actor) or action, a page of 50 at a time. audit_log_office_at already
// serves the office filter; these serve the rest without reading the whole log, which grows with
// every day plan shown. A plain CREATE INDEX holds writes to audit_log while it builds (seconds for
// a few million rows): run the upgrade outside opening hours on a large central installation.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX audit_log_at ON audit_log (at, id);
    CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
    CREATE INDEX audit_log_action_at ON audit_log (action, at);
  `.execute(db);
}
