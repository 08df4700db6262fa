import { DomainError } from '../../domain/errors.ts';
import { canAccessOffice, loginStage, passwordProblems, type LoginStage, type Principal } from '../../domain/staff-access.ts';
import { isSessionAlive, SESSION_ABSOLUTE_MS, shouldTouchSession } from '../../domain/staff-session.ts';
import type { StaffSession, StaffUser } from '../../db/staff-schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import { needsBranchPin } from './branch-pin.ts';
import { issueRecoveryCodes, recoveryCodesLeft, useRecoveryCode } from './recovery-codes.ts';
import type { AppContext } from '../shared/context.ts';
import { beginLoginAttempt, succeedLoginAttempt } from './login-attempts.ts';
import { officeIdsOfUser } from './staff-accounts.ts';
import { principalScope } from './principal-scope.ts';
import {
  burnPasswordCheck,
  csrfTokenFor,
  hashPassword,
  matchTotp,
  newTotpSecret,
  normalizeRecoveryCode,
  sha256Hex,
  totpUri,
  verifyPassword,
} from './staff-secrets.ts';
import { newToken } from '../shared/ids.ts';

/** A staff session as the HTTP layer sees it. Only `active` sessions may work. */
export type SessionState = {
  principal: Principal;
  user: { id: string; email: string; displayName: string };
  stage: LoginStage;
  /** The office chosen at the office chooser (or the only one the person has). */
  officeId: string | null;
  csrfToken: string;
};

export async function loginWithPassword(
  ctx: AppContext,
  input: { email: string; password: string; ip: string; userAgent?: string | undefined },
): Promise<{ sessionId: string; stage: LoginStage }> {
  const email = input.email.trim().toLowerCase();
  const attempt = await beginLoginAttempt(ctx, { email, ip: input.ip });
  const user = await ctx.db.selectFrom('staff_user').selectAll().where('email', '=', email).executeTakeFirst();
  const isValid = user ? await verifyPassword(user.password_hash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !isValid) {
    await auditLoginFailure(ctx, { ip: input.ip, userId: user?.id ?? null, reason: 'password' });
    throw new DomainError('invalid_credentials', 'Wrong email address or password');
  }
  if (user.disabled_at) {
    // Only someone who knows the password learns that the account is off: they know whom to ask.
    await auditLoginFailure(ctx, { ip: input.ip, userId: user.id, reason: 'disabled' });
    throw new DomainError('account_disabled', 'This account is deactivated');
  }
  const stage = await stageOf(ctx, user, null);
  const sessionId = await inTransaction(ctx.db, async (trx) => {
    // Earlier failures are forgiven only once the whole login succeeded (a second factor may follow).
    await succeedLoginAttempt(trx, attempt, { clearAccount: stage !== 'totp_verify' });
    return openSession(ctx, trx, user, { ip: input.ip, userAgent: input.userAgent, method: 'password', complete: stage !== 'totp_verify' });
  });
  return { sessionId, stage };
}

/**
 * A new session of the account, and its audit entry. `complete`: nothing is asked anymore before
 * the person works (no second factor follows), so this counts as their last login.
 */
export async function openSession(
  ctx: AppContext,
  trx: Trx,
  user: StaffUser,
  input: { ip: string; userAgent?: string | undefined; method: 'password' | 'sso'; complete: boolean },
): Promise<string> {
  const now = ctx.now();
  const sessionId = newToken(ctx);
  if (input.complete) await noteLogin(trx, user.id, now);
  const officeIds = await officeIdsOfUser(trx, user.id);
  await trx
    .insertInto('staff_session')
    .values({
      id_hash: sha256Hex(sessionId),
      user_id: user.id,
      created_at: new Date(now),
      last_seen_at: new Date(now),
      expires_at: new Date(now + SESSION_ABSOLUTE_MS),
      totp_verified_at: null,
      totp_pending_secret: null,
      // Someone working for one office has nothing to choose.
      office_id: user.role !== 'admin' && officeIds.length === 1 ? officeIds[0]! : null,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      login_method: input.method,
    })
    .execute();
  await audit(trx, {
    actor: `staff:${user.id}`,
    action: 'session.login',
    entity: 'staff_user',
    entityId: user.id,
    at: now,
    details: input.method === 'sso' ? { ip: input.ip, via: 'sso' } : { ip: input.ip },
  });
  return sessionId;
}

