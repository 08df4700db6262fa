import { UNIT_MINUTES } from './capacity-types.ts';

/**
 * Capacity units an appointment needs: one clerk serves all services and persons back to back,
 * so the minutes add up before rounding (rounding each service separately would waste seats).
 * The first person of a service takes `durationMinutes`, each further one `furtherMinutes`
 * (the town file's `minutes.further`; absent or null: as long as the first).
 */
export function appointmentUnits(items: readonly { durationMinutes: number; persons: number; furtherMinutes?: number | null }[]): number {
  if (items.length === 0) throw new RangeError('an appointment needs at least one service');
  let minutes = 0;
  for (const { durationMinutes, persons, furtherMinutes } of items) {
    if (!Number.isInteger(persons) || persons < 1) {
      throw new RangeError(`persons must be a whole number of at least 1, got ${persons}`);
    }
    // A zero or negative duration would let an appointment occupy no seat at all.
    if (!Number.isFinite(durationMinutes) || durationMinutes <= 0) {
      throw new RangeError(`durationMinutes must be a positive number, got ${durationMinutes}`);
    }
    const further = furtherMinutes ?? durationMinutes;
    if (!Number.isFinite(further) || further <= 0) throw new RangeError(`furtherMinutes must be a positive number, got ${further}`);
    minutes += durationMinutes + further * (persons - 1);
  }
  // The epsilon keeps float sums like 3 x 3.3333 from spilling into one more unit.
  return Math.ceil(minutes / UNIT_MINUTES - 1e-9);
}
