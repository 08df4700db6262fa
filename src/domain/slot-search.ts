// Where an appointment of n units fits: n consecutive units, each with a free seat for this channel.
// Runs on every search, so it is a single pass over plain numbers.
import { UNIT_MS, type UnitLoad } from './capacity-types.ts';
import type { SeatRule } from './release.ts';

function assertDuration(durationUnits: number): void {
  if (!Number.isInteger(durationUnits) || durationUnits < 1) {
    throw new RangeError(`durationUnits must be a whole number >= 1, got ${durationUnits}`);
  }
}

export function findSlotStarts(input: {
  units: readonly UnitLoad[];
  durationUnits: number;
  rule: SeatRule;
  limit: number;
}): number[] {
  const { units, durationUnits, rule, limit } = input;
  assertDuration(durationUnits);
  const starts: number[] = [];
  if (limit <= 0) return starts;
  // Length of the run of free, gap-free units that ends at the current unit.
  let run = 0;
  let previous = Number.NEGATIVE_INFINITY;
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
    const start = units[i - durationUnits + 1]!.startsAt;
    // Starts only grow from here on, so nothing later can be released either.
    if (start >= rule.latestStartExclusive) break;
    if (start < rule.earliestStart) continue;
    starts.push(start);
    if (starts.length >= limit) break;
  }
  return starts;
}

export function unitsCovering(start: number, durationUnits: number): number[] {
  assertDuration(durationUnits);
  if (start % UNIT_MS !== 0) throw new RangeError(`start ${start} is not on the ${UNIT_MS} ms unit grid`);
  return Array.from({ length: durationUnits }, (_, k) => start + k * UNIT_MS);
}
