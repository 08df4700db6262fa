import { sql, type Kysely } from 'kysely';

// What the town file (#21, docs/decisions/0011-town-file.md) says that the tables could not hold yet.
// Additive only, with defaults that keep existing rows meaning what they meant: a staffing line
// every week and always valid, an exception of one day with the plan's walk-in counters, no own
// closing days, each further person as long as the first, no municipality row (the environment's
// MAIL_FROM and legal URLs stay the fallback). Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE municipality (
      id text PRIMARY KEY,
      name text NOT NULL,
      site_title text,
      -- The logo as written in the file (a path relative to it) and its bytes as apply read them.
      logo_file text,
      logo bytea,
      logo_media_type text,
      mail_from text NOT NULL,
      phone text,
      imprint_url text NOT NULL,
      privacy_url text NOT NULL,
      accessibility_url text,
      default_language text NOT NULL DEFAULT 'de' CHECK (default_language IN ('de','en')),
      holiday_region text NOT NULL DEFAULT 'DE-NW',
      closed_days text[] NOT NULL DEFAULT '{}',
      CHECK ((logo IS NULL) = (logo_media_type IS NULL))
    );

    -- Region and closing days are stored as the office's effective values, so readers need only the
    -- office row. retired_at: removed from the town file; kept because appointments and statistics
    -- name it, and no longer offered. municipality_id without a foreign key: a branch node mirrors
    -- offices and services through the change feed, but not the municipality row.
    ALTER TABLE office
      ADD COLUMN municipality_id text,
      ADD COLUMN directions_de text,
      ADD COLUMN directions_en text,
      ADD COLUMN accessibility_de text,
      ADD COLUMN accessibility_en text,
      ADD COLUMN closed_days text[] NOT NULL DEFAULT '{}',
      ADD COLUMN retired_at timestamptz;

    -- duration_further_minutes NULL: each further person takes as long as the first.
    ALTER TABLE service
      ADD COLUMN municipality_id text,
      ADD COLUMN duration_further_minutes integer CHECK (duration_further_minutes > 0),
      ADD COLUMN description_de text,
      ADD COLUMN description_en text,
      ADD COLUMN retired_at timestamptz;

    -- Fees by rule (Personalausweis under 24): shown with the service; the clerk applies them.
    CREATE TABLE service_fee_rule (
      service_id text NOT NULL REFERENCES service(id),
      position integer NOT NULL CHECK (position >= 0),
      label_de text NOT NULL,
      label_en text NOT NULL,
      fee_cents integer NOT NULL CHECK (fee_cents >= 0),
      age_below integer CHECK (age_below > 0),
      PRIMARY KEY (service_id, position)
    );

    -- Rows only for counters restricted to some services; a counter without rows serves every
    -- service of its office. Capacity stays pooled (interchangeable counters); this is for calling.
    CREATE TABLE counter_service (
      office_id text NOT NULL,
      counter_number integer NOT NULL,
      service_id text NOT NULL REFERENCES service(id),
      PRIMARY KEY (office_id, counter_number, service_id),
      FOREIGN KEY (office_id, counter_number) REFERENCES counter(office_id, number) ON DELETE CASCADE
    );

    -- Every n-th week counted in 7-day steps from starting_from (src/domain/week-pattern.ts), and
    -- a validity range (inclusive) so next quarter's plan can be entered today.
    ALTER TABLE staffing_rule
      ADD COLUMN every_weeks integer NOT NULL DEFAULT 1 CHECK (every_weeks >= 1),
      ADD COLUMN starting_from date,
      ADD COLUMN valid_from date,
      ADD COLUMN valid_to date,
      ADD CONSTRAINT staffing_rule_repeat_check CHECK (every_weeks = 1 OR starting_from IS NOT NULL),
      ADD CONSTRAINT staffing_rule_valid_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to);

    -- end_date: the last day of a range (inclusive); walkin_counters NULL: as the weekly plan.
    ALTER TABLE staffing_exception
      ADD COLUMN end_date date,
      ADD COLUMN walkin_counters integer CHECK (walkin_counters >= 0),
      ADD CONSTRAINT staffing_exception_range_check CHECK (end_date IS NULL OR end_date >= date);

    -- Rules of an office that were global settings before; without a row the environment's apply.
    CREATE TABLE office_settings (
      office_id text PRIMARY KEY REFERENCES office(id),
      confirmation text NOT NULL CHECK (confirmation IN ('email','none')),
      reminder_hours integer NOT NULL CHECK (reminder_hours > 0),
      waiting_list_hold_minutes integer NOT NULL CHECK (waiting_list_hold_minutes > 0),
      replacement_hold_hours integer NOT NULL CHECK (replacement_hold_hours > 0)
    );

    -- One row per applied change of a town's set-up: the ETag of the admin endpoint to come, and the
    -- signal for other processes that their catalogue snapshot is stale.
    CREATE TABLE setup_revision (
      revision integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      municipality_id text NOT NULL REFERENCES municipality(id),
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL,
      applied_by text NOT NULL
    );
    CREATE INDEX setup_revision_municipality ON setup_revision (municipality_id, revision);
  `.execute(db);
}
