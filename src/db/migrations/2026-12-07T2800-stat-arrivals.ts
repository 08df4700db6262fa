import { sql, type Kysely } from 'kysely';

// Issue #17, item 2: hourly staffing needs arrivals by hour, and the hourly facts counted waits only
// (people called), not everyone who came. stat_hourly now also counts tickets by the hour of
// arrival — all of them (arrivals) and the walk-ins among them (walkin_arrivals). The watermarks are
// cleared, so the next statistics refresh recomputes every office day from the raw records (as
// 2026-12-07T2150 did); until it has run, the new columns read 0.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE stat_hourly ADD COLUMN arrivals integer NOT NULL DEFAULT 0;
    ALTER TABLE stat_hourly ADD COLUMN walkin_arrivals integer NOT NULL DEFAULT 0;
    DELETE FROM stat_watermark;
  `.execute(db);
}
