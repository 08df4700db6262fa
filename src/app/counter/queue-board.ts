import type { Kysely } from 'kysely';
import { callOrder, estimateWaitMinutes } from '../../domain/queue.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { ticketView, type TicketView } from './ticket-view.ts';
import { readDisplayNotice, type DisplayNotice } from './display-notice.ts';
import { listCounters } from './list-counters.ts';
import { officeDayAt, queueSettings, type OfficeDay } from '../shared/office-time.ts';

// Reads of the queue: the clerk's list, the call display, the walk-in estimate. No personal data.

const DISPLAY_CALLS = 8;

/**
 * Estimated wait for a walk-in drawing a ticket now: everyone waiting except appointments checked in
 * early, over the counters staffed now, at the median of today's recent processing times.
 */
export async function walkinWaitMinutes(db: Kysely<DB> | Trx, office: OfficeDay, at: number, exceptTicketId?: string): Promise<number> {
  const [waiting, recent, stations, settings] = await Promise.all([
    db
      .selectFrom('ticket')
      .select(['id', 'kind', 'due_at'])
      .where('office_id', '=', office.officeId)
      .where('day', '=', office.day)
      .where('state', '=', 'waiting')
      .execute(),
    db
      .selectFrom('ticket')
      .select(['called_at', 'finished_at'])
      .where('office_id', '=', office.officeId)
      .where('day', '=', office.day)
      .where('state', '=', 'served')
      .orderBy('finished_at', 'desc')
      .limit(20)
      .execute(),
    db.selectFrom('counter_station').select('counter_number').where('office_id', '=', office.officeId).execute(),
    queueSettings(db, office.officeId, office.day),
  ]);
  const ahead = waiting.filter((t) => t.id !== exceptTicketId && !(t.kind === 'appointment' && t.due_at && t.due_at.getTime() > at)).length;
  const recentMinutes = recent
    .filter((r) => r.called_at && r.finished_at)
    .map((r) => (r.finished_at!.getTime() - r.called_at!.getTime()) / 60_000);
  return estimateWaitMinutes({ ahead, recentMinutes, openCounters: stations.length, fallbackMinutes: settings.walkinMinutes });
}

export type QueueState = {
  officeId: string;
  day: string;
  /** Waiting tickets in the order a counter without forwarded tickets would call them. */
  waiting: (TicketView & { reference: string | null })[];
  called: (TicketView & { reference: string | null })[];
  counts: { waiting: number; called: number; served: number; noShow: number };
  walkins: { issued: number; quota: number; remaining: number };
  walkinWaitMinutes: number;
  stations: { counterNumber: number; actor: string; openedAt: string }[];
  counters: { number: number; name: string }[];
};

/** The queue of an office's day as the clerks see it. */
export async function readQueue(db: Kysely<DB>, officeId: string, at: number): Promise<QueueState> {
  const office = await officeDayAt(db, officeId, at);
  const [tickets, settings, stations, counters] = await Promise.all([
    db
      .selectFrom('ticket')
      .leftJoin('appointment', 'appointment.id', 'ticket.appointment_id')
      .selectAll('ticket')
      .select('appointment.reference')
      .where('ticket.office_id', '=', officeId)
      .where('ticket.day', '=', office.day)
      .execute(),
    queueSettings(db, officeId, office.day),
    db.selectFrom('counter_station').selectAll().where('office_id', '=', officeId).orderBy('counter_number').execute(),
    listCounters(db, officeId),
  ]);
  const view = (t: (typeof tickets)[number]) => ({ ...ticketView(t), reference: t.reference });
  const waiting = tickets.filter((t) => t.state === 'waiting');
  const order = callOrder(
    waiting.map((t) => ({
      id: t.id,
      label: t.label,
      kind: t.kind,
      priority: t.priority,
      dueAt: t.due_at?.getTime() ?? null,
      arrivedAt: t.arrived_at.getTime(),
      targetCounter: null,
    })),
    0,
    at,
  );
  const byId = new Map(waiting.map((t) => [t.id, t]));
  const issued = tickets.filter((t) => t.kind === 'walkin' && !t.priority).length;
  return {
    officeId,
    day: office.day,
    waiting: order.map((o) => view(byId.get(o.id)!)),
    called: tickets
      .filter((t) => t.state === 'called')
      .sort((a, b) => (a.counter_number ?? 0) - (b.counter_number ?? 0))
      .map(view),
    counts: {
      waiting: waiting.length,
      called: tickets.filter((t) => t.state === 'called').length,
      served: tickets.filter((t) => t.state === 'served').length,
      noShow: tickets.filter((t) => t.state === 'no_show').length,
    },
    walkins: { issued, quota: settings.walkinQuota, remaining: Math.max(0, settings.walkinQuota - issued) },
    walkinWaitMinutes: await walkinWaitMinutes(db, office, at),
    stations: stations.map((s) => ({ counterNumber: s.counter_number, actor: s.actor, openedAt: s.opened_at.toISOString() })),
    counters,
  };
}

export type DisplayBoard = {
  officeId: string;
  officeName: string;
  day: string;
  /** Id of the latest call: the display's event id; a higher one means a new call (gong). */
  lastCallId: number;
  calls: { label: string; counterNumber: number; at: string; state: string }[];
  waiting: number;
  walkinWaitMinutes: number;
  /** The office's time zone: the display's clock shows office time, whatever the device's zone. */
  timeZone: string;
  /** The team lead's notice line (#22), or null. */
  notice: DisplayNotice | null;
};

/** What the call display shows: the last few tickets called today, newest first, one line per ticket. */
export async function readDisplayBoard(db: Kysely<DB>, officeId: string, at: number): Promise<DisplayBoard> {
  const office = await officeDayAt(db, officeId, at);
  const [calls, waiting, wait, notice] = await Promise.all([
    db
      .selectFrom('queue_call')
      .innerJoin('ticket', 'ticket.id', 'queue_call.ticket_id')
      .select(['queue_call.id', 'queue_call.ticket_id', 'queue_call.label', 'queue_call.counter_number', 'queue_call.at', 'ticket.state'])
      .where('queue_call.office_id', '=', officeId)
      .where('queue_call.day', '=', office.day)
      .orderBy('queue_call.id', 'desc')
      .limit(DISPLAY_CALLS * 3)
      .execute(),
    db
      .selectFrom('ticket')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('office_id', '=', officeId)
      .where('day', '=', office.day)
      .where('state', '=', 'waiting')
      .executeTakeFirstOrThrow(),
    walkinWaitMinutes(db, office, at),
    readDisplayNotice(db, officeId),
  ]);
  const seen = new Set<string>();
  const lines: DisplayBoard['calls'] = [];
  for (const call of calls) {
    if (seen.has(call.ticket_id) || lines.length >= DISPLAY_CALLS) continue;
    seen.add(call.ticket_id);
    lines.push({ label: call.label, counterNumber: call.counter_number, at: call.at.toISOString(), state: call.state });
  }
  return {
    officeId,
    officeName: office.name,
    day: office.day,
    lastCallId: Number(calls[0]?.id ?? 0),
    calls: lines,
    waiting: Number(waiting.n),
    walkinWaitMinutes: wait,
    timeZone: office.timeZone,
    notice,
  };
}
