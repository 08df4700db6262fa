import { describe, it, expect } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { nextRelease, seatRule } from '../../src/domain/release.ts';
import type { BookingChannel, PlannedUnit, ReleasePolicy } from '../../src/domain/capacity-types.ts';

const TZ = 'Europe/Berlin';
const at = (local: string): number => Temporal.ZonedDateTime.from(`${local}[${TZ}]`).epochMilliseconds;
const policy: ReleasePolicy = {
  releaseWeekday: 1,
  releaseTime: '07:00',
  horizonDays: 14,
  sameDayShare: 0.2,
  sameDayReleaseTime: '07:00',
  phoneShare: 0.1,
  minLeadMinutes: 60,
};
const ruleAt = (local: string, channel: BookingChannel = 'online', p: ReleasePolicy = policy) =>
  seatRule({ policy: p, timeZone: TZ, now: at(local), channel });
const unit = (local: string, capacity = 5, heldBack = 1, phoneReserved = 1): PlannedUnit => ({
  startsAt: at(local),
  capacity,
  heldBack,
  phoneReserved,
});

describe('weekly release waves (Monday 07:00, 14 days)', () => {
  it('at Monday 06:59 only the previous wave is bookable: the week from 7 December is still closed', () => {
    const rule = ruleAt('2026-11-30T06:59');
    expect(rule.latestStartExclusive).toBe(at('2026-12-07T00:00'));
    expect(at('2026-12-06T23:55')).toBeLessThan(rule.latestStartExclusive);
  });

  it('at Monday 07:00 two weeks open, up to and including the Sunday thirteen days later', () => {
    const rule = ruleAt('2026-11-30T07:00');
    expect(rule.latestStartExclusive).toBe(at('2026-12-14T00:00'));
    expect(at('2026-12-13T23:55')).toBeLessThan(rule.latestStartExclusive);
  });

  it('the wave stays the same for the rest of the week', () => {
    expect(ruleAt('2026-12-02T15:00').latestStartExclusive).toBe(at('2026-12-14T00:00'));
    expect(ruleAt('2026-12-06T23:59').latestStartExclusive).toBe(at('2026-12-14T00:00'));
    expect(ruleAt('2026-12-07T06:59').latestStartExclusive).toBe(at('2026-12-14T00:00'));
    expect(ruleAt('2026-12-07T07:00').latestStartExclusive).toBe(at('2026-12-21T00:00'));
  });

  it('works for other release days and horizons, e.g. Friday 12:00 for 7 days', () => {
    const friday: ReleasePolicy = { ...policy, releaseWeekday: 5, releaseTime: '12:00', horizonDays: 7 };
    expect(ruleAt('2026-12-04T11:59', 'online', friday).latestStartExclusive).toBe(at('2026-12-04T00:00'));
    expect(ruleAt('2026-12-04T12:00', 'online', friday).latestStartExclusive).toBe(at('2026-12-11T00:00'));
    expect(ruleAt('2026-12-07T09:00', 'online', friday).latestStartExclusive).toBe(at('2026-12-11T00:00'));
  });

  it('a horizon that ends after a DST change still closes at local midnight', () => {
    expect(ruleAt('2026-10-19T07:00').latestStartExclusive).toBe(at('2026-11-02T00:00'));
    expect(ruleAt('2026-03-23T07:00').latestStartExclusive).toBe(at('2026-04-06T00:00'));
  });

  it('the phone follows the same release waves', () => {
    expect(ruleAt('2026-11-30T06:59', 'phone').latestStartExclusive).toBe(at('2026-12-07T00:00'));
  });

  it('refuses a negative or fractional horizon', () => {
    expect(() => ruleAt('2026-11-30T07:00', 'online', { ...policy, horizonDays: -1 })).toThrow(RangeError);
    expect(() => ruleAt('2026-11-30T07:00', 'online', { ...policy, horizonDays: 1.5 })).toThrow(RangeError);
  });
});

