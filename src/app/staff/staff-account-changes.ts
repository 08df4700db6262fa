import { DomainError } from '../../domain/errors.ts';
import { canAssignAccount, canManageAccount } from '../../domain/staff-accounts.ts';
import { isUuid } from '../../domain/uuid.ts';
import type { Principal, StaffRole } from '../../domain/staff-access.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit, type AuditActor } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { clearRecoveryCodes, recoveryCodesLeft } from './recovery-codes.ts';
import { assertOfficesExist, officeIdsOfUser } from './staff-accounts.ts';
import { accountTown } from './principal-scope.ts';
import { generateOneTimePassword, hashPassword } from './staff-secrets.ts';

// Changes to one staff account (issue #19): deactivate, reset the password, reset the second factor,
// change role and offices. The same use cases serve `schalter user …` (manager null: the operator,
// who may do everything) and the accounts pages (the logged-in team lead or admin, checked by the
// rules in domain/staff-accounts.ts). Every change is audited with the account before and after.

/** An account named by the operator (email) or by a page (id). */
export type AccountTarget = { email: string } | { userId: string };

export type AccountChange = {
  target: AccountTarget;
  /** Who manages, for the permission rules; null for the operator at the command line. */
  manager: Principal | null;
  actor: AuditActor;
};

/** What the audit log keeps of an account before and after a change (never a secret). */
export type AccountState = {
  email: string;
  role: StaffRole;
  officeIds: string[];
  /** The account's town; null: the whole Kreis. */
  municipalityId: string | null;
  /** A Kreis admin's grant to see citizens' personal data. */
  personalData: boolean;
  disabled: boolean;
  secondFactor: boolean;
  mustChangePassword: boolean;
  recoveryCodesLeft: number;
};

type Loaded = { id: string; state: AccountState };

/** The account, locked for the change; another office's account answers like a missing one. */
async function loadAccount(trx: Trx, target: AccountTarget, manager: Principal | null): Promise<Loaded> {
  let query = trx.selectFrom('staff_user').selectAll();
  if ('email' in target) query = query.where('email', '=', target.email.trim().toLowerCase());
  else if (isUuid(target.userId)) query = query.where('id', '=', target.userId);
  else throw new DomainError('not_found', 'No such staff account');
  const row = await query.forUpdate().executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'No such staff account', 'email' in target ? { email: target.email } : undefined);
  const state: AccountState = {
    email: row.email,
    role: row.role,
    officeIds: await officeIdsOfUser(trx, row.id),
    municipalityId: row.municipality_id,
    personalData: row.personal_data,
    disabled: row.disabled_at !== null,
    secondFactor: row.totp_secret !== null,
    mustChangePassword: row.must_change_password,
    recoveryCodesLeft: await recoveryCodesLeft(trx, row.id),
  };
  if (manager && !canManageAccount(manager, state)) throw new DomainError('not_found', 'No such staff account');
  return { id: row.id, state };
}

async function endSessions(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('staff_session').where('user_id', '=', userId).execute();
}

async function record(trx: Trx, input: AccountChange, action: string, account: Loaded, after: AccountState, now: number) {
  await audit(trx, {
    actor: input.actor,
    action,
    entity: 'staff_user',
    entityId: account.id,
    at: now,
    details: { before: account.state, after },
  });
}

function notSelf(manager: Principal | null, userId: string): void {
  if (manager?.kind === 'user' && manager.id === userId) throw new DomainError('own_account', 'Not on your own account');
}

/**
 * Deactivates the account: its sessions end at once (the next click of that person lands on the
 * login page), its logins are refused, branch nodes hear of it through the change feed.
 */
export async function disableStaffAccount(
  ctx: AppContext,
  input: AccountChange,
): Promise<{ userId: string; email: string; alreadyDisabled: boolean }> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const account = await loadAccount(trx, input.target, input.manager);
    notSelf(input.manager, account.id);
    await endSessions(trx, account.id);
    if (account.state.disabled) return { userId: account.id, email: account.state.email, alreadyDisabled: true };
    await trx
      .updateTable('staff_user')
      .set({ disabled_at: new Date(now), updated_at: new Date(now) })
      .where('id', '=', account.id)
      .execute();
    await record(trx, input, 'staff_user.disable', account, { ...account.state, disabled: true }, now);
    return { userId: account.id, email: account.state.email, alreadyDisabled: false };
  });
}

/** Undoes a deactivation (a mistaken one, or someone back from leave): the same credentials log in again. */
export async function enableStaffAccount(
  ctx: AppContext,
  input: AccountChange,
): Promise<{ userId: string; email: string; alreadyActive: boolean }> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const account = await loadAccount(trx, input.target, input.manager);
    if (!account.state.disabled) return { userId: account.id, email: account.state.email, alreadyActive: true };
    await trx
      .updateTable('staff_user')
      .set({ disabled_at: null, updated_at: new Date(now) })
      .where('id', '=', account.id)
      .execute();
    await record(trx, input, 'staff_user.enable', account, { ...account.state, disabled: false }, now);
    return { userId: account.id, email: account.state.email, alreadyActive: false };
  });
}

