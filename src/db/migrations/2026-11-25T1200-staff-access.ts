import { sql, type Kysely } from 'kysely';

// Staff accounts, sessions, API tokens, login throttling and the audit log.
// Forward-only. Every statement must run unchanged on PostgreSQL 15+ and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE staff_user (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      display_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('clerk','teamlead','admin')),
      password_hash text NOT NULL,
      must_change_password boolean NOT NULL DEFAULT true,
      -- Base32 TOTP secret once enrolled; the last accepted time step stops a code being used twice.
      totp_secret text,
      totp_last_counter bigint,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE staff_user_office (
      user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
      office_id text NOT NULL REFERENCES office(id),
      PRIMARY KEY (user_id, office_id)
    );

    -- Only a hash of the session id is stored: a copy of this table does not let anyone log in.
    CREATE TABLE staff_session (
      id_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      totp_verified_at timestamptz,
      totp_pending_secret text,
      office_id text REFERENCES office(id),
      ip text,
      user_agent text
    );
    CREATE INDEX staff_session_user ON staff_session (user_id);

    CREATE TABLE api_token (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('clerk','teamlead','admin')),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    CREATE TABLE api_token_office (
      token_id uuid NOT NULL REFERENCES api_token(id) ON DELETE CASCADE,
      office_id text NOT NULL REFERENCES office(id),
      PRIMARY KEY (token_id, office_id)
    );

    -- Failed logins per key ('account:<email>' or 'ip:<address>'); kept in the database so that
    -- every process behind a load balancer counts the same attempts.
    CREATE TABLE login_failure (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX login_failure_key_at ON login_failure (key, at);

    -- Who read or changed what, when (invariant 6). Written in the transaction of the change it records.
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      office_id text,
      details jsonb
    );
    CREATE INDEX audit_log_office_at ON audit_log (office_id, at);
    CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
  `.execute(db);
}
