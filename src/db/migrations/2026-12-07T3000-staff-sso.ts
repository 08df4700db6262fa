import { sql, type Kysely } from 'kysely';

// Issue #23 item 4, single sign-on for staff (docs/decisions/0016-staff-sso.md). oidc_subject ties an
// account to the person at the town's identity provider ("issuer sub", unique); login_method says how
// a session was opened: a session of the identity provider needs no second factor of Schalter's own
// (the provider asks for it), a password session does. Not in the change feed: the branch logs people
// in with their branch PIN, whichever way they log in centrally.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE staff_user ADD COLUMN oidc_subject text UNIQUE;
    ALTER TABLE staff_session ADD COLUMN login_method text NOT NULL DEFAULT 'password' CHECK (login_method IN ('password', 'sso'));
  `.execute(db);
}
