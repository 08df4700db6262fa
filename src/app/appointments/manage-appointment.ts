import type { CancelReason } from '../../domain/cancel-reasons.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Appointment, AppointmentStatus } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { enqueueAppointmentMail } from '../messaging/appointment-mail.ts';
import { findByManageToken, secretMatches, toView, type AppointmentView } from './appointment-record.ts';
import { moveAppointment, recordEvent } from './appointment-rows.ts';
import { cachedSchedules, type OfficeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { releaseReservation } from './expire-reservations.ts';
import { releaseSeats, takeSeats } from '../booking/seat-allocation.ts';
import { appointmentUnits } from '../../domain/duration.ts';
import { UNIT_MS, type BookingChannel } from '../../domain/capacity-types.ts';

const OPEN: readonly AppointmentStatus[] = ['reserved', 'confirmed'];

export async function getAppointment(ctx: AppContext, manageToken: string): Promise<AppointmentView> {
  return toView(ctx.db, await findByManageToken(ctx.db, manageToken));
}

/**
 * Wrong codes a reservation survives: 5 guesses out of a million, then the seat goes back to
 * everyone and the citizen books again (the link in the mail alone never confirms).
 */
export const MAX_CONFIRMATION_FAILURES = 5;

export async function confirmAppointment(ctx: AppContext, manageToken: string, code: string): Promise<AppointmentView> {
  const now = ctx.now();
  // A wrong code is an answer that must be committed (the count), so it is thrown after the transaction.
  const outcome = await inTransaction(ctx.db, async (trx): Promise<Appointment | DomainError> => {
    // The row lock serialises attempts on one reservation: parallel guesses are counted one by one.
    const appointment = await findByManageToken(trx, manageToken, { lock: true });
    // Confirming twice (a double click, a reloaded page) is not an error.
    if (appointment.status === 'confirmed') return appointment;
    if (appointment.status === 'expired' && appointment.confirmation_failures >= MAX_CONFIRMATION_FAILURES) return tooManyCodes();
    if (
      appointment.status === 'expired' ||
      (appointment.status === 'reserved' && appointment.reserved_until && appointment.reserved_until.getTime() <= now)
    ) {
      throw new DomainError('reservation_expired', 'The reservation was not confirmed in time and has lapsed');
    }
    if (appointment.status !== 'reserved') throw invalidState(appointment);
    if (!appointment.confirmation_code_hash || !secretMatches(code.trim(), appointment.confirmation_code_hash)) {
      const failures = appointment.confirmation_failures + 1;
      await trx
        .updateTable('appointment')
        .set({ confirmation_failures: failures, updated_at: new Date(now) })
        .where('id', '=', appointment.id)
        .execute();
      if (failures < MAX_CONFIRMATION_FAILURES) {
        return new DomainError('invalid_code', 'The confirmation code is not correct', {
          attemptsLeft: MAX_CONFIRMATION_FAILURES - failures,
        });
      }
      await releaseReservation(trx, appointment, { now, reason: 'too_many_codes' });
      return tooManyCodes();
    }
    return moveAppointment(
      trx,
      {
        id: appointment.id,
        from: 'reserved',
        to: 'confirmed',
        at: now,
        actor: 'citizen',
        action: 'confirmed',
        set: { reserved_until: null },
      },
      { returning: true },
    );
  });
  if (outcome instanceof DomainError) throw outcome;
  return toView(ctx.db, outcome);
}

function tooManyCodes(): DomainError {
  return new DomainError('too_many_codes', 'Too many wrong codes: the reservation was released; please book again', {
    maxAttempts: MAX_CONFIRMATION_FAILURES,
  });
}

export async function cancelAppointment(ctx: AppContext, manageToken: string, actor = 'citizen'): Promise<AppointmentView> {
  const now = ctx.now();
  const row = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findByManageToken(trx, manageToken, { lock: true });
    return cancelLockedAppointment(ctx, trx, appointment, { actor, now, manageToken, reason: 'citizen' });
  });
  return toView(ctx.db, row);
}

/**
 * Moves an appointment in one transaction: the old seats are given back and the new ones taken;
 * if the new time cannot be had, the rollback restores the old booking untouched.
 */
export async function rescheduleAppointment(
  ctx: AppContext,
  manageToken: string,
  target: { start: number; officeId?: string | undefined },
  actor = 'citizen',
): Promise<AppointmentView> {
  const now = ctx.now();
  assertValidStart(target.start, now);
  const schedules = await cachedSchedules(ctx);
  const row = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findByManageToken(trx, manageToken, { lock: true });
    return rescheduleLockedAppointment(ctx, trx, appointment, target, { actor, now, manageToken, channel: 'online', schedules });
  });
  return toView(ctx.db, row);
}

