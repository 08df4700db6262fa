import type { Ticket, TicketState } from '../../db/counter-schema.ts';

/** What staff, the kiosk and the display may see of a ticket: no names, no contact data. */
export type TicketView = {
  id: string;
  label: string;
  kind: 'appointment' | 'walkin';
  state: TicketState;
  priority: boolean;
  officeId: string;
  day: string;
  appointmentId: string | null;
  serviceId: string | null;
  dueAt: string | null;
  arrivedAt: string;
  calledAt: string | null;
  counterNumber: number | null;
  targetCounter: number | null;
  callCount: number;
};

export function ticketView(t: Ticket): TicketView {
  return {
    id: t.id,
    label: t.label,
    kind: t.kind,
    state: t.state,
    priority: t.priority,
    officeId: t.office_id,
    day: t.day,
    appointmentId: t.appointment_id,
    serviceId: t.service_id,
    dueAt: t.due_at?.toISOString() ?? null,
    arrivedAt: t.arrived_at.toISOString(),
    calledAt: t.called_at?.toISOString() ?? null,
    counterNumber: t.counter_number,
    targetCounter: t.target_counter,
    callCount: t.call_count,
  };
}
