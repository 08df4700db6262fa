import { inTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { officeTimeZone } from '../shared/office-time.ts';
import { findAppointmentForStaff } from './staff-appointments.ts';
import { reinstate } from './sweep-no-shows.ts';

/**
 * Takes back a no-show the sweep set (#17): the citizen arrived late after all. The appointment is
 * confirmed again and may be checked in past its window (checkIn looks for this event); the sweep
 * leaves it alone from now on. Only on the appointment's own office day — a late arrival — and only
 * for an appointment nobody checked in for: a no-show marked at the counter belongs to its ticket.
 * The event and an audit entry name the clerk.
 */
export async function revertNoShow(ctx: AppContext, principal: Principal, input: { appointmentId: string }): Promise<void> {
  const now = ctx.now();
  const actor = actorOf(principal);
  await inTransaction(ctx.db, async (trx) => {
    const appointment = await findAppointmentForStaff(trx, principal, input.appointmentId, { lock: true });
    if (appointment.status !== 'no_show')
      throw new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
    const ticket = await trx.selectFrom('ticket').select('id').where('appointment_id', '=', appointment.id).executeTakeFirst();
    if (ticket) throw new DomainError('invalid_state', 'Marked as no-show at the counter', { status: appointment.status });
    const zone = await officeTimeZone(trx, appointment.office_id);
    if (localDate(now, zone) !== localDate(appointment.starts_at.getTime(), zone))
      throw new DomainError('invalid_state', 'Only on the day of the appointment', { status: appointment.status });
    await reinstate(trx, appointment.id, { at: now, actor, reason: 'late_arrival' });
    await audit(trx, {
      actor,
      action: 'appointment.no_show_revert',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: appointment.office_id,
      at: now,
    });
  });
}
