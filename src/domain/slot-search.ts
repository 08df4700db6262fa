// Where an appointment of n units fits: n consecutive units, each with a free seat for this channel.
// Runs on every search, so it is a single pass over plain numbers.
import { UNIT_MS, type UnitLoad } from './capacity-types.ts';
import type { SeatRule } from './release.ts';

function assertDuration(durationUnits: number): void {
  if (!Number.isInteger(durationUnits) || durationUnits < 1) {
    throw new RangeError(`durationUnits must be a whole number >= 1, got ${durationUnits}`);
  }
}

export function findSlotStarts(input: { units: readonly UnitLoad[]; durationUnits: number; rule: SeatRule; limit: number }): number[] {
  return findSlotStartsInDays({ ...input, days: [input.units] });
}

/**
 * findSlotStarts over consecutive runs of units (a search's cached days, as they are), so that a
 * search over two weeks does not first copy some 2,000 units into one array to find five starts.
 */
export function findSlotStartsInDays(input: {
  days: readonly (readonly UnitLoad[])[];
  durationUnits: number;
  rule: SeatRule;
  limit: number;
}): number[] {
  const { days, durationUnits, rule, limit } = input;
  assertDuration(durationUnits);
  const starts: number[] = [];
  if (limit <= 0) return starts;
  const runBefore = (durationUnits - 1) * UNIT_MS;
  // Length of the run of free, gap-free units that ends at the current unit.
  let run = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (const units of days) {
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      if (unit.startsAt <= previous) {
        // Unsorted input would make "consecutive" meaningless and could hand out overlapping seats.
        throw new RangeError('units must be sorted by startsAt without duplicates');
      }
      const adjacent = unit.startsAt - previous === UNIT_MS;
      previous = unit.startsAt;
      const free = unit.load < rule.limit(unit);
      run = free ? (adjacent ? run + 1 : 1) : 0;
      if (run < durationUnits) continue;
      // The run's units are adjacent, so the appointment starts durationUnits - 1 units back.
      const start = unit.startsAt - runBefore;
      // Starts only grow from here on, so nothing later can be released either.
      if (start >= rule.latestStartExclusive) return starts;
      if (start < rule.earliestStart) continue;
      starts.push(start);
      if (starts.length >= limit) return starts;
    }
  }
  return starts;
}

export function unitsCovering(start: number, durationUnits: number): number[] {
  assertDuration(durationUnits);
  if (start % UNIT_MS !== 0) throw new RangeError(`start ${start} is not on the ${UNIT_MS} ms unit grid`);
  return Array.from({ length: durationUnits }, (_, k) => start + k * UNIT_MS);
}
