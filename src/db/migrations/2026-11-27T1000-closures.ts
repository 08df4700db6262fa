import { sql, type Kysely } from 'kysely';

// Closures, replacement offers, the staff call list, the waiting list and delivery states.
// Forward-only. Every statement must run unchanged on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- closed: seats taken out of service by closures. The seat rule subtracts them, so a closed unit
    -- accepts no booking while its appointments are still being cancelled (load may exceed capacity - closed;
    -- load <= capacity still holds). rebooking_only: extra seats opened only for replacement offers.
    ALTER TABLE capacity_unit
      ADD COLUMN closed integer NOT NULL DEFAULT 0 CHECK (closed >= 0),
      ADD COLUMN rebooking_only integer NOT NULL DEFAULT 0 CHECK (rebooking_only >= 0);

    -- The database itself refuses a seat in closed capacity, whatever code path books: a row whose load
    -- would rise above capacity - closed is skipped (a BEFORE trigger returning NULL), so the booking
    -- UPDATE sees one unit fewer and answers slot_unavailable. Only units with closed > 0 pay for it.
    CREATE FUNCTION capacity_unit_closed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.load > OLD.load AND NEW.load > GREATEST(0, NEW.capacity - NEW.closed) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER capacity_unit_closed_guard BEFORE UPDATE OF load ON capacity_unit
      FOR EACH ROW WHEN (NEW.closed > 0) EXECUTE FUNCTION capacity_unit_closed_guard();

    ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
    ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('queued','sending','sent','failed','bounced'));

    -- Appointment reminders: one row once the reminder is queued, so it is queued once.
    CREATE TABLE appointment_reminder (
      appointment_id uuid PRIMARY KEY REFERENCES appointment(id) ON DELETE CASCADE,
      queued_at timestamptz NOT NULL
    );

    CREATE TABLE closure (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      office_id text NOT NULL REFERENCES office(id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      -- NULL: the whole office; otherwise the counters taken out of service.
      counters integer[],
      reason text NOT NULL,
      notify boolean NOT NULL,
      offer_replacements boolean NOT NULL,
      hold_hours integer NOT NULL CHECK (hold_hours > 0),
      state text NOT NULL CHECK (state IN ('running','done')),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      finished_at timestamptz,
      CHECK (ends_at > starts_at)
    );
    CREATE INDEX closure_office_range ON closure (office_id, ends_at);

    -- One row per affected appointment: the persisted state machine of the closure job.
    CREATE TABLE closure_item (
      closure_id uuid NOT NULL REFERENCES closure(id),
      appointment_id uuid NOT NULL REFERENCES appointment(id),
      state text NOT NULL CHECK (state IN ('pending','done','skipped')),
      channel text NOT NULL CHECK (channel IN ('email','sms','call','none')),
      original_start timestamptz NOT NULL,
      message_key text,
      offer_id uuid,
      processed_at timestamptz,
      PRIMARY KEY (closure_id, appointment_id)
    );
    CREATE INDEX closure_item_pending ON closure_item (closure_id, original_start) WHERE state = 'pending';

    -- A held replacement slot. The hold itself is an appointment in status 'reserved' (source
    -- 'rebooking') whose reserved_until is the offer's deadline: it takes seats like any booking.
    CREATE TABLE replacement_offer (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      closure_id uuid REFERENCES closure(id),
      original_appointment_id uuid NOT NULL REFERENCES appointment(id),
      held_appointment_id uuid REFERENCES appointment(id),
      token_hash text NOT NULL UNIQUE,
      state text NOT NULL CHECK (state IN ('held','accepted','declined','expired','none')),
      expires_at timestamptz NOT NULL,
      remind_at timestamptz,
      reminded_at timestamptz,
      decided_at timestamptz,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX replacement_offer_due ON replacement_offer (expires_at) WHERE state = 'held';
    CREATE INDEX replacement_offer_remind ON replacement_offer (remind_at) WHERE state = 'held' AND reminded_at IS NULL;
    CREATE INDEX replacement_offer_closure ON replacement_offer (closure_id);

    -- People the office must phone: no email and no mobile number, or a message that could not be delivered.
    CREATE TABLE call_list_entry (
      id bigserial PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      closure_id uuid REFERENCES closure(id),
      appointment_id uuid NOT NULL REFERENCES appointment(id),
      offer_id uuid REFERENCES replacement_offer(id),
      reason text NOT NULL CHECK (reason IN ('no_channel','delivery_failed')),
      state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','reached','voicemail')),
      last_outcome text CHECK (last_outcome IN ('reached','not_reached','voicemail')),
      attempts integer NOT NULL DEFAULT 0,
      handled_by text,
      handled_at timestamptz,
      note text,
      created_at timestamptz NOT NULL,
      UNIQUE (appointment_id, closure_id)
    );
    CREATE INDEX call_list_open ON call_list_entry (office_id, created_at) WHERE state = 'open';

    CREATE TABLE waiting_list_entry (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      services jsonb NOT NULL,
      office_ids text[] NOT NULL,
      earliest_date date NOT NULL,
      latest_date date NOT NULL,
      weekdays integer[] NOT NULL,
      from_time text NOT NULL,
      to_time text NOT NULL,
      citizen_name text NOT NULL,
      citizen_email text,
      citizen_phone text,
      language text NOT NULL CHECK (language IN ('de','en')),
      token_hash text NOT NULL UNIQUE,
      state text NOT NULL CHECK (state IN ('waiting','offered','booked','left','expired')),
      offer_id uuid REFERENCES replacement_offer(id),
      joined_at timestamptz NOT NULL,
      CHECK (latest_date >= earliest_date)
    );
    CREATE INDEX waiting_list_waiting ON waiting_list_entry (joined_at) WHERE state = 'waiting';
    ALTER TABLE replacement_offer ADD COLUMN waiting_entry_id uuid REFERENCES waiting_list_entry(id);
  `.execute(db);
}
