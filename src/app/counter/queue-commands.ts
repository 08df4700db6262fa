import { isUuid } from '../../domain/uuid.ts';
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { callOrder, checkInVerdict, ticketLabel, type TicketPrefix } from '../../domain/queue.ts';
import { normaliseReference } from '../../domain/reference.ts';
import type { AppointmentStatus } from '../../db/schema.ts';
import type { Ticket, TicketState } from '../../db/counter-schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { moveAppointment, recordEvent } from '../appointments/appointment-rows.ts';
import { NO_SHOW_REVERTED, reinstate } from '../appointments/sweep-no-shows.ts';
import type { CounterCommand } from './counter-command.ts';
import type { CommandHandlerResult } from './counter-outcome.ts';
import { officeDayAt, queueSettings, type OfficeDay } from '../shared/office-time.ts';
import { releaseSeats } from '../booking/seat-allocation.ts';
import { walkinWaitMinutes } from './queue-board.ts';
import { ticketView } from './ticket-view.ts';

// Handlers of the queue commands. Each runs inside the dispatcher's transaction and reads the time
// only from the command, so replaying a command on another node has the same effect.

type C<T extends CounterCommand['type']> = Extract<CounterCommand, { type: T }>;

export async function openCounter(trx: Trx, c: C<'counter.open'>, at: number): Promise<CommandHandlerResult> {
  await assertCounter(trx, c.officeId, c.payload.counterNumber);
  const values = { actor: c.actor, opened_at: new Date(at) };
  await trx
    .insertInto('counter_station')
    .values({ office_id: c.officeId, counter_number: c.payload.counterNumber, ...values })
    .onConflict((oc) => oc.columns(['office_id', 'counter_number']).doUpdateSet(values))
    .execute();
  return {};
}

export async function closeCounter(trx: Trx, c: C<'counter.close'>): Promise<CommandHandlerResult> {
  await trx
    .deleteFrom('counter_station')
    .where('office_id', '=', c.officeId)
    .where('counter_number', '=', c.payload.counterNumber)
    .execute();
  return {};
}

