// Session lifetime, login throttling and the TOTP acceptance window: pure rules, time is an argument.

/** A counter workplace is left alone for a while; an hour idle or one working day in total ends a session. */
export const SESSION_IDLE_MS = 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

export function isSessionAlive(session: { createdAt: number; lastSeenAt: number }, now: number): boolean {
  return now - session.lastSeenAt < SESSION_IDLE_MS && now - session.createdAt < SESSION_ABSOLUTE_MS;
}

/** Touching last_seen on every request would write per click; once a minute is precise enough. */
export function shouldTouchSession(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt >= 60_000;
}

export type ThrottlePolicy = { maxFailures: number; windowMs: number };

/**
 * Per account: 5 wrong passwords in 15 minutes lock the account's logins for the rest of the window
 * (BSI ORP.4.A22). Per address: 30, so an office behind one NAT address is not locked out by one
 * forgetful colleague while a password-spraying script still is.
 */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 };
export const ADDRESS_THROTTLE: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000 };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** failures: instants of recent failed attempts for one key (any order). */
export function throttleDecision(failures: readonly number[], now: number, policy: ThrottlePolicy): ThrottleDecision {
  const recent = failures.filter((at) => at > now - policy.windowMs && at <= now).sort((a, b) => a - b);
  if (recent.length < policy.maxFailures) return { allowed: true };
  // Allowed again when enough of the window's failures have aged out to fall below the limit.
  const freeingFailure = recent[recent.length - policy.maxFailures]!;
  return { allowed: false, retryAfterMs: freeingFailure + policy.windowMs - now };
}

/** The stricter of several decisions (account and address). */
export function combineThrottle(decisions: readonly ThrottleDecision[]): ThrottleDecision {
  let worst: ThrottleDecision = { allowed: true };
  for (const d of decisions) {
    if (!d.allowed && (worst.allowed || d.retryAfterMs > worst.retryAfterMs)) worst = d;
  }
  return worst;
}

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side (RFC 6238 §5.2): clocks of phones drift, typing takes time. */
export const TOTP_WINDOW = 1;

export function totpCounterAt(now: number, periodSeconds = TOTP_PERIOD_SECONDS): number {
  return Math.floor(now / 1000 / periodSeconds);
}

/** Time steps whose codes are accepted at `now`, the current one first. */
export function totpCandidateCounters(now: number, window = TOTP_WINDOW, periodSeconds = TOTP_PERIOD_SECONDS): number[] {
  const current = totpCounterAt(now, periodSeconds);
  const counters = [current];
  for (let d = 1; d <= window; d++) counters.push(current - d, current + d);
  return counters;
}

/** A code is used once: a step at or before the last accepted one is a replay (RFC 6238 §5.2). */
export function isTotpReplay(counter: number, lastUsedCounter: number | null): boolean {
  return lastUsedCounter !== null && counter <= lastUsedCounter;
}
