import { sql, type Kysely } from 'kysely';

// Issue #17, item 5: „Gebucht“ counted bookings by the day they were made, next to „Bedient“ counted
// by the day of the appointment. The hourly facts now also count the appointments of each hour by the
// hour they were for: kept (appointments_due) and cancelled (appointments_cancelled). The watermarks
// are cleared, so the next statistics refresh recomputes every office day from the raw records
// (chunked, as on a first start); until it has run, the new columns read 0.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE stat_hourly ADD COLUMN appointments_due integer NOT NULL DEFAULT 0;
    ALTER TABLE stat_hourly ADD COLUMN appointments_cancelled integer NOT NULL DEFAULT 0;
    DELETE FROM stat_watermark;
  `.execute(db);
}
