import { sql, type Kysely } from 'kysely';

// Appointment reminders (#5) carry a cancel link of their own: the manage token is stored only as a
// hash, so the reminder cannot repeat it, and issuing a new one would break the link in the
// confirmation mail. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE appointment_reminder ADD COLUMN cancel_token_hash text UNIQUE;
    ALTER TABLE appointment_reminder ADD COLUMN channel text CHECK (channel IN ('email','sms'));
    -- The reminder job looks for confirmed appointments starting within the next day, all offices.
    CREATE INDEX appointment_confirmed_start ON appointment (starts_at) WHERE status = 'confirmed';
  `.execute(db);
}
