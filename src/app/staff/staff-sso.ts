import type { LoginStage } from '../../domain/staff-access.ts';
import { accountFromClaims, type SsoAccount, type SsoMapping, type SsoRefusal } from '../../domain/sso-claims.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import type { StaffUser } from '../../db/staff-schema.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { officeIdsOfUser } from './staff-accounts.ts';
import { openSession, stageOfNewSession } from './staff-auth.ts';

export type SsoLoginResult = { sessionId: string; stage: LoginStage } | { refused: SsoRefusal | 'account_disabled' | 'email_taken' };

/**
 * Logs in the person an identity provider vouched for (its ID token already verified by the
 * caller). The account is found by the provider's subject, else linked by its email address (a
 * local account the town created before switching on single sign-on), else created. Role, offices
 * and town follow the provider's groups at every login; each change is audited like a change on the
 * accounts page, in the name of the person logging in.
 */
export async function loginWithIdentityProvider(
  ctx: AppContext,
  input: { issuer: string; claims: Record<string, unknown>; mapping: SsoMapping; ip: string; userAgent?: string | undefined },
): Promise<SsoLoginResult> {
  const [offices, towns] = await Promise.all([
    ctx.db.selectFrom('office').select(['id', 'municipality_id']).execute(),
    ctx.db.selectFrom('municipality').select('id').execute(),
  ]);
  const municipalityIds = towns.map((t) => t.id);
  // An office of no known town (a town row not set up) is nobody's, as in principal-scope.ts.
  const account = accountFromClaims(input.claims, input.mapping, {
    offices: new Map(offices.map((o) => [o.id, municipalityIds.includes(o.municipality_id) ? o.municipality_id : null])),
    municipalityIds,
  });
  if ('refused' in account) return account;
  const subject = `${input.issuer} ${account.subject}`;
  type Opened = { refused: 'account_disabled' | 'email_taken' } | { sessionId: string; user: StaffUser };
  const done = await inTransaction(ctx.db, async (trx): Promise<Opened> => {
    const bySubject = await trx.selectFrom('staff_user').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    const byEmail = bySubject
      ? undefined
      : await trx.selectFrom('staff_user').selectAll().where('email', '=', account.email).executeTakeFirst();
    // An address someone else's provider account already owns is not taken over.
    if (byEmail && byEmail.oidc_subject !== null) return { refused: 'email_taken' as const };
    const existing = bySubject ?? byEmail;
    if (existing?.disabled_at) return { refused: 'account_disabled' as const };
    if (bySubject && bySubject.email !== account.email) {
      const clash = await trx.selectFrom('staff_user').select('id').where('email', '=', account.email).executeTakeFirst();
      if (clash) return { refused: 'email_taken' as const };
    }
    const user = existing ? await updateAccount(ctx, trx, existing, account, subject) : await createAccount(ctx, trx, account, subject);
    const sessionId = await openSession(ctx, trx, user, { ip: input.ip, userAgent: input.userAgent, method: 'sso', complete: true });
    return { sessionId, user };
  });
  if ('refused' in done) return done;
  // After the commit: the stage reads through ctx.db, which the transaction would wait for (PGlite has one connection).
  return { sessionId: done.sessionId, stage: await stageOfNewSession(ctx, done.user, 'sso') };
}

type AccountState = { email: string; role: string; officeIds: string[]; municipalityId: string | null };

async function createAccount(ctx: AppContext, trx: Trx, account: SsoAccount, subject: string): Promise<StaffUser> {
  const now = ctx.now();
  const user = await trx
    .insertInto('staff_user')
    .values({
      email: account.email,
      display_name: account.displayName,
      role: account.role,
      // No local password: this person logs in through the town's identity provider only.
      password_hash: '!',
      must_change_password: false,
      totp_secret: null,
      municipality_id: account.municipalityId,
      oidc_subject: subject,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (account.officeIds.length > 0)
    await trx
      .insertInto('staff_user_office')
      .values(account.officeIds.map((office_id) => ({ user_id: user.id, office_id })))
      .execute();
  await audit(trx, {
    actor: `staff:${user.id}`,
    action: 'staff_user.create',
    entity: 'staff_user',
    entityId: user.id,
    at: now,
    details: { email: account.email, role: account.role, officeIds: account.officeIds, via: 'sso', before: null, after: stateOf(account) },
  });
  return user;
}

async function updateAccount(ctx: AppContext, trx: Trx, user: StaffUser, account: SsoAccount, subject: string): Promise<StaffUser> {
  const now = ctx.now();
  const before: AccountState = {
    email: user.email,
    role: user.role,
    officeIds: (await officeIdsOfUser(trx, user.id)).sort(),
    municipalityId: user.municipality_id,
  };
  const after = stateOf(account);
  const updated = await trx
    .updateTable('staff_user')
    .set({
      email: account.email,
      display_name: account.displayName,
      role: account.role,
      municipality_id: account.municipalityId,
      oidc_subject: subject,
      updated_at: new Date(now),
    })
    .where('id', '=', user.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (JSON.stringify(before) === JSON.stringify(after)) return updated;
  await trx.deleteFrom('staff_user_office').where('user_id', '=', user.id).execute();
  if (account.officeIds.length > 0)
    await trx
      .insertInto('staff_user_office')
      .values(account.officeIds.map((office_id) => ({ user_id: user.id, office_id })))
      .execute();
  await audit(trx, {
    actor: `staff:${user.id}`,
    action: 'staff_user.change',
    entity: 'staff_user',
    entityId: user.id,
    at: now,
    details: { via: 'sso', before, after },
  });
  return updated;
}

function stateOf(account: SsoAccount): AccountState {
  return { email: account.email, role: account.role, officeIds: account.officeIds, municipalityId: account.municipalityId };
}