/** An appointment arrives: confirmed -> checked_in, with a T ticket. Checking in twice returns the same ticket. */
export async function checkIn(trx: Trx, c: C<'appointment.check_in'>, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  const reference = normaliseReference(c.payload.reference);
  const appointment = reference
    ? await trx.selectFrom('appointment').selectAll().where('reference', '=', reference).forUpdate().executeTakeFirst()
    : undefined;
  // Another office's appointment is not_found: the kiosk is public and must not reveal it.
  if (!appointment || appointment.office_id !== c.officeId) throw new DomainError('not_found', 'No appointment with this reference here');
  const existing = await trx.selectFrom('ticket').selectAll().where('appointment_id', '=', appointment.id).executeTakeFirst();
  if (existing) return { ticket: ticketView(existing), unchanged: true };
  if (appointment.status !== 'confirmed' && appointment.status !== 'no_show')
    throw new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
  const settings = await queueSettings(trx, c.officeId, office.day);
  const verdict = checkInVerdict(appointment.starts_at.getTime(), at, {
    earlyMinutes: settings.checkinEarlyMinutes,
    lateMinutes: settings.checkinLateMinutes,
  });
  if (appointment.status === 'no_show') {
    // No ticket, so the no-show sweep set it (#17). A check-in made while the window was open is a
    // fact the sweep did not know: a branch's check-in in Notbetrieb, replayed after the window closed.
    if (!verdict.ok) throw new DomainError('invalid_state', 'The appointment is no_show', { status: appointment.status });
    await reinstate(trx, appointment.id, { at, actor: c.actor, reason: 'checked_in_in_time' });
  }
  // A clerk took the no-show back for a late arrival: the window no longer applies.
  const lateButReinstated = !verdict.ok && verdict.reason === 'too_late' && (await wasReinstated(trx, appointment.id));
  if (!verdict.ok && !lateButReinstated) {
    const details = { opensAt: new Date(verdict.opensAt).toISOString(), closesAt: new Date(verdict.closesAt).toISOString() };
    throw new DomainError(
      verdict.reason === 'too_early' ? 'checkin_too_early' : 'checkin_too_late',
      `Check-in ${verdict.reason.replace('_', ' ')}`,
      details,
    );
  }
  const service = await trx
    .selectFrom('appointment_service')
    .select('service_id')
    .where('appointment_id', '=', appointment.id)
    .orderBy('service_id')
    .executeTakeFirst();
  const label = ticketLabel('T', await nextNumber(trx, office, 'T'));
  const ticket = await trx
    .insertInto('ticket')
    .values({
      id: c.payload.ticketId,
      office_id: c.officeId,
      day: office.day,
      label,
      kind: 'appointment',
      appointment_id: appointment.id,
      service_id: service?.service_id ?? null,
      state: 'waiting',
      priority: c.payload.priority ?? false,
      due_at: appointment.starts_at,
      arrived_at: new Date(at),
      counter_number: null,
      target_counter: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await moveAppointment(trx, {
    id: appointment.id,
    from: 'confirmed',
    to: 'checked_in',
    at,
    actor: c.actor,
    action: 'checked_in',
    details: { ticket: label },
  });
  return { ticket: ticketView(ticket) };
}

/** A walk-in (Spontankunde) draws an S ticket, within the office's daily quota; emergencies (priority) always get one. */
export async function issueWalkin(trx: Trx, c: C<'walkin.issue'>, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  const offered = await trx
    .selectFrom('office_service')
    .select('service_id')
    .where('office_id', '=', c.officeId)
    .where('service_id', '=', c.payload.serviceId)
    .executeTakeFirst();
  if (!offered) throw new DomainError('service_not_offered', 'This office does not offer the service', { serviceId: c.payload.serviceId });
  const priority = c.payload.priority ?? false;
  // The sequence row is locked from here to the commit: the count below is exact under concurrency.
  const number = await nextNumber(trx, office, 'S');
  if (!priority) {
    const settings = await queueSettings(trx, c.officeId, office.day);
    const issued = await trx
      .selectFrom('ticket')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('office_id', '=', c.officeId)
      .where('day', '=', office.day)
      .where('kind', '=', 'walkin')
      .where('priority', '=', false)
      .executeTakeFirstOrThrow();
    if (Number(issued.n) >= settings.walkinQuota)
      throw new DomainError('walkin_quota_exhausted', 'Walk-in quota reached', { quota: settings.walkinQuota });
  }
  const ticket = await trx
    .insertInto('ticket')
    .values({
      id: c.payload.ticketId,
      office_id: c.officeId,
      day: office.day,
      label: ticketLabel('S', number),
      kind: 'walkin',
      appointment_id: null,
      service_id: c.payload.serviceId,
      state: 'waiting',
      priority,
      due_at: null,
      arrived_at: new Date(at),
      counter_number: null,
      target_counter: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ticket: ticketView(ticket), waitMinutes: await walkinWaitMinutes(trx, office, at, ticket.id) };
}

/**
 * Calls the first waiting ticket by the rules of callOrder. The conditional UPDATE (… AND state =
 * 'waiting') is the guard against two counters pressing at once: the second one blocks on the row
 * lock, finds the ticket no longer waiting, and moves on to the next candidate.
 */
export async function callNext(trx: Trx, c: C<'ticket.call_next'>, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  const counter = c.payload.counterNumber;
  await assertCounter(trx, c.officeId, counter);
  await assertCounterFree(trx, office, counter);
  const waiting = await trx
    .selectFrom('ticket')
    .selectAll()
    .where('office_id', '=', c.officeId)
    .where('day', '=', office.day)
    .where('state', '=', 'waiting')
    .execute();
  const order = callOrder(
    waiting.map((t) => ({
      id: t.id,
      label: t.label,
      kind: t.kind,
      priority: t.priority,
      dueAt: t.due_at?.getTime() ?? null,
      arrivedAt: t.arrived_at.getTime(),
      targetCounter: t.target_counter,
    })),
    counter,
    at,
  );
  for (const candidate of order) {
    const called = await markCalled(trx, candidate.id, counter, at, c.actor);
    if (called)
      return {
        ticket: ticketView(called),
        resolved: {
          type: 'ticket.call',
          officeId: c.officeId,
          actor: c.actor,
          at: c.at,
          payload: { ticketId: called.id, counterNumber: counter },
        },
      };
  }
  return { ticket: null, unchanged: true };
}

/** Calls one particular waiting ticket (a clerk picks it from the list; replay of a call_next). */
export async function callTicket(trx: Trx, c: C<'ticket.call'>, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  await assertCounter(trx, c.officeId, c.payload.counterNumber);
  await assertCounterFree(trx, office, c.payload.counterNumber);
  const ticket = await lockTicket(trx, c.officeId, c.payload.ticketId);
  if (ticket.state !== 'waiting') throw invalidTicket(ticket);
  const called = await markCalled(trx, ticket.id, c.payload.counterNumber, at, c.actor);
  if (!called) throw invalidTicket(ticket);
  return { ticket: ticketView(called) };
}

export async function callTicketAgain(trx: Trx, c: C<'ticket.call_again'>, at: number): Promise<CommandHandlerResult> {
  const ticket = await lockTicket(trx, c.officeId, c.payload.ticketId);
  if (ticket.state !== 'called' || ticket.counter_number === null) throw invalidTicket(ticket);
  const updated = await trx
    .updateTable('ticket')
    .set({ call_count: sql`call_count + 1`, called_at: new Date(at) })
    .where('id', '=', ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertCall(trx, updated, ticket.counter_number, at);
  if (ticket.appointment_id)
    await moveAppointment(trx, {
      id: ticket.appointment_id,
      from: 'called',
      to: 'called',
      at,
      actor: c.actor,
      action: 'called_again',
      details: { ticket: ticket.label, counter: ticket.counter_number },
    });
  return { ticket: ticketView(updated) };
}

/** called -> served, or waiting|called -> no_show; the appointment follows. */
export async function finishTicket(
  trx: Trx,
  c: C<'ticket.served' | 'ticket.no_show'>,
  at: number,
  state: 'served' | 'no_show',
): Promise<CommandHandlerResult> {
  const ticket = await lockTicket(trx, c.officeId, c.payload.ticketId);
  const allowed: TicketState[] = state === 'served' ? ['called'] : ['waiting', 'called'];
  if (!allowed.includes(ticket.state)) throw invalidTicket(ticket);
  const updated = await trx
    .updateTable('ticket')
    .set({ state, finished_at: new Date(at) })
    .where('id', '=', ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (ticket.appointment_id) {
    const from: AppointmentStatus = ticket.state === 'called' ? 'called' : 'checked_in';
    await moveAppointment(trx, {
      id: ticket.appointment_id,
      from,
      to: state,
      at,
      actor: c.actor,
      action: state,
      details: { ticket: ticket.label, counter: ticket.counter_number },
    });
  }
  return { ticket: ticketView(updated) };
}

/** Back into the queue for another counter and/or service; only the target counter may call it then. */
export async function forwardTicket(trx: Trx, c: C<'ticket.forward'>, at: number): Promise<CommandHandlerResult> {
  const ticket = await lockTicket(trx, c.officeId, c.payload.ticketId);
  if (ticket.state !== 'called') throw invalidTicket(ticket);
  if (c.payload.toCounter !== null) await assertCounter(trx, c.officeId, c.payload.toCounter);
  if (c.payload.toServiceId !== null) {
    const offered = await trx
      .selectFrom('office_service')
      .select('service_id')
      .where('office_id', '=', c.officeId)
      .where('service_id', '=', c.payload.toServiceId)
      .executeTakeFirst();
    if (!offered)
      throw new DomainError('service_not_offered', 'This office does not offer the service', { serviceId: c.payload.toServiceId });
  }
  const updated = await trx
    .updateTable('ticket')
    .set({
      state: 'waiting',
      counter_number: null,
      target_counter: c.payload.toCounter,
      service_id: c.payload.toServiceId ?? ticket.service_id,
    })
    .where('id', '=', ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (ticket.appointment_id) {
    await moveAppointment(trx, {
      id: ticket.appointment_id,
      from: 'called',
      to: 'checked_in',
      at,
      actor: c.actor,
      action: 'forwarded',
      details: {
        ticket: ticket.label,
        fromCounter: ticket.counter_number,
        toCounter: c.payload.toCounter,
        toServiceId: c.payload.toServiceId,
      },
    });
  }
  return { ticket: ticketView(updated) };
}

/** A citizen at the counter gives up a future appointment: its seats are free again at once. */
export async function cancelAtCounter(trx: Trx, c: C<'appointment.cancel'>, at: number): Promise<CommandHandlerResult> {
  const appointment = await trx
    .selectFrom('appointment')
    .selectAll()
    .where('id', '=', c.payload.appointmentId)
    .forUpdate()
    .executeTakeFirst();
  if (!appointment || appointment.office_id !== c.officeId) throw new DomainError('not_found', 'No such appointment');
  if (appointment.status === 'cancelled') return { unchanged: true };
  if (appointment.status !== 'confirmed' && appointment.status !== 'reserved')
    throw new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
  await releaseSeats(trx, {
    officeId: appointment.office_id,
    start: appointment.starts_at.getTime(),
    end: appointment.ends_at.getTime(),
    appointmentId: appointment.id,
  });
  await moveAppointment(trx, {
    id: appointment.id,
    from: appointment.status,
    to: 'cancelled',
    at,
    actor: c.actor,
    action: 'cancelled',
    details: { reason: 'citizen', at: 'counter' },
  });
  return {};
}

export async function recordPayment(trx: Trx, c: C<'fee.paid'>, at: number): Promise<CommandHandlerResult> {
  const ticket = c.payload.ticketId ? await lockTicket(trx, c.officeId, c.payload.ticketId) : null;
  let documentId: string | null = null;
  if (c.payload.documentOrderNumber) {
    const order = await trx
      .selectFrom('document_order')
      .select(['id', 'office_id'])
      .where('order_number', '=', c.payload.documentOrderNumber)
      .executeTakeFirst();
    if (!order || order.office_id !== c.officeId) throw new DomainError('not_found', 'No such document order');
    documentId = order.id;
  }
  await trx
    .insertInto('counter_payment')
    .values({
      id: c.payload.paymentId,
      office_id: c.officeId,
      ticket_id: ticket?.id ?? null,
      appointment_id: ticket?.appointment_id ?? null,
      document_order_id: documentId,
      amount_cents: c.payload.amountCents,
      method: c.payload.method,
      at: new Date(at),
      actor: c.actor,
    })
    .execute();
  if (ticket?.appointment_id) {
    const row = await trx.selectFrom('appointment').select('status').where('id', '=', ticket.appointment_id).executeTakeFirstOrThrow();
    await recordEvent(trx, {
      appointmentId: ticket.appointment_id,
      at,
      actor: c.actor,
      action: 'fee_paid',
      from: row.status,
      to: row.status,
      details: { amountCents: c.payload.amountCents, method: c.payload.method },
    });
  }
  return { ticket: ticket ? ticketView(ticket) : null };
}

async function nextNumber(trx: Trx, office: OfficeDay, prefix: TicketPrefix): Promise<number> {
  const row = await trx
    .insertInto('ticket_sequence')
    .values({ office_id: office.officeId, day: office.day, prefix, last: 1 })
    .onConflict((oc) => oc.columns(['office_id', 'day', 'prefix']).doUpdateSet({ last: sql`ticket_sequence.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

async function markCalled(trx: Trx, ticketId: string, counter: number, at: number, actor: string): Promise<Ticket | undefined> {
  const called = await trx
    .updateTable('ticket')
    .set({ state: 'called', counter_number: counter, called_at: new Date(at), call_count: sql`call_count + 1`, target_counter: null })
    .where('id', '=', ticketId)
    .where('state', '=', 'waiting')
    .returningAll()
    .executeTakeFirst();
  if (!called) return undefined;
  await insertCall(trx, called, counter, at);
  if (called.appointment_id)
    await moveAppointment(trx, {
      id: called.appointment_id,
      from: 'checked_in',
      to: 'called',
      at,
      actor,
      action: 'called',
      details: { ticket: called.label, counter },
    });
  return called;
}

async function insertCall(trx: Trx, ticket: Ticket, counter: number, at: number): Promise<void> {
  await trx
    .insertInto('queue_call')
    .values({
      office_id: ticket.office_id,
      day: ticket.day,
      ticket_id: ticket.id,
      label: ticket.label,
      counter_number: counter,
      at: new Date(at),
    })
    .execute();
}

async function lockTicket(trx: Trx, officeId: string, ticketId: string): Promise<Ticket> {
  const byId = isUuid(ticketId);
  const ticket = byId ? await trx.selectFrom('ticket').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst() : undefined;
  if (!ticket || ticket.office_id !== officeId) throw new DomainError('not_found', 'No such ticket');
  return ticket;
}

async function assertCounter(trx: Trx, officeId: string, counter: number): Promise<void> {
  const row = await trx
    .selectFrom('counter')
    .select('number')
    .where('office_id', '=', officeId)
    .where('number', '=', counter)
    .executeTakeFirst();
  if (!row)
    throw new DomainError('validation_failed', 'Unknown counter', {
      fields: [{ path: 'counterNumber', message: 'no such counter in this office' }],
    });
}

async function assertCounterFree(trx: Trx, office: OfficeDay, counter: number): Promise<void> {
  const busy = await trx
    .selectFrom('ticket')
    .select('label')
    .where('office_id', '=', office.officeId)
    .where('day', '=', office.day)
    .where('state', '=', 'called')
    .where('counter_number', '=', counter)
    .executeTakeFirst();
  if (busy)
    throw new DomainError('counter_busy', `Counter ${counter} still has ${busy.label}`, { ticket: busy.label, counterNumber: counter });
}

function invalidTicket(ticket: Ticket): DomainError {
  return new DomainError('invalid_state', `Ticket ${ticket.label} is ${ticket.state}`, { ticket: ticket.label, state: ticket.state });
}

async function wasReinstated(trx: Trx, appointmentId: string): Promise<boolean> {
  const event = await trx
    .selectFrom('appointment_event')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', NO_SHOW_REVERTED)
    .executeTakeFirst();
  return event !== undefined;
}
