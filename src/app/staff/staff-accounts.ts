import type { Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { passwordProblems, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import { canAssignAccount, canManageAccount } from '../../domain/staff-accounts.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit, type AuditActor } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { clearRecoveryCodes, recoveryCodesLeft } from './recovery-codes.ts';
import { generateOneTimePassword, hashPassword } from './staff-secrets.ts';
import { accountTown } from './principal-scope.ts';

export type NewStaffUser = {
  email: string;
  displayName?: string | undefined;
  role: StaffRole;
  /** Ignored for admins, who work for every office of their town (or of the Kreis). */
  officeIds: readonly string[];
  /**
   * The account's town; null: the whole Kreis (admins only). Not said: the town of the offices, for an
   * admin the only town — in a Kreis of several an admin's must be said (municipality_required).
   */
  municipalityId?: string | null | undefined;
  /** A Kreis admin's grant to see citizens' personal data (ignored for anyone with a town). */
  personalData?: boolean | undefined;
  /** Given by the operator (--password-stdin); otherwise a one-time password is generated. */
  password?: string | undefined;
  /** Who creates the account, for the audit log ('cli' from the command line). */
  actor: AuditActor;
  /** The team lead or admin creating it on the accounts page (their rules apply); absent for the operator. */
  manager?: Principal | null;
};

export async function createStaffUser(
  ctx: AppContext,
  input: NewStaffUser,
): Promise<{ userId: string; email: string; oneTimePassword: string | null; municipalityId: string | null; personalData: boolean }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new DomainError('validation_failed', 'Not an email address', { fields: [{ path: 'email', message: 'not an email address' }] });
  const officeIds = input.role === 'admin' ? [] : [...new Set(input.officeIds)];
  if (input.role !== 'admin' && officeIds.length === 0) {
    throw new DomainError('validation_failed', 'Clerks and team leads need at least one office', {
      fields: [{ path: 'office', message: 'at least one office' }],
    });
  }
  if (input.password !== undefined && passwordProblems(input.password, { email }).length > 0) {
    throw new DomainError('weak_password', 'The password is too weak', { problems: passwordProblems(input.password, { email }) });
  }
  const oneTimePassword = input.password === undefined ? generateOneTimePassword(ctx.randomBytes(20)) : null;
  const passwordHash = await hashPassword(input.password ?? oneTimePassword!);
  const now = ctx.now();
  const { userId, municipalityId, personalData } = await inTransaction(ctx.db, async (trx) => {
    await assertOfficesExist(trx, officeIds);
    const municipalityId = await accountTown(trx, { ...input, officeIds });
    if (input.manager && !canAssignAccount(input.manager, { role: input.role, officeIds, municipalityId }))
      throw new DomainError('forbidden', 'Not allowed to create an account with this role or these offices');
    const personalData = input.role === 'admin' && municipalityId === null && input.personalData === true;
    const inserted = await trx
      .insertInto('staff_user')
      .values({
        email,
        display_name: input.displayName?.trim() || email,
        role: input.role,
        password_hash: passwordHash,
        // Whoever chose the password is not the person who will use it: always changed at first login.
        must_change_password: true,
        totp_secret: null,
        municipality_id: municipalityId,
        personal_data: personalData,
        created_at: new Date(now),
        updated_at: new Date(now),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new DomainError('already_exists', `A staff account for ${email} already exists`, { email });
    if (officeIds.length > 0)
      await trx
        .insertInto('staff_user_office')
        .values(officeIds.map((office_id) => ({ user_id: inserted.id, office_id })))
        .execute();
    await audit(trx, {
      actor: input.actor,
      action: 'staff_user.create',
      entity: 'staff_user',
      entityId: inserted.id,
      at: now,
      details: {
        email,
        role: input.role,
        officeIds,
        before: null,
        after: {
          email,
          role: input.role,
          officeIds,
          municipalityId,
          personalData,
          disabled: false,
          secondFactor: false,
          mustChangePassword: true,
          recoveryCodesLeft: 0,
        },
      },
    });
    return { userId: inserted.id, municipalityId, personalData };
  });
  return { userId, email, oneTimePassword, municipalityId, personalData };
}

/**
 * A password that verifies nothing: accounts whose secrets the old change feed sent to branch nodes
 * (migration 2026-12-07T0910-branch-credentials) carry it until an operator resets them.
 */
export const REVOKED_PASSWORD = '!revoked';

/**
 * `schalter user reset`: a new one-time password, and everything else that could log the person in
 * goes — second factor, branch PIN, sessions. The first login then goes through the whole set-up
 * again (new password, TOTP for team leads and admins, branch PIN where the office has a branch).
 */
export async function resetStaffCredentials(
  ctx: AppContext,
  input: { email: string; actor: AuditActor },
): Promise<{ userId: string; email: string; oneTimePassword: string }> {
  const email = input.email.trim().toLowerCase();
  const oneTimePassword = generateOneTimePassword(ctx.randomBytes(20));
  const passwordHash = await hashPassword(oneTimePassword);
  const now = ctx.now();
  const userId = await inTransaction(ctx.db, async (trx) => {
    const before = await trx
      .selectFrom('staff_user')
      .select(['totp_secret', 'branch_pin_hash', 'must_change_password'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .updateTable('staff_user')
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        totp_secret: null,
        totp_last_counter: null,
        branch_pin_hash: null,
        updated_at: new Date(now),
      })
      .where('email', '=', email)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', `No staff account for ${email}`, { email });
    await trx.deleteFrom('staff_session').where('user_id', '=', row.id).execute();
    const codesBefore = await recoveryCodesLeft(trx, row.id);
    await clearRecoveryCodes(trx, row.id);
    const state = (b: { totp_secret: unknown; branch_pin_hash: unknown; must_change_password: boolean } | undefined, codes: number) => ({
      secondFactor: b?.totp_secret != null,
      branchPin: b?.branch_pin_hash != null,
      mustChangePassword: b?.must_change_password ?? true,
      recoveryCodesLeft: codes,
    });
    await audit(trx, {
      actor: input.actor,
      action: 'staff_user.reset',
      entity: 'staff_user',
      entityId: row.id,
      at: now,
      details: { before: state(before, codesBefore), after: state(undefined, 0) },
    });
    return row.id;
  });
  return { userId, email, oneTimePassword };
}

export type StaffAccountLine = {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  officeIds: string[];
  /** null: the whole Kreis. */
  municipalityId: string | null;
  personalData: boolean;
  state: 'active' | 'disabled' | 'needs_reset';
  secondFactor: boolean;
  /** ISO instant, or null: never logged in. */
  lastLoginAt: string | null;
  recoveryCodesLeft: number;
};

/**
 * `schalter user list` and the accounts page: who exists, and who still needs a new one-time
 * password. With a manager (a team lead on the page), only the accounts they may manage.
 */
export async function listStaffAccounts(db: Kysely<DB>, manager: Principal | null = null): Promise<StaffAccountLine[]> {
  const users = await db
    .selectFrom('staff_user')
    .select([
      'id',
      'email',
      'display_name',
      'role',
      'municipality_id',
      'personal_data',
      'password_hash',
      'disabled_at',
      'totp_secret',
      'last_login_at',
    ])
    .orderBy('email')
    .execute();
  const offices = await db.selectFrom('staff_user_office').select(['user_id', 'office_id']).orderBy('office_id').execute();
  const codes = await db
    .selectFrom('staff_recovery_code')
    .select(['user_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('used_at', 'is', null)
    .groupBy('user_id')
    .execute();
  const lines: StaffAccountLine[] = users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    officeIds: offices.filter((o) => o.user_id === u.id).map((o) => o.office_id),
    municipalityId: u.municipality_id,
    personalData: u.personal_data,
    state: u.disabled_at ? 'disabled' : u.password_hash === REVOKED_PASSWORD ? 'needs_reset' : 'active',
    secondFactor: u.totp_secret !== null,
    lastLoginAt: u.last_login_at?.toISOString() ?? null,
    recoveryCodesLeft: Number(codes.find((c) => c.user_id === u.id)?.n ?? 0),
  }));
  return manager ? lines.filter((line) => canManageAccount(manager, line)) : lines;
}

export async function assertOfficesExist(db: Kysely<DB> | Trx, officeIds: readonly string[]): Promise<void> {
  if (officeIds.length === 0) return;
  const found = await db
    .selectFrom('office')
    .select('id')
    .where('id', 'in', [...officeIds])
    .execute();
  const missing = officeIds.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw new DomainError('unknown_office', `Unknown office: ${missing.join(', ')}`, { officeIds: missing });
}

export async function officeIdsOfUser(db: Kysely<DB> | Trx, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('staff_user_office').select('office_id').where('user_id', '=', userId).orderBy('office_id').execute();
  return rows.map((r) => r.office_id);
}
