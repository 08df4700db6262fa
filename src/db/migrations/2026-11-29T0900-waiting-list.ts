import { sql, type Kysely } from 'kysely';

// The waiting list (#5) and the demand figures that depend on it (#8). Forward-only; the same SQL
// runs on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A waiting-list offer is a replacement_offer without an original appointment: it holds a seat the
    -- same way (a reserved appointment until the deadline), but nobody's appointment was cancelled.
    ALTER TABLE replacement_offer ALTER COLUMN original_appointment_id DROP NOT NULL;
    ALTER TABLE replacement_offer ADD CONSTRAINT replacement_offer_origin
      CHECK (original_appointment_id IS NOT NULL OR waiting_entry_id IS NOT NULL);
    CREATE INDEX replacement_offer_waiting_entry ON replacement_offer (waiting_entry_id) WHERE waiting_entry_id IS NOT NULL;

    -- When an entry left the line (booked, left, expired): retention counts its period from here.
    ALTER TABLE waiting_list_entry ADD COLUMN ended_at timestamptz;
    CREATE INDEX waiting_list_open ON waiting_list_entry (joined_at) WHERE state IN ('waiting', 'offered');

    -- Searches that found nothing, per office, service and office-local day. Counted in memory on the
    -- search path and added here by each process every minute (no database round trip per search).
    CREATE TABLE stat_search_miss (
      office_id text NOT NULL,
      service_id text NOT NULL,
      day date NOT NULL,
      misses integer NOT NULL CHECK (misses >= 0),
      PRIMARY KEY (office_id, day, service_id)
    );

    -- Waiting-list length per office, service and day: the last measurement of the day.
    CREATE TABLE stat_waiting_list (
      office_id text NOT NULL,
      service_id text NOT NULL,
      day date NOT NULL,
      waiting integer NOT NULL CHECK (waiting >= 0),
      measured_at timestamptz NOT NULL,
      PRIMARY KEY (office_id, day, service_id)
    );
  `.execute(db);
}