export type ChangeOptions = {
  actor: string;
  now: number;
  /** The token the mail links to (the citizen's, or a fresh one issued by staff). */
  manageToken: string;
};

/**
 * Cancels an appointment the caller has locked (SELECT … FOR UPDATE) in `trx`. Shared by the
 * citizen's link and the staff pages, which differ only in how they find the row and who acts.
 */
export async function cancelLockedAppointment(
  ctx: AppContext,
  trx: Trx,
  appointment: Appointment,
  options: ChangeOptions & { reason: CancelReason; explanation?: string | null },
): Promise<Appointment> {
  const { now, actor } = options;
  if (appointment.status === 'cancelled') return appointment;
  if (!OPEN.includes(appointment.status)) throw invalidState(appointment);
  if (appointment.starts_at.getTime() <= now) throw new DomainError('too_late', 'The appointment has already begun');
  await releaseSeats(trx, {
    officeId: appointment.office_id,
    start: appointment.starts_at.getTime(),
    end: appointment.ends_at.getTime(),
    appointmentId: appointment.id,
  });
  const updated = await moveAppointment(
    trx,
    {
      id: appointment.id,
      from: appointment.status,
      to: 'cancelled',
      at: now,
      actor,
      action: 'cancelled',
      details: { reason: options.reason },
      set: { reserved_until: null },
    },
    { returning: true },
  );
  await enqueueAppointmentMail(ctx, trx, {
    kind: 'cancelled',
    appointment: updated,
    manageToken: options.manageToken,
    reason: options.reason,
    explanation: options.explanation ?? null,
  });
  return updated;
}

/**
 * Moves an appointment the caller has locked in `trx`; staff pass channel 'phone' and may use phone seats.
 * `schedules` is the catalogue read before the transaction: a snapshot that expired would be reloaded
 * through ctx.db, and on the embedded database's one connection that waits for this transaction for ever.
 */
export async function rescheduleLockedAppointment(
  ctx: AppContext,
  trx: Trx,
  appointment: Appointment,
  target: { start: number; officeId?: string | undefined },
  options: ChangeOptions & { channel: BookingChannel; schedules: readonly OfficeSchedule[] },
): Promise<Appointment> {
  const { now, actor } = options;
  assertValidStart(target.start, now);
  if (!OPEN.includes(appointment.status)) throw invalidState(appointment);
  if (appointment.starts_at.getTime() <= now) throw new DomainError('too_late', 'The appointment has already begun');
  const officeId = target.officeId ?? appointment.office_id;
  const schedule = options.schedules.find((s) => s.office.id === officeId);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${officeId}`, { officeId });
  const items = await trx
    .selectFrom('appointment_service')
    .innerJoin('service', 'service.id', 'appointment_service.service_id')
    .select(['service.id', 'service.duration_minutes', 'service.duration_further_minutes', 'appointment_service.persons'])
    .where('appointment_id', '=', appointment.id)
    .execute();
  if (items.some((i) => !schedule.serviceIds.has(i.id))) {
    throw new DomainError('service_not_offered', `${schedule.office.name} does not offer these services`, { officeId });
  }
  const durationUnits = appointmentUnits(
    items.map((i) => ({ durationMinutes: i.duration_minutes, furtherMinutes: i.duration_further_minutes, persons: i.persons })),
  );
  await releaseSeats(trx, {
    officeId: appointment.office_id,
    start: appointment.starts_at.getTime(),
    end: appointment.ends_at.getTime(),
    appointmentId: appointment.id,
  });
  await takeSeats(trx, { schedule, start: target.start, durationUnits, channel: options.channel, now });
  const updated = await trx
    .updateTable('appointment')
    .set({
      office_id: officeId,
      starts_at: new Date(target.start),
      ends_at: new Date(target.start + durationUnits * UNIT_MS),
      updated_at: new Date(now),
    })
    .where('id', '=', appointment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    appointmentId: appointment.id,
    at: now,
    actor,
    action: 'rescheduled',
    from: appointment.status,
    to: appointment.status,
    details: {
      fromStart: appointment.starts_at.toISOString(),
      fromOffice: appointment.office_id,
      toStart: new Date(target.start).toISOString(),
      toOffice: officeId,
    },
  });
  await enqueueAppointmentMail(ctx, trx, { kind: 'rescheduled', appointment: updated, manageToken: options.manageToken });
  return updated;
}

function assertValidStart(start: number, now: number): void {
  if (start % UNIT_MS !== 0) throw new DomainError('start_not_on_grid', 'Appointments start on a 5-minute grid');
  if (start <= now) throw new DomainError('start_in_past', 'This time is in the past');
}

function invalidState(appointment: Appointment): DomainError {
  return new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
}
