import { sql, type Kysely } from 'kysely';
import { branchPinProblems } from '../../domain/branch-credentials.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { hashPassword, verifyPassword } from './staff-secrets.ts';

// The branch PIN (docs/decisions/0009-branch-credentials.md): what a person types at the office PC
// (the branch node) instead of the password, set on the central server after a full login there.
// Only its argon2id hash leaves the central server, to the branch nodes of the person's offices;
// the central login never accepts it.

/** Works at an office with a branch node (not revoked) and has no PIN yet: the login asks for one. */
export async function needsBranchPin(db: Kysely<DB>, user: { id: string; branch_pin_hash: string | null }): Promise<boolean> {
  if (user.branch_pin_hash !== null) return false;
  const row = await db
    .selectFrom('staff_user_office as o')
    .innerJoin('sync_branch as b', 'b.office_id', 'o.office_id')
    .select('o.office_id')
    .where('o.user_id', '=', user.id)
    .where('b.revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets the PIN of a logged-in person. The current password is asked again: a session left open at
 * a desk must not be enough to choose the PIN someone else will then use at the counter.
 */
export async function setBranchPin(ctx: AppContext, input: { userId: string; password: string; pin: string }): Promise<void> {
  const user = await ctx.db.selectFrom('staff_user').select(['id', 'password_hash']).where('id', '=', input.userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, input.password)))
    throw new DomainError('invalid_credentials', 'The password is wrong');
  const problems = branchPinProblems(input.pin);
  if (problems.length > 0) throw new DomainError('weak_branch_pin', 'The branch PIN is not allowed', { problems });
  const pinHash = await hashPassword(input.pin);
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    // The row's change is logged for the change feed: the branches of the person's offices get the new hash.
    await trx
      .updateTable('staff_user')
      .set({ branch_pin_hash: pinHash, updated_at: new Date(now) })
      .where('id', '=', user.id)
      .execute();
    await audit(trx, { actor: `staff:${user.id}`, action: 'staff_user.branch_pin_set', entity: 'staff_user', entityId: user.id, at: now });
  });
}

/**
 * After an office PC was stolen (or its branch revoked for any reason): the PINs of the office's
 * staff were on it, so they are void. Each person chooses a new one at the next central login.
 */
export async function clearBranchPins(trx: Trx, input: { officeId: string; actor: string; at: number }): Promise<number> {
  const cleared = await trx
    .updateTable('staff_user')
    .set({ branch_pin_hash: null, updated_at: new Date(input.at) })
    .where('branch_pin_hash', 'is not', null)
    .where('id', 'in', sql<string>`(SELECT user_id FROM staff_user_office WHERE office_id = ${input.officeId})`)
    .returning('id')
    .execute();
  for (const { id } of cleared) {
    await audit(trx, {
      actor: input.actor,
      action: 'staff_user.branch_pin_cleared',
      entity: 'staff_user',
      entityId: id,
      officeId: input.officeId,
      at: input.at,
    });
  }
  return cleared.length;
}
