import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import type { QueueState } from './queue-board.ts';

export type CounterTicket = {
  label: string;
  id: string;
  kind: 'appointment' | 'walkin';
  /** The appointment's reference and the citizen's name; null for a walk-in. */
  reference: string | null;
  name: string | null;
  services: { nameDe: string; nameEn: string }[];
  dueAt: string | null;
};

/**
 * The ticket called to a counter, with what the clerk needs to serve the person: for an appointment
 * the citizen's name, a read of personal data that is audited like any other (appointment.read).
 * The queue itself carries no names (queue-board.ts).
 */
export async function readCounterTicket(
  ctx: AppContext,
  principal: Principal,
  queue: QueueState,
  counterNumber: number,
): Promise<CounterTicket | null> {
  assertOfficeAccess(principal, queue.officeId);
  const ticket = queue.called.find((t) => t.counterNumber === counterNumber);
  if (!ticket) return null;
  const appointment = ticket.appointmentId
    ? await ctx.db
        .selectFrom('appointment')
        .select(['id', 'citizen_name', 'reference'])
        .where('id', '=', ticket.appointmentId)
        .executeTakeFirst()
    : undefined;
  const serviceIds = ticket.appointmentId
    ? (
        await ctx.db.selectFrom('appointment_service').select('service_id').where('appointment_id', '=', ticket.appointmentId).execute()
      ).map((s) => s.service_id)
    : ticket.serviceId
      ? [ticket.serviceId]
      : [];
  const names = serviceIds.length
    ? await ctx.db.selectFrom('service').select(['name_de', 'name_en']).where('id', 'in', serviceIds).execute()
    : [];
  if (appointment) {
    await audit(ctx.db, {
      actor: actorOf(principal),
      action: 'appointment.read',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: queue.officeId,
      at: ctx.now(),
      details: { ticket: ticket.label, counter: counterNumber },
    });
  }
  return {
    label: ticket.label,
    id: ticket.id,
    kind: ticket.kind,
    reference: appointment?.reference ?? null,
    name: appointment?.citizen_name ?? null,
    services: names.map((n) => ({ nameDe: n.name_de, nameEn: n.name_en })),
    dueAt: ticket.dueAt,
  };
}
