import { sql, type Kysely } from 'kysely';

// The per-contact count asks "email matches OR phone matches" among open appointments
// (open_appointments_of_contact, app/contact-limit.ts). Both partial indexes had the same predicate,
// so either one could serve the other's half by a full scan. With a year of history the planner's
// figures for the open appointments lag far behind (autovacuum analyses a table of a million rows
// only after 100,000 changes): it took both indexes for empty, scanned all of the open-phone index
// and filtered every open appointment by email — 3 ms per booking once a release had filled a few
// thousand, growing with every booking. With a NOT NULL in each predicate an index answers only its
// own half, and the count is a BitmapOr of two lookups whatever the statistics say (0.1 ms).
// Forward-only; PostgreSQL 15+ and PGlite. Building them reads the appointment table once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX appointment_open_email`.execute(db);
  await sql`DROP INDEX appointment_open_phone`.execute(db);
  await sql`CREATE INDEX appointment_open_email ON appointment (lower(citizen_email))
            WHERE status IN ('reserved', 'confirmed') AND lower(citizen_email) IS NOT NULL`.execute(db);
  await sql`CREATE INDEX appointment_open_phone ON appointment (citizen_phone)
            WHERE status IN ('reserved', 'confirmed') AND citizen_phone IS NOT NULL`.execute(db);
}
