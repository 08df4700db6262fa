import { sql, type Kysely } from 'kysely';

// Branch credentials (issue 15, item 1; docs/decisions/0009-branch-credentials.md).
// Until now the change feed sent every branch the argon2 password hash and the TOTP secret of every
// admin and of the office's staff; from now on a branch learns only a PIN valid at branches. What was
// sent before must stop working: on the central server the accounts whose secrets were sendable lose
// their password and second factor (an operator gives each a new one-time password, `schalter user
// reset`); on a branch every secret it holds is wiped. One migration for both: a branch is the node that has a
// branch_sync_state row, the central server (or a standalone town with branches) the one that has
// sync_branch rows. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- argon2id of the person's branch PIN: verified only by the branch nodes of their offices,
    -- never by the central login. NULL: none set yet.
    ALTER TABLE staff_user ADD COLUMN branch_pin_hash text;

    -- Central: every admin (the old feed sent all of them to every branch) and everyone assigned to an
    -- office that ever had a branch node, revoked or not. The marker '!revoked' verifies no password.
    WITH rotated AS (
      UPDATE staff_user u
         SET password_hash = '!revoked', must_change_password = true, totp_secret = NULL, totp_last_counter = NULL, updated_at = now()
       WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state)
         AND EXISTS (SELECT 1 FROM sync_branch)
         AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM staff_user_office o JOIN sync_branch b ON b.office_id = o.office_id WHERE o.user_id = u.id))
      RETURNING u.id
    ), ended AS (
      DELETE FROM staff_session WHERE user_id IN (SELECT id FROM rotated)
    )
    INSERT INTO audit_log (at, actor, action, entity, entity_id, details)
    SELECT now(), 'system', 'staff_user.credentials_revoked', 'staff_user', id::text, '{"reason":"sent_to_branch_nodes"}'::jsonb FROM rotated;

    -- Branch: no secret of the central server stays here. Accounts come back from the feed with their
    -- branch PIN once it is set; admins are not sent any more and cannot log in here.
    UPDATE staff_user SET password_hash = '!no-branch-pin', totp_secret = NULL, totp_last_counter = NULL, must_change_password = false
     WHERE EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE staff_user SET disabled_at = coalesce(disabled_at, now())
     WHERE role = 'admin' AND EXISTS (SELECT 1 FROM branch_sync_state);
    DELETE FROM staff_session WHERE EXISTS (SELECT 1 FROM branch_sync_state);
  `.execute(db);
}
