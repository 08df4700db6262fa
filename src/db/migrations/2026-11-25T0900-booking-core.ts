import { sql, type Kysely } from 'kysely';

// Forward-only. Every statement must run unchanged on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE office (
      id text PRIMARY KEY,
      name text NOT NULL,
      address text NOT NULL,
      phone text,
      email text,
      time_zone text NOT NULL DEFAULT 'Europe/Berlin',
      holiday_region text NOT NULL DEFAULT 'DE-NW',
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE counter (
      office_id text NOT NULL REFERENCES office(id),
      number integer NOT NULL CHECK (number > 0),
      name text NOT NULL,
      PRIMARY KEY (office_id, number)
    );

    CREATE TABLE service (
      id text PRIMARY KEY,
      name_de text NOT NULL,
      name_en text NOT NULL,
      duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
      fee_cents integer CHECK (fee_cents >= 0),
      online_bookable boolean NOT NULL DEFAULT true,
      max_persons integer NOT NULL DEFAULT 5 CHECK (max_persons > 0),
      documents_de text[] NOT NULL DEFAULT '{}',
      documents_en text[] NOT NULL DEFAULT '{}',
      sort_order integer NOT NULL DEFAULT 0
    );

    CREATE TABLE office_service (
      office_id text NOT NULL REFERENCES office(id),
      service_id text NOT NULL REFERENCES service(id),
      PRIMARY KEY (office_id, service_id)
    );

    -- Weekly staffing: counters open for appointments per weekday and time range (office-local wall time).
    CREATE TABLE staffing_rule (
      id serial PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
      start_time text NOT NULL,
      end_time text NOT NULL,
      appointment_counters integer NOT NULL CHECK (appointment_counters >= 0),
      walkin_counters integer NOT NULL DEFAULT 0 CHECK (walkin_counters >= 0)
    );

    -- A date that differs from the weekly plan: closed (0 counters) or reduced staff, optionally for part of the day.
    CREATE TABLE staffing_exception (
      id serial PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      date date NOT NULL,
      start_time text,
      end_time text,
      appointment_counters integer NOT NULL CHECK (appointment_counters >= 0),
      reason text NOT NULL
    );
    CREATE INDEX staffing_exception_office_date ON staffing_exception (office_id, date);

    CREATE TABLE release_policy (
      office_id text PRIMARY KEY REFERENCES office(id),
      release_weekday integer NOT NULL CHECK (release_weekday BETWEEN 1 AND 7),
      release_time text NOT NULL,
      horizon_days integer NOT NULL CHECK (horizon_days > 0),
      same_day_share numeric NOT NULL CHECK (same_day_share >= 0 AND same_day_share < 1),
      same_day_release_time text NOT NULL,
      phone_share numeric NOT NULL CHECK (phone_share >= 0 AND phone_share < 1),
      min_lead_minutes integer NOT NULL CHECK (min_lead_minutes >= 0)
    );

    -- One row per office and 5-minute unit. load <= capacity is invariant 1, held by the database itself.
    -- held_back: seats released only on the day itself; phone_reserved: seats only staff may book.
    CREATE TABLE capacity_unit (
      office_id text NOT NULL REFERENCES office(id),
      starts_at timestamptz NOT NULL,
      capacity integer NOT NULL CHECK (capacity >= 0),
      held_back integer NOT NULL DEFAULT 0 CHECK (held_back >= 0),
      phone_reserved integer NOT NULL DEFAULT 0 CHECK (phone_reserved >= 0),
      load integer NOT NULL DEFAULT 0,
      PRIMARY KEY (office_id, starts_at),
      CONSTRAINT capacity_unit_not_overbooked CHECK (load >= 0 AND load <= capacity)
    );

    CREATE TABLE appointment (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      reference text NOT NULL UNIQUE,
      office_id text NOT NULL REFERENCES office(id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('reserved','confirmed','checked_in','called','served','no_show','cancelled','expired')),
      source text NOT NULL CHECK (source IN ('online','phone','counter','rebooking')),
      language text NOT NULL CHECK (language IN ('de','en')),
      citizen_name text,
      citizen_email text,
      citizen_phone text,
      manage_token_hash text NOT NULL UNIQUE,
      confirmation_code_hash text,
      reserved_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    );
    CREATE INDEX appointment_office_start ON appointment (office_id, starts_at);
    CREATE INDEX appointment_reserved_until ON appointment (reserved_until) WHERE status = 'reserved';

    CREATE TABLE appointment_service (
      appointment_id uuid NOT NULL REFERENCES appointment(id) ON DELETE CASCADE,
      service_id text NOT NULL REFERENCES service(id),
      persons integer NOT NULL CHECK (persons > 0),
      PRIMARY KEY (appointment_id, service_id)
    );

    -- Every status change, who made it and why: the audit trail and the source of statistics.
    CREATE TABLE appointment_event (
      id bigserial PRIMARY KEY,
      appointment_id uuid NOT NULL REFERENCES appointment(id) ON DELETE CASCADE,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      from_status text,
      to_status text,
      details jsonb
    );
    CREATE INDEX appointment_event_appointment ON appointment_event (appointment_id);

    -- Messages are written in the same transaction as the change they report and sent by a worker.
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      channel text NOT NULL CHECK (channel IN ('email','sms')),
      recipient text NOT NULL,
      subject text,
      body_text text NOT NULL,
      body_html text,
      attachments jsonb NOT NULL DEFAULT '[]',
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sending','sent','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'queued';
  `.execute(db);
}
