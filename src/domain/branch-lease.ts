// The branch lease (issue #6): each day a share of an office's seats belongs to its branch node, which
// gives them away as same-day walk-in slots on its own, even while cut off from the central server.
// Central channels never take them, so the two sides can book at the same time without colliding.
import type { PlannedUnit } from './capacity-types.ts';
import { localDate } from './zoned-time.ts';

/** Without enough history: 10 % no-shows plus 5 % walk-ins, the figures the pilot offices named. */
export const DEFAULT_LEASE_SHARE = 0.15;
/** The lease never takes more than half a day: the rest stays bookable online and by phone. */
export const MAX_LEASE_SHARE = 0.5;
/** Fewer decided appointments than this say nothing about an office's no-show rate. */
const MIN_HISTORY = 20;

export type LeaseHistory = {
  /** Appointments of the recent past that ended served or no_show. */
  decided: number;
  noShows: number;
  /** Tickets of the recent past, and how many of them were walk-ins. */
  tickets: number;
  walkins: number;
};

/**
 * The expected no-show + walk-in share: seats booked ahead that stay empty, plus the demand that
 * arrives without an appointment — together what the branch can give on the day without taking
 * anything from people who book ahead.
 */
export function expectedLeaseShare(history: LeaseHistory): number {
  if (history.decided < MIN_HISTORY) return DEFAULT_LEASE_SHARE;
  const noShowRate = history.noShows / history.decided;
  const walkinShare = history.tickets > 0 ? history.walkins / history.tickets : 0;
  return Math.min(MAX_LEASE_SHARE, noShowRate + walkinShare);
}

/**
 * Leased seats per unit: per office-local day, round(share × the day's seats), spread evenly over
 * the units (Bresenham, as the plan spreads held-back seats) and never more than a unit's seats that
 * are not already held back or kept for the phone.
 */
export function planLease(units: readonly PlannedUnit[], share: number, timeZone: string): Map<number, number> {
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new RangeError(`lease share must be between 0 and 1, got ${share}`);
  const leased = new Map<number, number>();
  const days = new Map<string, PlannedUnit[]>();
  for (const unit of units) {
    const day = localDate(unit.startsAt, timeZone);
    const list = days.get(day);
    if (list) list.push(unit);
    else days.set(day, [unit]);
  }
  for (const dayUnits of days.values()) {
    const weights = dayUnits.map((u) => Math.max(0, u.capacity - u.heldBack - u.phoneReserved));
    const total = weights.reduce((sum, w) => sum + w, 0);
    const seats = Math.min(total, Math.round(share * dayUnits.reduce((sum, u) => sum + u.capacity, 0)));
    let cumulative = 0;
    let given = 0;
    dayUnits.forEach((unit, i) => {
      cumulative += weights[i]!;
      const due = total === 0 ? 0 : Math.floor((2 * cumulative * seats + total) / (2 * total));
      leased.set(unit.startsAt, due - given);
      given = due;
    });
  }
  return leased;
}

/** A unit as the branch lease sees it: its seats, the closed ones, its load, and the leased seats with their load. */
export type LeaseUnit = { capacity: number; closed: number; load: number; leased: number; leaseLoad: number };

/**
 * The lease has a seat to give in this unit: a leased seat not yet given, and the closures have left
 * a seat open (the closed-seat guard in the database refuses the rest anyway). The SQL twin is
 * hasLeaseSeat (src/db/capacity-units.ts); test/db/seat-limit-sql.test.ts checks that both agree.
 */
export function leaseSeatFree(unit: LeaseUnit): boolean {
  return unit.leaseLoad < unit.leased && unit.load < unit.capacity - unit.closed;
}
