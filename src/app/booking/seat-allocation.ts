import { UNIT_MS, type BookingChannel } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SeatRule } from '../../domain/release.ts';
import { unitsCovering } from '../../domain/slot-search.ts';
import { changeLoad, returnLeaseSeats, takeFreeSeats } from '../../db/capacity-units.ts';
import type { Trx } from '../../db/transaction.ts';
import { releaseLeaseBookings } from './branch-lease.ts';
import type { OfficeSchedule } from '../shared/catalogue.ts';
import { currentSeatRule } from './seat-rules.ts';

/**
 * Takes one seat in every unit the appointment covers, or throws slot_unavailable; the caller's
 * transaction then rolls back the seats already taken. One conditional UPDATE: a unit's row lock and
 * the re-check of its load happen together, so two transactions can never both take the last seat
 * (invariant 1).
 */
export async function takeSeats(
  trx: Trx,
  input: { schedule: OfficeSchedule; start: number; durationUnits: number; channel: BookingChannel; now: number },
): Promise<void> {
  const { schedule, start, durationUnits, channel, now } = input;
  const rule = currentSeatRule(schedule, now, channel);
  checkSeatWindow(rule, schedule.office.id, start);
  const starts = unitsCovering(start, durationUnits);
  const taken = await takeFreeSeats(
    trx,
    { officeId: schedule.office.id, municipalityId: schedule.office.municipality_id },
    starts,
    rule.limitParameters,
  );
  if (taken !== starts.length) throw unavailable(schedule.office.id, start);
}

/** Throws slot_unavailable when `start` is outside what the channel may book now (not yet released, too soon). */
export function checkSeatWindow(rule: SeatRule, officeId: string, start: number): void {
  if (start < rule.earliestStart || start >= rule.latestStartExclusive) throw unavailable(officeId, start);
}

/** Gives an appointment's seats back; with its id, a walk-in slot of the branch lease gives back what it took (#6). */
export async function releaseSeats(
  trx: Trx,
  input: { officeId: string; start: number; end: number; appointmentId?: string },
): Promise<void> {
  const durationUnits = Math.round((input.end - input.start) / UNIT_MS);
  const starts = unitsCovering(input.start, durationUnits);
  const lease = input.appointmentId ? (await releaseLeaseBookings(trx, [input.appointmentId])).get(input.appointmentId) : undefined;
  // Beyond the lease the slot never took a seat: lowering the load would free a seat someone holds.
  if (lease === false) return;
  await changeLoad(trx, input.officeId, starts, -1);
  if (lease === true)
    await returnLeaseSeats(
      trx,
      starts.map((start) => ({ officeId: input.officeId, start, n: 1 })),
    );
}

function unavailable(officeId: string, start: number): DomainError {
  return new DomainError('slot_unavailable', 'This time is no longer available', { officeId, start: new Date(start).toISOString() });
}