/** The session behind a cookie value, or null when unknown, expired or the account is disabled. */
export async function resolveSession(ctx: AppContext, sessionId: string): Promise<SessionState | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const now = ctx.now();
  const idHash = sha256Hex(sessionId);
  const session = await ctx.db.selectFrom('staff_session').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!session) return null;
  const user = await ctx.db.selectFrom('staff_user').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (
    !user ||
    user.disabled_at ||
    !isSessionAlive({ createdAt: session.created_at.getTime(), lastSeenAt: session.last_seen_at.getTime() }, now)
  ) {
    await ctx.db.deleteFrom('staff_session').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (shouldTouchSession(session.last_seen_at.getTime(), now)) {
    await ctx.db
      .updateTable('staff_session')
      .set({ last_seen_at: new Date(now) })
      .where('id_hash', '=', idHash)
      .execute();
  }
  const scope = await principalScope(ctx.db, {
    role: user.role,
    municipalityId: user.municipality_id,
    personalDataGranted: user.personal_data,
    assignedOfficeIds: await officeIdsOfUser(ctx.db, user.id),
  });
  return {
    principal: { kind: 'user', id: user.id, label: user.email, role: user.role, ...scope },
    user: { id: user.id, email: user.email, displayName: user.display_name },
    stage: await stageOf(ctx, user, session),
    officeId: session.office_id,
    csrfToken: csrfTokenFor(sessionId),
  };
}

export async function logout(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('staff_session').where('id_hash', '=', sha256Hex(sessionId)).execute();
}

/**
 * Second step of every login of an enrolled account: a TOTP code, or one of the person's recovery
 * codes (used up by it). Wrong codes of either kind count as failed logins.
 */
export async function verifySessionTotp(
  ctx: AppContext,
  input: { sessionId: string; code: string; ip: string },
): Promise<{ via: 'totp' } | { via: 'recovery_code'; recoveryCodesLeft: number }> {
  const now = ctx.now();
  const { session, user } = await loadSession(ctx, input.sessionId);
  if (!user.totp_secret) throw new DomainError('invalid_state', 'No second factor is set up');
  // Cheap to check, but a million codes in parallel would find the right one: counted first, like passwords.
  const attempt = await beginLoginAttempt(ctx, { email: user.email, ip: input.ip });
  const counter = matchTotp({ secret: user.totp_secret, code: input.code, now, lastUsedCounter: lastCounter(user) });
  const recovery = counter === null && normalizeRecoveryCode(input.code) !== null;
  const left = await inTransaction(ctx.db, async (trx) => {
    if (recovery) {
      if (!(await useRecoveryCode(trx, user.id, input.code, now))) return null;
    } else if (counter === null) return null;
    else await useCounter(trx, user.id, counter, now);
    await succeedLoginAttempt(trx, attempt, { clearAccount: true });
    await noteLogin(trx, user.id, now);
    await trx
      .updateTable('staff_session')
      .set({ totp_verified_at: new Date(now) })
      .where('id_hash', '=', session.id_hash)
      .execute();
    const remaining = recovery ? await recoveryCodesLeft(trx, user.id) : null;
    await audit(trx, {
      actor: `staff:${user.id}`,
      action: recovery ? 'session.recovery_code_used' : 'session.totp_verified',
      entity: 'staff_user',
      entityId: user.id,
      at: now,
      details: recovery ? { recoveryCodesLeft: remaining } : null,
    });
    return { remaining };
  });
  if (left === null) {
    await auditLoginFailure(ctx, { ip: input.ip, userId: user.id, reason: recovery ? 'recovery_code' : 'totp' });
    throw new DomainError('invalid_totp', 'Wrong or expired code');
  }
  return left.remaining === null ? { via: 'totp' } : { via: 'recovery_code', recoveryCodesLeft: left.remaining };
}

/** The secret to show as QR code; kept on the session so a reloaded page shows the same one. */
export async function startTotpEnrolment(
  ctx: AppContext,
  input: { sessionId: string; issuer: string },
): Promise<{ secret: string; uri: string }> {
  const { session, user } = await loadSession(ctx, input.sessionId);
  if (user.totp_secret) throw new DomainError('invalid_state', 'A second factor is already set up');
  let secret = session.totp_pending_secret;
  if (!secret) {
    secret = newTotpSecret(ctx.randomBytes(20));
    await ctx.db.updateTable('staff_session').set({ totp_pending_secret: secret }).where('id_hash', '=', session.id_hash).execute();
  }
  return { secret, uri: totpUri({ secret, account: user.email, issuer: input.issuer }) };
}

