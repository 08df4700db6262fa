import { sql, type Kysely } from 'kysely';

// The branch lease (issue #6): per office and day a share of the seats belongs to the branch node, so
// walk-in slots it gives during a partition and bookings taken centrally can never collide.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- leased: seats of the unit that only the branch gives away (same-day walk-in slots); central
    -- channels see capacity - leased. lease_load: how many of the unit's load are lease seats, so the
    -- central pool's load is load - lease_load. load <= capacity keeps holding for the unit as a whole.
    ALTER TABLE capacity_unit
      ADD COLUMN leased integer NOT NULL DEFAULT 0 CHECK (leased >= 0),
      ADD COLUMN lease_load integer NOT NULL DEFAULT 0 CHECK (lease_load >= 0);

    -- The database itself keeps central seat-takers (online, phone, replacement offers, closure job)
    -- out of the lease: a load increase that takes no lease seat and would fill the central pool
    -- beyond capacity - leased is skipped (a BEFORE trigger returning NULL), like the closed-seat guard.
    CREATE FUNCTION capacity_unit_lease_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.load > OLD.load AND NEW.lease_load <= OLD.lease_load
         AND NEW.load - NEW.lease_load > GREATEST(0, NEW.capacity - NEW.leased) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER capacity_unit_lease_guard BEFORE UPDATE OF load ON capacity_unit
      FOR EACH ROW WHEN (NEW.leased > 0) EXECUTE FUNCTION capacity_unit_lease_guard();

    -- The capacity plan travels down the change feed per office-local day (key 'YYYY-MM-DD'); only a
    -- change of the plan is noted, not every booking's load.
    CREATE FUNCTION sync_log_capacity_day() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT NEW.office_id, 'capacity_day', (NEW.starts_at AT TIME ZONE o.time_zone)::date::text FROM office o WHERE o.id = NEW.office_id;
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER capacity_unit_sync_insert AFTER INSERT ON capacity_unit FOR EACH ROW EXECUTE FUNCTION sync_log_capacity_day();
    CREATE TRIGGER capacity_unit_sync_update AFTER UPDATE ON capacity_unit FOR EACH ROW
      WHEN (OLD.capacity IS DISTINCT FROM NEW.capacity OR OLD.leased IS DISTINCT FROM NEW.leased OR OLD.held_back IS DISTINCT FROM NEW.held_back
        OR OLD.phone_reserved IS DISTINCT FROM NEW.phone_reserved OR OLD.closed IS DISTINCT FROM NEW.closed OR OLD.rebooking_only IS DISTINCT FROM NEW.rebooking_only)
      EXECUTE FUNCTION sync_log_capacity_day();

    -- A same-day walk-in slot given at the counter: whether it got lease seats. One beyond the lease
    -- is still given (the citizen is served) and flagged; centrally it becomes a Klärfall.
    CREATE TABLE lease_booking (
      appointment_id uuid PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      within_lease boolean NOT NULL,
      booked_at timestamptz NOT NULL
    );

    -- Klärfälle are settled by a team lead with a note.
    ALTER TABLE sync_work_item ADD COLUMN resolution_note text;
  `.execute(db);
}
