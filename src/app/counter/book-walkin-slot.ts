import { leaseSeatFree } from '../../domain/branch-lease.ts';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { takeLeaseSeats } from '../../db/capacity-units.ts';
import { lockLeaseUnits } from '../../db/capacity-unit-reads.ts';
import type { Trx } from '../../db/transaction.ts';
import { insertAppointment } from '../appointments/appointment-rows.ts';
import { walkinSlotUnits } from '../booking/branch-lease.ts';
import { officeDayAt } from '../shared/office-time.ts';
import type { CounterCommand } from './counter-command.ts';
import type { CommandHandlerResult } from './counter-outcome.ts';
import { localDate } from '../../domain/zoned-time.ts';

// The handler of walkin.book_slot (#6): a same-day slot from the branch lease (booking/branch-lease.ts),
// given at the counter. It is a counter command, so a branch node journals it and the central server
// replays it against its own lease pool.

type BookSlot = Extract<CounterCommand, { type: 'walkin.book_slot' }>;

/**
 * A walk-in gets a slot later the same day („kommen Sie um 11:20 wieder“). It takes one lease seat
 * in each unit it covers; where the lease has no seat left, the citizen still gets the slot (the
 * office serves them) but without seats, flagged as beyond the lease — centrally a Klärfall.
 * Deterministic given the database: replayed centrally, it decides against the central lease pool.
 */
export async function bookWalkinSlot(trx: Trx, c: BookSlot, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  const start = Date.parse(c.payload.startsAt);
  const persons = c.payload.persons ?? 1;
  const units = await walkinSlotUnits(trx, c.officeId, c.payload.serviceId, persons);
  const day = Number.isFinite(start) ? localDate(start, office.timeZone) : null;
  // Same day, on the unit grid, not already over: a walk-in slot is for today only.
  if (day !== office.day || start % UNIT_MS !== 0 || start + UNIT_MS <= at) {
    throw new DomainError('validation_failed', 'A walk-in slot starts later today, on a 5-minute mark', {
      fields: [{ path: 'startsAt', message: 'later today, on a 5-minute mark' }],
    });
  }
  const starts = Array.from({ length: units }, (_, k) => start + k * UNIT_MS);
  // Decided on the newest row versions, under the row locks.
  const unitsOf = { officeId: c.officeId, municipalityId: office.municipalityId };
  const rows = await lockLeaseUnits(trx, unitsOf, starts);
  const withinLease = rows.length === units && rows.every(leaseSeatFree);
  if (withinLease) {
    const taken = await takeLeaseSeats(trx, unitsOf, starts);
    // Cannot happen under the row locks unless hasLeaseSeat and leaseSeatFree disagreed; throwing rolls the slot back.
    if (taken !== units) throw new Error(`walk-in slot: ${taken} of ${units} locked lease seats taken`);
  }
  const endsAt = new Date(start + units * UNIT_MS);
  // Id and reference come from the journalled command, so a replay writes the same row: nothing is drawn here.
  await insertAppointment(
    { randomBytes: noRandomness },
    trx,
    {
      id: c.payload.appointmentId,
      reference: c.payload.reference,
      officeId: c.officeId,
      municipalityId: office.municipalityId,
      start,
      end: endsAt.getTime(),
      status: 'confirmed',
      source: 'counter',
      language: 'de',
      citizen: { name: null, email: null, phone: null },
      // No link for the citizen: the slot was given in person, on a printed slip.
      manageTokenHash: `walkin-slot:${c.payload.appointmentId}`,
      reservedUntil: null,
      services: [{ serviceId: c.payload.serviceId, persons }],
      event: { actor: c.actor, action: 'booked', details: { walkinSlot: true, withinLease } },
    },
    at,
  );
  await trx
    .insertInto('lease_booking')
    .values({ appointment_id: c.payload.appointmentId, office_id: c.officeId, within_lease: withinLease, booked_at: new Date(at) })
    .execute();
  return {
    walkinSlot: {
      appointmentId: c.payload.appointmentId,
      reference: c.payload.reference,
      startsAt: new Date(start).toISOString(),
      endsAt: endsAt.toISOString(),
      withinLease,
    },
  };
}

function noRandomness(): never {
  throw new Error('bookWalkinSlot must not draw: a replay has to write the row the branch wrote');
}