/**
 * Enrolment ends when the person types a code from their app: proof it was set up correctly. Returns
 * the recovery codes, to be shown this once.
 */
export async function completeTotpEnrolment(
  ctx: AppContext,
  input: { sessionId: string; code: string },
): Promise<{ recoveryCodes: string[] }> {
  const now = ctx.now();
  const { session, user } = await loadSession(ctx, input.sessionId);
  if (user.totp_secret) throw new DomainError('invalid_state', 'A second factor is already set up');
  if ((await stageOf(ctx, user, session)) !== 'totp_enrol') throw new DomainError('invalid_state', 'Change the one-time password first');
  const secret = session.totp_pending_secret;
  const counter = secret ? matchTotp({ secret, code: input.code, now, lastUsedCounter: null }) : null;
  if (secret === null || counter === null) throw new DomainError('invalid_totp', 'Wrong or expired code');
  return inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('staff_user')
      .set({ totp_secret: secret, totp_last_counter: counter, updated_at: new Date(now), last_login_at: new Date(now) })
      .where('id', '=', user.id)
      .execute();
    await trx
      .updateTable('staff_session')
      .set({ totp_pending_secret: null, totp_verified_at: new Date(now) })
      .where('id_hash', '=', session.id_hash)
      .execute();
    // Other sessions of this person were opened without the factor; they must log in again.
    await trx.deleteFrom('staff_session').where('user_id', '=', user.id).where('id_hash', '<>', session.id_hash).execute();
    const recoveryCodes = await issueRecoveryCodes(ctx, trx, user.id, now);
    await audit(trx, {
      actor: `staff:${user.id}`,
      action: 'staff_user.totp_enrol',
      entity: 'staff_user',
      entityId: user.id,
      at: now,
      details: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes };
  });
}

/**
 * A new set of recovery codes for a logged-in person with a second factor (the old set stops): for
 * those who enrolled before codes existed, or who used most of theirs. A current TOTP code is asked
 * for, so a session left open at a counter cannot be turned into a lasting way past the factor.
 */
export async function renewRecoveryCodes(
  ctx: AppContext,
  input: { sessionId: string; code: string; ip: string },
): Promise<{ recoveryCodes: string[] }> {
  const now = ctx.now();
  const { user } = await loadSession(ctx, input.sessionId);
  if (!user.totp_secret) throw new DomainError('invalid_state', 'No second factor is set up');
  const attempt = await beginLoginAttempt(ctx, { email: user.email, ip: input.ip });
  const counter = matchTotp({ secret: user.totp_secret, code: input.code, now, lastUsedCounter: lastCounter(user) });
  if (counter === null) {
    await auditLoginFailure(ctx, { ip: input.ip, userId: user.id, reason: 'totp' });
    throw new DomainError('invalid_totp', 'Wrong or expired code');
  }
  return inTransaction(ctx.db, async (trx) => {
    await useCounter(trx, user.id, counter, now);
    await succeedLoginAttempt(trx, attempt, { clearAccount: false });
    const before = await recoveryCodesLeft(trx, user.id);
    const recoveryCodes = await issueRecoveryCodes(ctx, trx, user.id, now);
    await audit(trx, {
      actor: `staff:${user.id}`,
      action: 'staff_user.recovery_codes_renew',
      entity: 'staff_user',
      entityId: user.id,
      at: now,
      details: { before: { recoveryCodesLeft: before }, after: { recoveryCodesLeft: recoveryCodes.length } },
    });
    return { recoveryCodes };
  });
}

export async function changePassword(
  ctx: AppContext,
  input: { sessionId: string; currentPassword: string; newPassword: string; ip: string },
): Promise<void> {
  const now = ctx.now();
  const { session, user } = await loadSession(ctx, input.sessionId);
  const stage = await stageOf(ctx, user, session);
  if (stage === 'totp_verify') throw new DomainError('invalid_state', 'Enter the security code first');
  // A stolen session cookie must not become an unthrottled way to guess the password.
  const attempt = await beginLoginAttempt(ctx, { email: user.email, ip: input.ip });
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await auditLoginFailure(ctx, { ip: input.ip, userId: user.id, reason: 'password_change' });
    throw new DomainError('invalid_credentials', 'The current password is wrong');
  }
  const problems = passwordProblems(input.newPassword, { email: user.email, previous: input.currentPassword });
  if (problems.length > 0) {
    await inTransaction(ctx.db, (trx) => succeedLoginAttempt(trx, attempt, { clearAccount: false }));
    throw new DomainError('weak_password', 'The new password is too weak', { problems });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(ctx.db, async (trx) => {
    await succeedLoginAttempt(trx, attempt, { clearAccount: false });
    await trx
      .updateTable('staff_user')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: new Date(now) })
      .where('id', '=', user.id)
      .execute();
    await trx.deleteFrom('staff_session').where('user_id', '=', user.id).where('id_hash', '<>', session.id_hash).execute();
    await audit(trx, { actor: `staff:${user.id}`, action: 'staff_user.password_change', entity: 'staff_user', entityId: user.id, at: now });
  });
}