/** A new one-time password, to be replaced at the next login; sessions end, the second factor stays. */
export async function resetStaffPassword(
  ctx: AppContext,
  input: AccountChange,
): Promise<{ userId: string; email: string; oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword(ctx.randomBytes(20));
  const passwordHash = await hashPassword(oneTimePassword);
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const account = await loadAccount(trx, input.target, input.manager);
    await trx
      .updateTable('staff_user')
      .set({ password_hash: passwordHash, must_change_password: true, updated_at: new Date(now) })
      .where('id', '=', account.id)
      .execute();
    await endSessions(trx, account.id);
    await record(trx, input, 'staff_user.reset_password', account, { ...account.state, mustChangePassword: true }, now);
    return { userId: account.id, email: account.state.email, oneTimePassword };
  });
}

/**
 * Removes the TOTP secret and the recovery codes (a lost phone): the next login of a team lead or
 * admin enrols a new factor after the password. Sessions end.
 */
export async function resetStaffSecondFactor(ctx: AppContext, input: AccountChange): Promise<{ userId: string; email: string }> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const account = await loadAccount(trx, input.target, input.manager);
    await trx
      .updateTable('staff_user')
      .set({ totp_secret: null, totp_last_counter: null, updated_at: new Date(now) })
      .where('id', '=', account.id)
      .execute();
    await clearRecoveryCodes(trx, account.id);
    await endSessions(trx, account.id);
    await record(
      trx,
      input,
      'staff_user.reset_second_factor',
      account,
      { ...account.state, secondFactor: false, recoveryCodesLeft: 0 },
      now,
    );
    return { userId: account.id, email: account.state.email };
  });
}

/**
 * New role and offices. A session that had chosen an office the person no longer works for goes back
 * to the office chooser; role and offices count from the next click (every request reads them).
 */
export async function changeStaffAccount(
  ctx: AppContext,
  input: AccountChange & {
    role: StaffRole;
    officeIds: readonly string[];
    /** A town, null for the whole Kreis, undefined: kept (a clerk's follows the offices). */
    municipalityId?: string | null | undefined;
    /** The Kreis admin's grant; undefined: kept. Only an admin of the whole Kreis gets it. */
    personalData?: boolean | undefined;
  },
): Promise<{ userId: string; email: string; changed: boolean }> {
  const officeIds = input.role === 'admin' ? [] : [...new Set(input.officeIds)].sort();
  if (input.role !== 'admin' && officeIds.length === 0)
    throw new DomainError('validation_failed', 'Clerks and team leads need at least one office', {
      fields: [{ path: 'office', message: 'at least one office' }],
    });
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const account = await loadAccount(trx, input.target, input.manager);
    const municipalityId = await accountTown(trx, {
      role: input.role,
      officeIds,
      // An admin keeps their town unless a new one is said; a clerk's follows the offices.
      municipalityId: input.municipalityId !== undefined || input.role !== 'admin' ? input.municipalityId : account.state.municipalityId,
      manager: input.manager,
    });
    if (input.manager && !canAssignAccount(input.manager, { role: input.role, officeIds, municipalityId }))
      throw new DomainError('forbidden', 'Not allowed to give this role or these offices');
    const personalData = input.role === 'admin' && municipalityId === null && (input.personalData ?? account.state.personalData);
    const after = { ...account.state, role: input.role, officeIds, municipalityId, personalData };
    if (
      after.role === account.state.role &&
      after.officeIds.join() === account.state.officeIds.join() &&
      after.municipalityId === account.state.municipalityId &&
      after.personalData === account.state.personalData
    )
      return { userId: account.id, email: account.state.email, changed: false };
    if (after.role !== account.state.role || after.municipalityId !== account.state.municipalityId) notSelf(input.manager, account.id);
    await assertOfficesExist(trx, officeIds);
    await trx
      .updateTable('staff_user')
      .set({ role: input.role, municipality_id: municipalityId, personal_data: personalData, updated_at: new Date(now) })
      .where('id', '=', account.id)
      .execute();
    await trx.deleteFrom('staff_user_office').where('user_id', '=', account.id).execute();
    if (officeIds.length > 0)
      await trx
        .insertInto('staff_user_office')
        .values(officeIds.map((office_id) => ({ user_id: account.id, office_id })))
        .execute();
    if (input.role !== 'admin') {
      await trx
        .updateTable('staff_session')
        .set({ office_id: null })
        .where('user_id', '=', account.id)
        .where('office_id', 'not in', officeIds)
        .execute();
    }
    await record(trx, input, 'staff_user.change', account, after, now);
    return { userId: account.id, email: account.state.email, changed: true };
  });
}
