import { UNIT_MS, type BookingChannel } from '../domain/capacity-types.ts';
import { DomainError } from '../domain/errors.ts';
import { seatRule } from '../domain/release.ts';
import { unitsCovering } from '../domain/slot-search.ts';
import { changeLoad, lockUnits } from '../db/seats.ts';
import type { Trx } from '../db/transaction.ts';
import type { OfficeSchedule } from './catalogue.ts';

/**
 * Takes one seat in every unit the appointment covers, or throws slot_unavailable and takes none.
 * The units are locked first, so two transactions can never both see the last free seat (invariant 1).
 */
export async function takeSeats(
  trx: Trx,
  input: { schedule: OfficeSchedule; start: number; durationUnits: number; channel: BookingChannel; now: number },
): Promise<void> {
  const { schedule, start, durationUnits, channel, now } = input;
  const rule = seatRule({ policy: schedule.policy, timeZone: schedule.office.time_zone, now, channel });
  if (start < rule.earliestStart || start >= rule.latestStartExclusive) throw unavailable(schedule.office.id, start);
  const starts = unitsCovering(start, durationUnits);
  const units = await lockUnits(trx, schedule.office.id, starts);
  if (units.length !== starts.length || units.some((unit) => unit.load >= rule.limit(unit))) {
    throw unavailable(schedule.office.id, start);
  }
  await changeLoad(trx, schedule.office.id, starts, 1);
}

export async function releaseSeats(trx: Trx, input: { officeId: string; start: number; end: number }): Promise<void> {
  const durationUnits = Math.round((input.end - input.start) / UNIT_MS);
  await changeLoad(trx, input.officeId, unitsCovering(input.start, durationUnits), -1);
}

function unavailable(officeId: string, start: number): DomainError {
  return new DomainError('slot_unavailable', 'This time is no longer available', { officeId, start: new Date(start).toISOString() });
}