export async function chooseOffice(ctx: AppContext, input: { sessionId: string; principal: Principal; officeId: string }): Promise<void> {
  // Not an office of theirs looks exactly like an office that does not exist.
  if (!canAccessOffice(input.principal, input.officeId)) throw new DomainError('not_found', 'Unknown office');
  const office = await ctx.db.selectFrom('office').select('id').where('id', '=', input.officeId).executeTakeFirst();
  if (!office) throw new DomainError('not_found', 'Unknown office');
  await ctx.db.updateTable('staff_session').set({ office_id: office.id }).where('id_hash', '=', sha256Hex(input.sessionId)).execute();
}

/** On a branch node the branch PIN is the whole login; centrally, staff of an office with a branch need one (0009). */
/** Where a session about to be opened starts. */
export function stageOfNewSession(ctx: AppContext, user: StaffUser, method: 'password' | 'sso'): Promise<LoginStage> {
  return stageOf(ctx, user, null, method);
}

async function stageOf(
  ctx: AppContext,
  user: StaffUser,
  session: StaffSession | null,
  method: 'password' | 'sso' = 'password',
): Promise<LoginStage> {
  const atBranch = ctx.settings.branchNode !== undefined;
  return loginStage({
    role: user.role,
    mustChangePassword: user.must_change_password,
    totpEnrolled: user.totp_secret !== null,
    totpVerified: session?.totp_verified_at != null,
    viaIdentityProvider: (session?.login_method ?? method) === 'sso',
    needsBranchPin: !atBranch && (await needsBranchPin(ctx.db, user)),
    atBranch,
  });
}

/** The accounts page shows when each person last got in; written once the whole login succeeded. */
async function noteLogin(trx: Trx, userId: string, now: number): Promise<void> {
  await trx
    .updateTable('staff_user')
    .set({ last_login_at: new Date(now) })
    .where('id', '=', userId)
    .execute();
}

function lastCounter(user: StaffUser): number | null {
  return user.totp_last_counter === null ? null : Number(user.totp_last_counter);
}

async function useCounter(trx: Trx, userId: string, counter: number, now: number): Promise<void> {
  // Conditional update: two requests racing with the same code cannot both win.
  const result = await trx
    .updateTable('staff_user')
    .set({ totp_last_counter: counter, updated_at: new Date(now) })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', String(counter))]))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new DomainError('invalid_totp', 'This code was already used');
}

async function loadSession(ctx: AppContext, sessionId: string): Promise<{ session: StaffSession; user: StaffUser }> {
  const session = await ctx.db.selectFrom('staff_session').selectAll().where('id_hash', '=', sha256Hex(sessionId)).executeTakeFirst();
  const user = session && (await ctx.db.selectFrom('staff_user').selectAll().where('id', '=', session.user_id).executeTakeFirst());
  if (
    !session ||
    !user ||
    !isSessionAlive({ createdAt: session.created_at.getTime(), lastSeenAt: session.last_seen_at.getTime() }, ctx.now())
  ) {
    throw new DomainError('unauthenticated', 'The session has ended');
  }
  return { session, user };
}

/** The failure itself is already counted (beginLoginAttempt); this records who tried, for the audit. */
async function auditLoginFailure(
  ctx: AppContext,
  input: { ip: string; userId: string | null; reason: 'password' | 'disabled' | 'totp' | 'recovery_code' | 'password_change' },
): Promise<void> {
  await inTransaction(ctx.db, (trx) =>
    audit(trx, {
      actor: 'anonymous',
      action: 'session.login_failed',
      entity: 'staff_user',
      entityId: input.userId,
      at: ctx.now(),
      details: { ip: input.ip, reason: input.reason },
    }),
  );
}
