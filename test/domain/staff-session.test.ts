import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_THROTTLE,
  combineThrottle,
  isSessionAlive,
  isTotpReplay,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  throttleDecision,
  totpCandidateCounters,
  totpCounterAt,
} from '../../src/domain/staff-session.ts';

const T0 = Date.parse('2026-11-25T07:00:00Z');
const MIN = 60_000;

describe('login throttling', () => {
  it('four wrong passwords in a row still allow a fifth try', () => {
    const failures = [0, 1, 2, 3].map((i) => T0 + i * MIN);
    expect(throttleDecision(failures, T0 + 4 * MIN, ACCOUNT_THROTTLE)).toEqual({ allowed: true });
  });

  it('the fifth wrong password within 15 minutes locks the account until the first one ages out', () => {
    const failures = [0, 1, 2, 3, 4].map((i) => T0 + i * MIN);
    expect(throttleDecision(failures, T0 + 5 * MIN, ACCOUNT_THROTTLE)).toEqual({ allowed: false, retryAfterMs: 10 * MIN });
    expect(throttleDecision(failures, T0 + 15 * MIN, ACCOUNT_THROTTLE)).toEqual({ allowed: true });
  });

  it('failures older than the window do not count', () => {
    const failures = [0, 1, 2, 3, 4].map((i) => T0 - 20 * MIN + i);
    expect(throttleDecision(failures, T0, ACCOUNT_THROTTLE).allowed).toBe(true);
  });

  it('the stricter of account and address decides', () => {
    expect(combineThrottle([{ allowed: true }, { allowed: false, retryAfterMs: 5 }, { allowed: false, retryAfterMs: 9 }])).toEqual({
      allowed: false,
      retryAfterMs: 9,
    });
    expect(combineThrottle([{ allowed: true }, { allowed: true }])).toEqual({ allowed: true });
  });
});

describe('session lifetime', () => {
  it('ends after an hour without a request', () => {
    expect(isSessionAlive({ createdAt: T0, lastSeenAt: T0 }, T0 + SESSION_IDLE_MS - 1)).toBe(true);
    expect(isSessionAlive({ createdAt: T0, lastSeenAt: T0 }, T0 + SESSION_IDLE_MS)).toBe(false);
  });

  it('ends after twelve hours however busy the counter was', () => {
    expect(isSessionAlive({ createdAt: T0, lastSeenAt: T0 + SESSION_ABSOLUTE_MS - MIN }, T0 + SESSION_ABSOLUTE_MS)).toBe(false);
  });
});

describe('TOTP window', () => {
  it('accepts the current 30-second step and one on either side, nothing further', () => {
    const now = T0 + 15_000;
    const current = totpCounterAt(now);
    expect(totpCandidateCounters(now).sort()).toEqual([current - 1, current, current + 1].sort());
    expect(totpCandidateCounters(now)).not.toContain(current - 2);
  });

  it('refuses a code of a step that was already used, and any earlier one', () => {
    expect(isTotpReplay(100, null)).toBe(false);
    expect(isTotpReplay(100, 100)).toBe(true);
    expect(isTotpReplay(99, 100)).toBe(true);
    expect(isTotpReplay(101, 100)).toBe(false);
  });
});
