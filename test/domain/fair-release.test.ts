import { describe, expect, it } from 'vitest';
import type { ReleasePolicy } from '../../src/domain/capacity-types.ts';
import { drawFrom, fairWindowFor, lotteryContactKey, lotteryOrder, mayHavePendingEntries } from '../../src/domain/fair-release.ts';
import { currentWave } from '../../src/domain/release.ts';
import { SlidingWindowCounter } from '../../src/domain/sliding-window.ts';

const policy: ReleasePolicy = {
  releaseWeekday: 1,
  releaseTime: '07:00',
  horizonDays: 14,
  sameDayShare: 0,
  sameDayReleaseTime: '07:00',
  phoneShare: 0,
  minLeadMinutes: 0,
};
const timeZone = 'Europe/Berlin';
const berlin = (local: string) => Date.parse(`${local}+01:00`);
const RELEASE = berlin('2026-11-30T07:00:00'); // Monday
const window = (now: number, start: number, extra: { minutes?: number | null; pendingAfterClose?: boolean } = {}) =>
  fairWindowFor({
    policy,
    timeZone,
    now,
    start,
    minutes: extra.minutes === undefined ? 10 : extra.minutes,
    pendingAfterClose: extra.pendingAfterClose ?? false,
  });

describe('fair release window', () => {
  it('Monday 07:00 releases 7–13 December for the first time; the week before was already bookable', () => {
    expect(currentWave({ policy, timeZone, now: RELEASE + 1 })).toEqual({
      releasedAt: RELEASE,
      newFrom: berlin('2026-12-07T00:00:00'),
      newUntil: berlin('2026-12-14T00:00:00'),
    });
  });

  it('collects requests for the new days in the first ten minutes, and only those', () => {
    const newSlot = berlin('2026-12-07T08:00:00');
    expect(window(RELEASE, newSlot)).toEqual({ waveReleasedAt: RELEASE, closesAt: RELEASE + 10 * 60_000 });
    expect(window(RELEASE + 9 * 60_000, newSlot)).not.toBeNull();
    expect(window(RELEASE + 10 * 60_000, newSlot)).toBeNull();
    expect(window(RELEASE + 5 * 60_000, berlin('2026-12-04T08:00:00'))).toBeNull(); // released a week ago
    expect(window(RELEASE - 60_000, newSlot)).toBeNull(); // not yet released: the old wave is open
    expect(window(RELEASE, newSlot, { minutes: null })).toBeNull();
    expect(window(RELEASE, newSlot, { minutes: 0 })).toBeNull();
  });

  it('keeps collecting after the window while undecided entries wait, so nobody overtakes the lottery', () => {
    const later = RELEASE + 10 * 60_000 + 3_000;
    expect(window(later, berlin('2026-12-07T08:00:00'), { pendingAfterClose: true })).toEqual({
      waveReleasedAt: RELEASE,
      closesAt: RELEASE + 10 * 60_000,
    });
    expect(mayHavePendingEntries({ policy, timeZone, now: later, minutes: 10 })).toBe(true);
    expect(mayHavePendingEntries({ policy, timeZone, now: RELEASE + 5 * 60_000, minutes: 10 })).toBe(false);
    expect(mayHavePendingEntries({ policy, timeZone, now: RELEASE + 3 * 3600_000, minutes: 10 })).toBe(false);
  });

  it('one entry per person: spelling variants of an address or number collapse', () => {
    expect(lotteryContactKey(' Erika@Example.ORG ', null)).toBe(lotteryContactKey('erika@example.org', '+49 170 1234'));
    expect(lotteryContactKey(null, '+49 (170) 12-34')).toBe(lotteryContactKey(null, '+4917012 34'));
    expect(lotteryContactKey(null, null)).toBeNull();
  });

  it('decides by draw, not by arrival; earlier windows first', () => {
    const entries = [
      { id: 'first-to-arrive', closesAt: 2, draw: 900 },
      { id: 'slow-clicker', closesAt: 2, draw: 5 },
      { id: 'last-week', closesAt: 1, draw: 1000 },
      { id: 'tie-b', closesAt: 2, draw: 50 },
      { id: 'tie-a', closesAt: 2, draw: 50 },
    ];
    expect(lotteryOrder(entries).map((e) => e.id)).toEqual(['last-week', 'slow-clicker', 'tie-a', 'tie-b', 'first-to-arrive']);
    expect(drawFrom(new Uint8Array([255, 255, 255, 255, 255, 255, 9]))).toBe(2 ** 48 - 1);
  });
});

describe('sliding-window counter', () => {
  it('counts the last minute in 10-second buckets and forgets older events', () => {
    const c = new SlidingWindowCounter();
    const t0 = 1_000_000_000;
    for (let i = 0; i < 30; i++) c.record(t0 + i * 1000);
    expect(c.perMinute(t0 + 29_000)).toBe(30);
    expect(c.perMinute(t0 + 75_000)).toBe(10); // the bucket from 20 s on is still inside the minute
    expect(c.perMinute(t0 + 85_000)).toBe(0);
    c.record(t0 + 120_000);
    expect(c.perMinute(t0 + 120_000)).toBe(1);
  });
});
