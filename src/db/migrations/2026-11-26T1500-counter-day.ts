import { sql, type Kysely } from 'kysely';

// The day at the office: queue tickets, counters, the call display, document pickup, fees.
// Forward-only. Every statement must run unchanged on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Per-office queue settings. walkin_quota NULL: derived from the staffing plan's walk-in counters.
    CREATE TABLE office_queue_settings (
      office_id text PRIMARY KEY REFERENCES office(id),
      walkin_quota integer CHECK (walkin_quota >= 0),
      walkin_minutes integer NOT NULL DEFAULT 15 CHECK (walkin_minutes > 0),
      checkin_early_minutes integer NOT NULL DEFAULT 30 CHECK (checkin_early_minutes >= 0),
      checkin_late_minutes integer NOT NULL DEFAULT 15 CHECK (checkin_late_minutes >= 0)
    );

    -- Who works at which counter right now.
    CREATE TABLE counter_station (
      office_id text NOT NULL REFERENCES office(id),
      counter_number integer NOT NULL,
      actor text NOT NULL,
      opened_at timestamptz NOT NULL,
      PRIMARY KEY (office_id, counter_number)
    );

    -- The last number given out per office, day and kind ('T' appointments, 'S' walk-ins). The row
    -- lock of the upsert serialises numbering and makes the walk-in quota exact under concurrency.
    CREATE TABLE ticket_sequence (
      office_id text NOT NULL REFERENCES office(id),
      day date NOT NULL,
      prefix text NOT NULL CHECK (prefix IN ('T','S')),
      last integer NOT NULL,
      PRIMARY KEY (office_id, day, prefix)
    );

    -- A waiting number (Wartenummer) of one office day.
    CREATE TABLE ticket (
      id uuid PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      day date NOT NULL,
      label text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('appointment','walkin')),
      appointment_id uuid REFERENCES appointment(id),
      service_id text REFERENCES service(id),
      state text NOT NULL CHECK (state IN ('waiting','called','served','no_show','cancelled')),
      priority boolean NOT NULL DEFAULT false,
      due_at timestamptz,
      arrived_at timestamptz NOT NULL,
      called_at timestamptz,
      call_count integer NOT NULL DEFAULT 0,
      counter_number integer,
      target_counter integer,
      finished_at timestamptz,
      UNIQUE (office_id, day, label)
    );
    CREATE INDEX ticket_open ON ticket (office_id, day) WHERE state IN ('waiting','called');
    CREATE UNIQUE INDEX ticket_one_per_appointment ON ticket (appointment_id) WHERE appointment_id IS NOT NULL;

    -- Every call (and call again) as the display shows it; the id is the display's event id.
    CREATE TABLE queue_call (
      id bigserial PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      day date NOT NULL,
      ticket_id uuid NOT NULL REFERENCES ticket(id),
      label text NOT NULL,
      counter_number integer NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX queue_call_office_day ON queue_call (office_id, day, id);

    -- ID cards, passports, … produced elsewhere and collected here.
    CREATE TABLE document_order (
      id uuid PRIMARY KEY,
      order_number text NOT NULL UNIQUE,
      office_id text NOT NULL REFERENCES office(id),
      kind text NOT NULL CHECK (kind IN ('id_card','passport','child_passport','residence_permit','other')),
      holder_name text NOT NULL,
      citizen_email text,
      citizen_phone text,
      language text NOT NULL DEFAULT 'de' CHECK (language IN ('de','en')),
      state text NOT NULL CHECK (state IN ('in_production','ready','handed_out','returned')),
      source text NOT NULL CHECK (source IN ('import','api','counter')),
      ready_at timestamptz,
      handed_out_at timestamptz,
      handed_out_to text CHECK (handed_out_to IN ('holder','authorised')),
      authorised_name text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX document_order_office_state ON document_order (office_id, state);

    CREATE TABLE document_event (
      id bigserial PRIMARY KEY,
      document_order_id uuid NOT NULL REFERENCES document_order(id),
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      from_state text,
      to_state text,
      details jsonb
    );
    CREATE INDEX document_event_order ON document_event (document_order_id);

    -- Fees taken at the counter.
    CREATE TABLE counter_payment (
      id uuid PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      ticket_id uuid REFERENCES ticket(id),
      appointment_id uuid REFERENCES appointment(id),
      document_order_id uuid REFERENCES document_order(id),
      amount_cents integer NOT NULL CHECK (amount_cents >= 0),
      method text NOT NULL CHECK (method IN ('cash','card')),
      at timestamptz NOT NULL,
      actor text NOT NULL
    );
    CREATE INDEX counter_payment_office_at ON counter_payment (office_id, at);
  `.execute(db);
}
