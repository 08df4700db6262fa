import { sql, type Kysely } from 'kysely';

// Statistics (#8): hourly facts refreshed from the recorded status changes, a daily lead-time
// snapshot, walk-ins sent away, and a log of the statistics and retention jobs. No personal data.
// Forward-only. Every statement must run unchanged on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per office, service ('*' = the office's totals), office-local day and hour.
    -- The histograms hold whole minutes 0..179 and a last bucket for 180 and more.
    CREATE TABLE stat_hourly (
      office_id text NOT NULL REFERENCES office(id),
      service_id text NOT NULL,
      day date NOT NULL,
      hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
      booked integer NOT NULL DEFAULT 0,
      served integer NOT NULL DEFAULT 0,
      no_show integer NOT NULL DEFAULT 0,
      cancelled_citizen integer NOT NULL DEFAULT 0,
      cancelled_office integer NOT NULL DEFAULT 0,
      walkins_served integer NOT NULL DEFAULT 0,
      walkins_turned_away integer NOT NULL DEFAULT 0,
      waits integer NOT NULL DEFAULT 0,
      wait_seconds bigint NOT NULL DEFAULT 0,
      wait_histogram integer[] NOT NULL,
      processed integer NOT NULL DEFAULT 0,
      processing_seconds bigint NOT NULL DEFAULT 0,
      processing_histogram integer[] NOT NULL,
      -- Counter time staffed for appointments in this hour (only on the '*' row).
      staffed_seconds bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (office_id, service_id, day, hour)
    );
    CREATE INDEX stat_hourly_office_day ON stat_hourly (office_id, day);

    -- Where the incremental refresh stopped: the last appointment_event, queue_call, audit_log
    -- and walkin_refusal ids already folded into stat_hourly.
    CREATE TABLE stat_watermark (
      name text PRIMARY KEY,
      last_id bigint NOT NULL
    );

    -- Days until the next free slot, measured once a day (the last measurement of the day wins).
    CREATE TABLE lead_time_snapshot (
      office_id text NOT NULL REFERENCES office(id),
      service_id text NOT NULL REFERENCES service(id),
      day date NOT NULL,
      measured_at timestamptz NOT NULL,
      lead_days integer,
      first_free timestamptz,
      PRIMARY KEY (office_id, service_id, day)
    );

    -- A walk-in sent away because the day's walk-in quota was used up.
    CREATE TABLE walkin_refusal (
      id bigserial PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      service_id text,
      at timestamptz NOT NULL
    );

    -- Every run of the statistics refresh and the retention job, with what it did.
    CREATE TABLE job_run (
      id bigserial PRIMARY KEY,
      job text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      details jsonb
    );
    CREATE INDEX job_run_job ON job_run (job, started_at);

    -- Range reads of events by time (refresh of one office day; retention).
    CREATE INDEX appointment_event_at ON appointment_event (at);
    CREATE INDEX appointment_ends_at ON appointment (ends_at);
  `.execute(db);
}
