import { sql, type Kysely } from 'kysely';

// Fair release window (issue #7): booking requests collected in the first minutes after a release
// and decided by lottery. One entry per person (contact key), office and wave: duplicates collapse
// on the unique key. The citizen holds the status token; only its hash is stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE release_request (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      office_id text NOT NULL REFERENCES office (id),
      wave_released_at timestamptz NOT NULL,
      window_closes_at timestamptz NOT NULL,
      contact_key text NOT NULL,
      starts_at timestamptz NOT NULL,
      services jsonb NOT NULL,
      citizen_name text NOT NULL,
      citizen_email text,
      citizen_phone text,
      language text NOT NULL,
      draw bigint NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'booked', 'unavailable')),
      outcome_code text,
      appointment_id uuid REFERENCES appointment (id),
      created_at timestamptz NOT NULL,
      decided_at timestamptz,
      CONSTRAINT release_request_one_per_contact UNIQUE (office_id, wave_released_at, contact_key)
    );
    CREATE INDEX release_request_pending ON release_request (window_closes_at, draw) WHERE state = 'pending';
  `.execute(db);
}
