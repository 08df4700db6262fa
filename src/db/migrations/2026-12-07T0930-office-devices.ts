import { sql, type Kysely } from 'kysely';

// Enrolled devices of an office (kiosk, call display) and the short-lived pairing codes a team lead
// hands to them (decision record 0010). Only hashes of device tokens and codes are stored: a copy of
// these tables lets no one act as a device. Local to each node: a branch's devices are paired at the
// branch and never travel through the change feed.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE office_device (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id text NOT NULL REFERENCES office(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('kiosk','display')),
      token_hash text NOT NULL UNIQUE,
      paired_at timestamptz NOT NULL,
      paired_by text NOT NULL,
      last_seen_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX office_device_office ON office_device (office_id) WHERE revoked_at IS NULL;

    CREATE TABLE device_pairing (
      code_hash text PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      name text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX device_pairing_office ON device_pairing (office_id, expires_at);
  `.execute(db);
}
