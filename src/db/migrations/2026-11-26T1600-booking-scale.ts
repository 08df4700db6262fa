import { sql, type Kysely } from 'kysely';

// Indexes for the booking hot path at district scale (issue #7): the per-contact limit looks up a
// person's open appointments; without these it would scan a year of history on every booking.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX appointment_open_email ON appointment (lower(citizen_email)) WHERE status IN ('reserved', 'confirmed');
    CREATE INDEX appointment_open_phone ON appointment (citizen_phone) WHERE status IN ('reserved', 'confirmed');
  `.execute(db);
}
