import { hash } from 'node:crypto';
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, combineThrottle, throttleDecision, type ThrottlePolicy } from '../../domain/staff-session.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';

// Login throttling (decision record 0003). An attempt is counted *before* the password or code is
// checked, and counts as failed until it has succeeded: counting only after argon2 had run let 200
// parallel guesses all pass the check "fewer than 5 failures so far" and all be evaluated. Counting
// and checking happen in one transaction under an advisory lock per key, so any number of requests
// in any number of processes sharing the database get at most `maxFailures` through per window.

/** A started attempt: its rows in login_failure, which a success takes back. */
export type LoginAttempt = { ids: string[]; accountKey: string };

// Advisory locks share one key space per database; this namespace keeps throttle locks apart.
const THROTTLE_LOCK_NAMESPACE = 0x5c4b;
/** Attempts older than a day say nothing any more. */
const KEEP_MS = 24 * 60 * 60_000;

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (ip: string) => `ip:${ip}`;

/**
 * Counts one attempt for the account and for the client address, or throws login_throttled (and
 * counts nothing) when either is at its limit. Only after this may the secret be checked.
 */
export async function beginLoginAttempt(ctx: AppContext, input: { email: string; ip: string }): Promise<LoginAttempt> {
  const now = ctx.now();
  const keys: [string, ThrottlePolicy][] = [
    [accountKey(input.email), ACCOUNT_THROTTLE],
    [addressKey(input.ip), ADDRESS_THROTTLE],
  ];
  const ids = await inTransaction(ctx.db, async (trx) => {
    await lockKeys(
      trx,
      keys.map(([key]) => key),
    );
    // Read after the locks: under READ COMMITTED this statement sees every attempt committed before.
    const windowStart = new Date(now - Math.max(...keys.map(([, p]) => p.windowMs)));
    const rows = await trx
      .selectFrom('login_failure')
      .select(['key', 'at'])
      .where(
        'key',
        'in',
        keys.map(([key]) => key),
      )
      .where('at', '>', windowStart)
      .execute();
    const decision = combineThrottle(
      keys.map(([key, policy]) =>
        throttleDecision(
          rows.filter((r) => r.key === key).map((r) => r.at.getTime()),
          now,
          policy,
        ),
      ),
    );
    if (!decision.allowed) {
      const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000);
      throw new DomainError('login_throttled', 'Too many failed login attempts', {
        retryAfterSeconds,
        retryAfterMinutes: Math.ceil(retryAfterSeconds / 60),
      });
    }
    await trx
      .deleteFrom('login_failure')
      .where('at', '<', new Date(now - KEEP_MS))
      .execute();
    const inserted = await trx
      .insertInto('login_failure')
      .values(keys.map(([key]) => ({ key, at: new Date(now) })))
      .returning('id')
      .execute();
    return inserted.map((r) => r.id);
  });
  return { ids, accountKey: accountKey(input.email) };
}

/**
 * A successful attempt does not count: its rows go. With `clearAccount` (the person is fully logged
 * in) the account's earlier failures go too; the address keeps them, so one right password does
 * not reset a spraying script's count.
 */
export async function succeedLoginAttempt(trx: Trx, attempt: LoginAttempt, options: { clearAccount: boolean }): Promise<void> {
  await trx.deleteFrom('login_failure').where('id', 'in', attempt.ids).execute();
  if (options.clearAccount) await trx.deleteFrom('login_failure').where('key', '=', attempt.accountKey).execute();
}

/** Locks in a fixed order, so two requests locking the same two keys cannot deadlock. */
async function lockKeys(trx: Trx, keys: string[]): Promise<void> {
  const locks = [...new Set(keys.map((key) => hash('sha256', key, 'buffer').readInt32BE(0)))].sort((a, b) => a - b);
  for (const lock of locks) await sql`SELECT pg_advisory_xact_lock(${THROTTLE_LOCK_NAMESPACE}::int, ${lock}::int)`.execute(trx);
}
