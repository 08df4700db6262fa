import { sql, type Kysely } from 'kysely';

// Issue #17, item 4: the service level — the share of people called within 15 / 30 minutes of their
// appointment time (or of arriving, when they came late; walk-ins from arriving). stat_hourly counts
// them by the hour of arrival, next to `arrivals` (2026-12-07T2800-stat-arrivals), the denominator.
// The watermarks are cleared, so the next refresh recomputes history; until then the columns read 0.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE stat_hourly ADD COLUMN called_within_15 integer NOT NULL DEFAULT 0;
    ALTER TABLE stat_hourly ADD COLUMN called_within_30 integer NOT NULL DEFAULT 0;
    DELETE FROM stat_watermark;
  `.execute(db);
}
