// When seats become bookable: weekly release waves, seats held back until the same morning, and
// seats only staff may give away on the phone.
import { Temporal } from 'temporal-polyfill';
import { UNIT_MS, type BookingChannel, type PlannedUnit, type ReleasePolicy } from './capacity-types.ts';
import { wallTimeInstant } from './capacity-plan.ts';
import { localDayBounds, localDayStart, localPlainDate } from './zoned-time.ts';

/**
 * What one channel may book at one instant. Built once per search so that `limit` is plain
 * arithmetic: slot search calls it for every unit.
 */
export type SeatRule = {
  channel: BookingChannel;
  earliestStart: number;
  latestStartExclusive: number;
  /** What limit() depends on besides the unit, for code that applies the rule in SQL (src/db/capacity-units.ts). */
  limitParameters: SeatLimitParameters;
  limit(unit: PlannedUnit): number;
};

/**
 * Held-back seats count as free only in [heldBackReleasedFrom, heldBackReleasedUntil) (today, once the
 * same-day release has happened; an empty range otherwise); phone seats only for staff.
 */
export type SeatLimitParameters = {
  heldBackReleasedFrom: number;
  heldBackReleasedUntil: number;
  phoneSeatsUsable: boolean;
};

/**
 * Seats of one unit this channel may fill. The booking UPDATE in src/db/capacity-units.ts repeats this formula
 * in SQL; test/db/seat-limit-sql.test.ts checks that both agree.
 */
export function seatLimit(unit: PlannedUnit, p: SeatLimitParameters): number {
  const heldReleased = unit.startsAt >= p.heldBackReleasedFrom && unit.startsAt < p.heldBackReleasedUntil;
  const seats =
    unit.capacity -
    (unit.leased ?? 0) -
    (unit.closed ?? 0) -
    (unit.rebookingOnly ?? 0) -
    (heldReleased ? 0 : unit.heldBack) -
    (p.phoneSeatsUsable ? 0 : unit.phoneReserved);
  // Leased seats belong to the branch: the central pool is capacity - leased, its load is load - leaseLoad.
  // Adding leaseLoad back keeps every caller's `load < limit` comparison meaning the central pool.
  return (unit.leaseLoad ?? 0) + (seats > 0 ? seats : 0);
}

function ceilToUnit(ms: number): number {
  return Math.ceil(ms / UNIT_MS) * UNIT_MS;
}

function assertPolicy(policy: ReleasePolicy): void {
  if (!Number.isInteger(policy.horizonDays) || policy.horizonDays < 0) {
    throw new RangeError(`horizonDays must be a whole number >= 0, got ${policy.horizonDays}`);
  }
  if (!Number.isFinite(policy.minLeadMinutes) || policy.minLeadMinutes < 0) {
    throw new RangeError(`minLeadMinutes must be >= 0, got ${policy.minLeadMinutes}`);
  }
}

function localToday(now: number, timeZone: string): Temporal.PlainDate {
  return localPlainDate(now, timeZone);
}

/** The release day of the wave that is open at `now` (its release instant is <= now). */
function currentWaveDay(policy: ReleasePolicy, timeZone: string, now: number): Temporal.PlainDate {
  const today = localToday(now, timeZone);
  const day = today.subtract({ days: (today.dayOfWeek - policy.releaseWeekday + 7) % 7 });
  return wallTimeInstant(day, policy.releaseTime, timeZone) <= now ? day : day.subtract({ days: 7 });
}

export function seatRule(input: { policy: ReleasePolicy; timeZone: string; now: number; channel: BookingChannel }): SeatRule {
  const { policy, timeZone, now, channel } = input;
  assertPolicy(policy);
  const today = localToday(now, timeZone);
  const waveDay = currentWaveDay(policy, timeZone, now);
  const dayAfterLastReleased = waveDay.add({ days: policy.horizonDays });
  const latestStartExclusive = localDayStart(dayAfterLastReleased, timeZone);

  // Day boundaries as numbers, so limit() never touches Temporal.
  const [todayStart, tomorrowStart] = localDayBounds(today, timeZone);
  const sameDayOpen = now >= wallTimeInstant(today, policy.sameDayReleaseTime, timeZone);
  const limitParameters: SeatLimitParameters = {
    heldBackReleasedFrom: sameDayOpen ? todayStart : 0,
    heldBackReleasedUntil: sameDayOpen ? tomorrowStart : 0,
    phoneSeatsUsable: channel === 'phone',
  };

  const earliestStart = earliestStartAt(policy, channel, now);

  return {
    channel,
    earliestStart,
    latestStartExclusive,
    limitParameters,
    limit: (unit: PlannedUnit) => seatLimit(unit, limitParameters),
  };
}

/** The first start a channel may book at `now`: online keeps the lead time, staff may book the next unit. */
export function earliestStartAt(policy: ReleasePolicy, channel: BookingChannel, now: number): number {
  // Strictly after now: a start equal to this instant has already begun and booking refuses it.
  const lead = channel === 'online' ? policy.minLeadMinutes * 60_000 : 0;
  return ceilToUnit(now + Math.max(lead, 1));
}

export function nextRelease(input: { policy: ReleasePolicy; timeZone: string; now: number }): number {
  const { policy, timeZone, now } = input;
  assertPolicy(policy);
  const next = currentWaveDay(policy, timeZone, now).add({ days: 7 });
  return wallTimeInstant(next, policy.releaseTime, timeZone);
}

/**
 * The wave open at `now`: when it was released and which starts it made bookable for the first time
 * ([newFrom, newUntil): the days the previous wave did not reach). The fair release window
 * (src/domain/fair-release.ts) applies to these starts only.
 */
export function currentWave(input: { policy: ReleasePolicy; timeZone: string; now: number }): {
  releasedAt: number;
  newFrom: number;
  newUntil: number;
} {
  const { policy, timeZone, now } = input;
  assertPolicy(policy);
  const waveDay = currentWaveDay(policy, timeZone, now);
  return {
    releasedAt: wallTimeInstant(waveDay, policy.releaseTime, timeZone),
    newFrom: localDayStart(waveDay.add({ days: Math.max(0, policy.horizonDays - 7) }), timeZone),
    newUntil: localDayStart(waveDay.add({ days: policy.horizonDays }), timeZone),
  };
}
