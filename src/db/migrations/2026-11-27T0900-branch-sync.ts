import { sql, type Kysely } from 'kysely';

// Branch node and central server (issue #6, docs/decisions/0006-branch-journal.md). Every node has
// all tables; a branch fills branch_*, the central server sync_*. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Branch: every counter action it applied, in the order it applied them (gapless seq).
    CREATE TABLE branch_journal (
      seq bigint PRIMARY KEY CHECK (seq > 0),
      op_id uuid NOT NULL UNIQUE,
      branch_id text NOT NULL,
      hlc text NOT NULL,
      office_id text NOT NULL,
      type text NOT NULL,
      command jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      -- Set when recovery from the journal file could not apply the entry locally (it is sent anyway).
      local_error jsonb
    );

    -- Branch: where the upload and the change feed stand (one row).
    CREATE TABLE branch_sync_state (
      branch_id text PRIMARY KEY,
      office_id text NOT NULL,
      acked_seq bigint NOT NULL DEFAULT 0,
      central_high_water bigint,
      last_contact_at timestamptz,
      last_error text,
      feed_cursor bigint NOT NULL DEFAULT 0
    );

    -- Central: an enrolled branch node, its credential (hash only) and the last seq applied from it.
    CREATE TABLE sync_branch (
      id text PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      high_water bigint NOT NULL DEFAULT 0,
      last_seen_at timestamptz,
      revoked_at timestamptz
    );

    -- Central: every op id applied, with its outcome, so a repeated upload gets the same answer.
    CREATE TABLE sync_applied_op (
      op_id uuid PRIMARY KEY,
      branch_id text NOT NULL REFERENCES sync_branch(id),
      seq bigint NOT NULL,
      hlc text NOT NULL,
      type text NOT NULL,
      command jsonb NOT NULL,
      outcome jsonb NOT NULL,
      applied_at timestamptz NOT NULL,
      UNIQUE (branch_id, seq)
    );

    -- Central: a Klärfall. Facts from a branch are never rejected; what does not fit becomes work for a team lead.
    CREATE TABLE sync_work_item (
      id uuid PRIMARY KEY,
      office_id text NOT NULL REFERENCES office(id),
      branch_id text,
      op_id uuid,
      kind text NOT NULL,
      message text NOT NULL,
      details jsonb,
      created_at timestamptz NOT NULL,
      resolved_at timestamptz,
      resolved_by text
    );
    CREATE INDEX sync_work_item_open ON sync_work_item (office_id, created_at) WHERE resolved_at IS NULL;
  `.execute(db);
}
