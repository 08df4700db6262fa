import { sql, type Kysely } from 'kysely';

// Issue #19, staff accounts: when each person last completed a login (the accounts page shows it),
// and the one-time recovery codes issued at TOTP enrolment. Only a hash of each code is stored
// (app/staff/recovery-codes.ts says why SHA-256 suffices); used codes stay with used_at, so the
// page can say how many remain. Never part of the change feed: a branch node gets no second factor.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE staff_user ADD COLUMN last_login_at timestamptz;
    CREATE TABLE staff_recovery_code (
      user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
      code_hash text NOT NULL,
      created_at timestamptz NOT NULL,
      used_at timestamptz,
      PRIMARY KEY (user_id, code_hash)
    );
  `.execute(db);
}
