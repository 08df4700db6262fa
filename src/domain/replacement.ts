// Where a replacement for a cancelled appointment is held: same office first, then the office with
// the earliest free time. Affected citizens come before the public: they may use the seats kept for
// phone booking and the extra seats opened only for replacements, and slots beyond the current
// release wave (up to the replacement horizon).
import { wallTimeInstant } from './capacity-plan.ts';
import { UNIT_MS, type PlannedUnit, type ReleasePolicy } from './capacity-types.ts';
import { seatRule } from './release.ts';
import { localDayBounds, localDayStart, localPlainDate } from './zoned-time.ts';

export type SeatMarkers = {
  /** Seats taken out of service by closures. */
  closed?: number;
  /** Extra seats only replacement offers may use (a Saturday or longer hours opened after a closure). */
  rebookingOnly?: number;
};

export type ReplacementUnit = PlannedUnit & SeatMarkers & { load: number };

/** Held-back seats count only on the day they are released, as for everyone else. */
export type ReplacementLimitParameters = { heldBackReleasedFrom: number; heldBackReleasedUntil: number };

export function replacementSeatLimit(unit: ReplacementUnit, p: ReplacementLimitParameters): number {
  const heldReleased = unit.startsAt >= p.heldBackReleasedFrom && unit.startsAt < p.heldBackReleasedUntil;
  const seats = unit.capacity - (unit.closed ?? 0) - (heldReleased ? 0 : unit.heldBack);
  return seats > 0 ? seats : 0;
}

export type OfficeUnits = {
  officeId: string;
  /** Sorted by startsAt, from the earliest allowed start on. */
  units: ReplacementUnit[];
  limit: ReplacementLimitParameters;
  earliestStart: number;
  latestStartExclusive: number;
};

export type HeldSlot = { officeId: string; start: number; end: number; unitStarts: number[] };

/**
 * Finds and takes replacement slots in memory, one appointment after the other. Loads only grow
 * while it runs, so the earliest possible start for a duration only moves forward: a cursor per
 * office and duration keeps 10,000 searches linear. The caller writes what was taken to the
 * database with a guarded update and reloads an office if someone else was faster.
 */
export class ReplacementFinder {
  private readonly offices = new Map<string, OfficeUnits>();
  private readonly cursors = new Map<string, number>();

  constructor(offices: readonly OfficeUnits[]) {
    for (const office of offices) this.offices.set(office.officeId, office);
  }

  /** Replaces one office's units after a conflict, forgetting its cursors. */
  reload(office: OfficeUnits): void {
    this.offices.set(office.officeId, office);
    for (const key of [...this.cursors.keys()]) if (key.startsWith(`${office.officeId}\u0000`)) this.cursors.delete(key);
  }

  /** Same office first; otherwise whichever other office can offer the earliest start. */
  find(input: {
    preferredOfficeId: string;
    otherOfficeIds: readonly string[];
    durationUnits: number;
    notBefore?: number;
  }): HeldSlot | null {
    const own = this.earliest(input.preferredOfficeId, input.durationUnits, input.notBefore);
    if (own) return own;
    let best: HeldSlot | null = null;
    for (const officeId of input.otherOfficeIds) {
      const slot = this.earliest(officeId, input.durationUnits, input.notBefore);
      if (slot && (!best || slot.start < best.start)) best = slot;
    }
    return best;
  }

  /** Marks the slot's seats as taken in memory. */
  take(slot: HeldSlot): void {
    const office = this.offices.get(slot.officeId);
    if (!office) throw new RangeError(`unknown office ${slot.officeId}`);
    const startIndex = indexOf(office.units, slot.start);
    for (let k = 0; k < slot.unitStarts.length; k++) office.units[startIndex + k]!.load++;
  }

  /** The earliest start in one office with a free seat in n consecutive units, or null. */
  earliest(officeId: string, durationUnits: number, notBefore?: number): HeldSlot | null {
    const office = this.offices.get(officeId);
    if (!office) return null;
    const key = `${officeId}\u0000${durationUnits}`;
    const { units, limit } = office;
    const from = notBefore === undefined ? (this.cursors.get(key) ?? 0) : firstIndexAtOrAfter(units, notBefore);
    let run = 0;
    let previous = Number.NEGATIVE_INFINITY;
    for (let i = from; i < units.length; i++) {
      const unit = units[i]!;
      const adjacent = unit.startsAt - previous === UNIT_MS;
      previous = unit.startsAt;
      const free = unit.load < replacementSeatLimit(unit, limit);
      run = free ? (adjacent ? run + 1 : 1) : 0;
      if (run < durationUnits) continue;
      const startIndex = i - durationUnits + 1;
      const start = units[startIndex]!.startsAt;
      if (start >= office.latestStartExclusive) break;
      if (start < office.earliestStart) continue;
      if (notBefore === undefined) this.cursors.set(key, startIndex);
      const unitStarts = Array.from({ length: durationUnits }, (_, k) => start + k * UNIT_MS);
      return { officeId, start, end: start + durationUnits * UNIT_MS, unitStarts };
    }
    if (notBefore === undefined) this.cursors.set(key, units.length);
    return null;
  }
}

function indexOf(units: readonly ReplacementUnit[], startsAt: number): number {
  const i = firstIndexAtOrAfter(units, startsAt);
  if (units[i]?.startsAt !== startsAt) throw new RangeError(`no unit at ${new Date(startsAt).toISOString()}`);
  return i;
}

function firstIndexAtOrAfter(units: readonly ReplacementUnit[], t: number): number {
  let lo = 0;
  let hi = units.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (units[mid]!.startsAt < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The window replacements are searched in for one office: from `leadMinutes` on (people need time
 * to read the message and come) to `days` ahead, or the end of the current release wave if later.
 */
export function replacementWindow(input: { policy: ReleasePolicy; timeZone: string; now: number; leadMinutes: number; days: number }): {
  earliestStart: number;
  latestStartExclusive: number;
  limit: ReplacementLimitParameters;
} {
  const { policy, timeZone, now } = input;
  const today = localPlainDate(now, timeZone);
  const [todayStart, tomorrowStart] = localDayBounds(today, timeZone);
  const sameDayOpen = now >= wallTimeInstant(today, policy.sameDayReleaseTime, timeZone);
  const horizon = localDayStart(today.add({ days: input.days + 1 }), timeZone);
  const released = seatRule({ policy, timeZone, now, channel: 'phone' }).latestStartExclusive;
  return {
    earliestStart: Math.ceil((now + input.leadMinutes * 60_000) / UNIT_MS) * UNIT_MS,
    latestStartExclusive: Math.max(horizon, released),
    limit: { heldBackReleasedFrom: sameDayOpen ? todayStart : 0, heldBackReleasedUntil: sameDayOpen ? tomorrowStart : 0 },
  };
}

/** Every start (up to `limit`) in one office where a replacement of n units fits, earliest first. */
export function freeReplacementStarts(office: OfficeUnits, durationUnits: number, limit: number): number[] {
  const starts: number[] = [];
  let run = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < office.units.length && starts.length < limit; i++) {
    const unit = office.units[i]!;
    const adjacent = unit.startsAt - previous === UNIT_MS;
    previous = unit.startsAt;
    run = unit.load < replacementSeatLimit(unit, office.limit) ? (adjacent ? run + 1 : 1) : 0;
    if (run < durationUnits) continue;
    const start = office.units[i - durationUnits + 1]!.startsAt;
    if (start >= office.latestStartExclusive) break;
    if (start >= office.earliestStart) starts.push(start);
  }
  return starts;
}