describe('nextRelease', () => {
  const next = (local: string) => nextRelease({ policy, timeZone: TZ, now: at(local) });

  it('at Monday 06:59 the next release is one minute away', () => {
    expect(next('2026-11-30T06:59')).toBe(at('2026-11-30T07:00'));
  });

  it('at Monday 07:00 exactly the next release is a week later', () => {
    expect(next('2026-11-30T07:00')).toBe(at('2026-12-07T07:00'));
  });

  it('midweek it is the coming Monday', () => {
    expect(next('2026-12-02T15:00')).toBe(at('2026-12-07T07:00'));
    expect(next('2026-12-06T23:59')).toBe(at('2026-12-07T07:00'));
  });

  it('across the spring DST change it is still 07:00 local time (05:00 UTC)', () => {
    expect(next('2026-03-25T12:00')).toBe(Date.UTC(2026, 2, 30, 5, 0));
  });
});

describe('earliest start', () => {
  it('online: now plus the minimum lead time, rounded up to the 5-minute grid', () => {
    expect(ruleAt('2026-12-02T10:02').earliestStart).toBe(at('2026-12-02T11:05'));
    expect(ruleAt('2026-12-02T10:00').earliestStart).toBe(at('2026-12-02T11:00'));
  });

  it('phone: staff may book a caller for the very next unit', () => {
    expect(ruleAt('2026-12-02T10:02', 'phone').earliestStart).toBe(at('2026-12-02T10:05'));
    expect(ruleAt('2026-12-02T10:00', 'phone').earliestStart).toBe(at('2026-12-02T10:05'));
  });

  it('without a lead time online starts at the next unit too', () => {
    expect(ruleAt('2026-12-02T10:00:01', 'online', { ...policy, minLeadMinutes: 0 }).earliestStart).toBe(at('2026-12-02T10:05'));
  });
});

describe('seats per unit', () => {
  it('before 07:00 today held-back and phone seats are not bookable online', () => {
    expect(ruleAt('2026-12-02T06:59').limit(unit('2026-12-02T10:00'))).toBe(3);
  });

  it('from 07:00 today the held-back seats of today are released', () => {
    expect(ruleAt('2026-12-02T07:00').limit(unit('2026-12-02T10:00'))).toBe(4);
  });

  it('held-back seats of tomorrow stay held back', () => {
    const rule = ruleAt('2026-12-02T07:00');
    expect(rule.limit(unit('2026-12-03T10:00'))).toBe(3);
    expect(rule.limit(unit('2026-12-02T23:55'))).toBe(4);
    expect(rule.limit(unit('2026-12-03T00:00'))).toBe(3);
  });

  it('the phone channel may also use the phone seats', () => {
    expect(ruleAt('2026-12-02T06:59', 'phone').limit(unit('2026-12-02T10:00'))).toBe(4);
    expect(ruleAt('2026-12-02T07:00', 'phone').limit(unit('2026-12-02T10:00'))).toBe(5);
    expect(ruleAt('2026-12-02T07:00', 'phone').limit(unit('2026-12-03T10:00'))).toBe(4);
  });

  it('the same-day release follows its own time, not the weekly release time', () => {
    const late: ReleasePolicy = { ...policy, sameDayReleaseTime: '12:00' };
    expect(ruleAt('2026-12-02T11:59', 'online', late).limit(unit('2026-12-02T14:00'))).toBe(3);
    expect(ruleAt('2026-12-02T12:00', 'online', late).limit(unit('2026-12-02T14:00'))).toBe(4);
  });

  it('on the 25-hour fall-back day the last evening unit still counts as today', () => {
    const rule = ruleAt('2026-10-25T08:00');
    expect(rule.limit(unit('2026-10-25T23:55'))).toBe(4);
    expect(rule.limit(unit('2026-10-26T00:00'))).toBe(3);
  });

  it('never goes below zero even if a unit reserves more than it has', () => {
    expect(ruleAt('2026-12-02T06:59').limit(unit('2026-12-02T10:00', 1, 1, 1))).toBe(0);
  });
});
