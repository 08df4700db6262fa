import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import {
  ALL_SERVICES,
  emptyCounts,
  hourlyFacts,
  localDayHour,
  walkinSecondsByHour,
  type AppointmentHistory,
  type HourlyFact,
  type TicketHistory,
} from '../../domain/statistics.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import { localDayBounds, localDayStart } from '../../domain/zoned-time.ts';

// Keeps stat_hourly up to date. Incremental: only office days touched since the last run are
// recomputed — found through the ids of new appointment events, calls, counter commands (audit log)
// and refused walk-ins — plus today and yesterday of every office (rows committed late or still
// changing). A day is always recomputed whole from the raw records, so a run can be repeated and a
// branch node's late replay of an old day simply marks that day again.

const SOURCES = ['appointment_event', 'queue_call', 'audit_log', 'walkin_refusal'] as const;
type Source = (typeof SOURCES)[number];
/** Days recomputed per transaction; a year of history is about a dozen transactions per office. */
const CHUNK_DAYS = 31;

export type RefreshReport = { officeDays: number; rows: number; ms: number };

export async function refreshStatistics(ctx: AppContext): Promise<RefreshReport> {
  const { db } = ctx;
  const started = ctx.now();
  const run = await db
    .insertInto('job_run')
    .values({ job: 'statistics.refresh', started_at: new Date(started), details: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const offices = await db.selectFrom('office').select(['id', 'time_zone']).execute();
  const zones = new Map(offices.map((o) => [o.id, o.time_zone]));
  const marks = await readMarks(db);
  const upper = await upperIds(db);
  const dirty = await dirtyDays(db, zones, marks, upper);
  for (const o of offices) {
    const today = localDayHour(started, o.time_zone).day;
    const set = dirty.get(o.id) ?? new Set<string>();
    set.add(today).add(Temporal.PlainDate.from(today).subtract({ days: 1 }).toString());
    dirty.set(o.id, set);
  }
  let officeDays = 0;
  let rows = 0;
  for (const [officeId, days] of dirty) {
    const zone = zones.get(officeId);
    if (!zone) continue;
    for (const chunk of chunks([...days].sort())) {
      rows += await recomputeDays(db, officeId, zone, chunk);
      officeDays += chunk.length;
    }
  }
  await inTransaction(db, async (trx) => {
    for (const name of SOURCES) {
      await trx
        .insertInto('stat_watermark')
        .values({ name, last_id: upper[name] })
        .onConflict((oc) => oc.column('name').doUpdateSet({ last_id: upper[name] }))
        .execute();
    }
  });
  const report = { officeDays, rows, ms: ctx.now() - started };
  await db
    .updateTable('job_run')
    .set({ finished_at: new Date(ctx.now()), details: JSON.stringify(report) })
    .where('id', '=', run.id)
    .execute();
  return report;
}

async function readMarks(db: Kysely<DB>): Promise<Record<Source, string>> {
  const rows = await db.selectFrom('stat_watermark').selectAll().execute();
  const byName = new Map(rows.map((r) => [r.name, r.last_id]));
  return Object.fromEntries(SOURCES.map((s) => [s, byName.get(s) ?? '0'])) as Record<Source, string>;
}

async function upperIds(db: Kysely<DB>): Promise<Record<Source, string>> {
  const max = async (table: Source) =>
    (await sql<{ m: string | null }>`SELECT max(id)::text AS m FROM ${sql.table(table)}`.execute(db)).rows[0]?.m ?? '0';
  return {
    appointment_event: await max('appointment_event'),
    queue_call: await max('queue_call'),
    audit_log: await max('audit_log'),
    walkin_refusal: await max('walkin_refusal'),
  };
}

/** Office days touched by records with ids in (mark, upper]; grouped by hour in SQL, turned into local days here. */
async function dirtyDays(
  db: Kysely<DB>,
  zones: Map<string, string>,
  marks: Record<Source, string>,
  upper: Record<Source, string>,
): Promise<Map<string, Set<string>>> {
  const hours = await sql<{ office_id: string; h: Date }>`
    SELECT a.office_id, date_trunc('hour', e.at) AS h FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id
      WHERE e.id > ${marks.appointment_event} AND e.id <= ${upper.appointment_event} GROUP BY 1, 2
    -- … and the day each such appointment is for: booked or cancelled weeks ahead, it counts there (#17 item 5).
    UNION SELECT a.office_id, date_trunc('hour', a.starts_at) FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id
      WHERE e.id > ${marks.appointment_event} AND e.id <= ${upper.appointment_event} GROUP BY 1, 2
    -- … and, for a move, the day and office it was moved away from.
    UNION SELECT e.details->>'fromOffice', date_trunc('hour', (e.details->>'fromStart')::timestamptz) FROM appointment_event e
      WHERE e.id > ${marks.appointment_event} AND e.id <= ${upper.appointment_event} AND e.action = 'rescheduled'
        AND e.details->>'fromOffice' IS NOT NULL AND e.details->>'fromStart' IS NOT NULL GROUP BY 1, 2
    UNION SELECT office_id, date_trunc('hour', at) FROM audit_log
      WHERE id > ${marks.audit_log} AND id <= ${upper.audit_log} AND office_id IS NOT NULL AND (action LIKE 'ticket.%' OR action = 'walkin.issue') GROUP BY 1, 2
    UNION SELECT office_id, date_trunc('hour', at) FROM walkin_refusal WHERE id > ${marks.walkin_refusal} AND id <= ${upper.walkin_refusal} GROUP BY 1, 2
  `.execute(db);
  const days = await sql<{ office_id: string; day: string }>`
    SELECT DISTINCT office_id, day FROM queue_call WHERE id > ${marks.queue_call} AND id <= ${upper.queue_call}
  `.execute(db);
  const out = new Map<string, Set<string>>();
  const add = (officeId: string, day: string) => {
    if (!out.has(officeId)) out.set(officeId, new Set());
    out.get(officeId)!.add(day);
  };
  for (const r of hours.rows) {
    const zone = zones.get(r.office_id);
    if (zone) add(r.office_id, localDayHour(new Date(r.h).getTime(), zone).day);
  }
  for (const r of days.rows) add(r.office_id, r.day);
  return out;
}

function chunks(sortedDays: string[]): string[][] {
  const out: string[][] = [];
  for (const day of sortedDays) {
    const current = out.at(-1);
    if (
      current &&
      Temporal.PlainDate.compare(Temporal.PlainDate.from(current[0]!).add({ days: CHUNK_DAYS - 1 }), Temporal.PlainDate.from(day)) >= 0
    )
      current.push(day);
    else out.push([day]);
  }
  return out;
}

/** Recomputes the given days of one office from the raw records and replaces their rows. */
async function recomputeDays(db: Kysely<DB>, officeId: string, zone: string, days: string[]): Promise<number> {
  const first = days[0]!;
  const last = days.at(-1)!;
  const from = localDayStart(first, zone);
  const to = localDayBounds(last, zone)[1];
  const wanted = new Set(days);
  const facts = (await loadFacts(db, officeId, zone, { first, last, from, to })).filter((f) => wanted.has(f.day));
  return inTransaction(db, async (trx) => {
    // One refresh at a time, whichever process runs it.
    await sql`SELECT pg_advisory_xact_lock(hashtext('schalter.stat_refresh'))`.execute(trx);
    await trx.deleteFrom('stat_hourly').where('office_id', '=', officeId).where('day', 'in', days).execute();
    for (let i = 0; i < facts.length; i += 500)
      await trx
        .insertInto('stat_hourly')
        .values(facts.slice(i, i + 500).map(toRow))
        .execute();
    return facts.length;
  });
}

type Range = { first: string; last: string; from: number; to: number };

async function loadFacts(db: Kysely<DB>, officeId: string, zone: string, r: Range): Promise<(HourlyFact & { staffedSeconds: number })[]> {
  const events = await sql<{ at: Date; action: string; to_status: string | null; reason: string | null; service_ids: string[] | null }>`
    SELECT CASE WHEN e.action = 'no_show_reverted' THEN coalesce((e.details->>'noShowAt')::timestamptz, e.at) ELSE e.at END AS at,
           e.action, e.to_status, e.details->>'reason' AS reason,
           (SELECT array_agg(s.service_id ORDER BY s.service_id) FROM appointment_service s WHERE s.appointment_id = e.appointment_id) AS service_ids
    FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id
    WHERE a.office_id = ${officeId} AND e.at >= ${new Date(r.from)} AND e.at < ${new Date(r.to)}
      AND e.action IN ('booked', 'served', 'no_show', 'no_show_reverted', 'cancelled')
  `.execute(db);
  // The appointments of these days by the hour they are for. Not counted: reservations still to be
  // confirmed or lapsed unconfirmed, and seats held for an offer that was never taken (a hold starts
  // with 'held', not 'booked', and becomes an appointment only when accepted: 'confirmed').
  const scheduled = await sql<{ starts_at: Date; cancelled: boolean; service_ids: string[] | null }>`
    SELECT a.starts_at, a.status = 'cancelled' AS cancelled,
           (SELECT array_agg(s.service_id ORDER BY s.service_id) FROM appointment_service s WHERE s.appointment_id = a.id) AS service_ids
    FROM appointment a
    WHERE a.office_id = ${officeId} AND a.starts_at >= ${new Date(r.from)} AND a.starts_at < ${new Date(r.to)}
      AND a.status NOT IN ('reserved', 'expired')
      AND (a.status <> 'cancelled' OR EXISTS (SELECT 1 FROM appointment_event c WHERE c.appointment_id = a.id AND c.action IN ('booked', 'confirmed')))
  `.execute(db);
  const tickets = await sql<{
    service_id: string | null;
    kind: TicketHistory['kind'];
    state: TicketHistory['state'];
    arrived_at: Date;
    due_at: Date | null;
    finished_at: Date | null;
    first_called: Date | null;
  }>`
    SELECT t.service_id, t.kind, t.state, t.arrived_at, t.due_at, t.finished_at, q.first_called
    FROM ticket t
    LEFT JOIN (SELECT ticket_id, min(at) AS first_called FROM queue_call WHERE office_id = ${officeId} AND day BETWEEN ${r.first} AND ${r.last} GROUP BY ticket_id) q ON q.ticket_id = t.id
    WHERE t.office_id = ${officeId} AND t.day BETWEEN ${r.first} AND ${r.last}
  `.execute(db);
  const refusals = await db
    .selectFrom('walkin_refusal')
    .select(['service_id', 'at'])
    .where('office_id', '=', officeId)
    .where('at', '>=', new Date(r.from))
    .where('at', '<', new Date(r.to))
    .execute();
  const units = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(r.from))
    .where('starts_at', '<', new Date(r.to))
    .where('capacity', '>', 0)
    .execute();

  const appointments: AppointmentHistory[] = events.rows.map((e) => ({
    officeId,
    serviceIds: e.service_ids ?? [],
    events: [{ at: new Date(e.at).getTime(), action: e.action, toStatus: e.to_status, reason: e.reason }],
  }));
  const ticketHistories: TicketHistory[] = tickets.rows.map((t) => ({
    officeId,
    serviceId: t.service_id,
    kind: t.kind,
    state: t.state,
    arrivedAt: new Date(t.arrived_at).getTime(),
    dueAt: t.due_at ? new Date(t.due_at).getTime() : null,
    firstCalledAt: t.first_called ? new Date(t.first_called).getTime() : null,
    finishedAt: t.finished_at ? new Date(t.finished_at).getTime() : null,
  }));
  const facts = hourlyFacts({
    timeZoneOf: () => zone,
    appointments,
    scheduled: scheduled.rows.map((a) => ({
      officeId,
      serviceIds: a.service_ids ?? [],
      startsAt: new Date(a.starts_at).getTime(),
      cancelled: a.cancelled,
    })),
    tickets: ticketHistories,
    refusals: refusals.map((x) => ({ officeId, serviceId: x.service_id, at: x.at.getTime() })),
  });
  const staffed = new Map<string, number>();
  const openDays = new Set<string>();
  for (const u of units) {
    const { day, hour } = localDayHour(u.starts_at.getTime(), zone);
    openDays.add(day);
    staffed.set(`${day} ${hour}`, (staffed.get(`${day} ${hour}`) ?? 0) + u.capacity * 300);
  }
  // Walk-in counters follow the weekly plan on the days the office was open (a day closed by an
  // exception or a holiday has no capacity units, and so no walk-in counter time either).
  const walkinPlan = (
    await db
      .selectFrom('staffing_rule')
      .select(['weekday', 'start_time', 'end_time', 'walkin_counters'])
      .where('office_id', '=', officeId)
      .where('walkin_counters', '>', 0)
      .execute()
  ).map((l) => ({ weekday: l.weekday, startTime: l.start_time, endTime: l.end_time, walkinCounters: l.walkin_counters }));
  if (walkinPlan.length > 0) {
    for (const day of openDays) {
      for (const [hour, seconds] of walkinSecondsByHour(walkinPlan, Temporal.PlainDate.from(day).dayOfWeek)) {
        staffed.set(`${day} ${hour}`, (staffed.get(`${day} ${hour}`) ?? 0) + seconds);
      }
    }
  }
  const out = facts.map((f) => ({ ...f, staffedSeconds: f.serviceId === ALL_SERVICES ? (staffed.get(`${f.day} ${f.hour}`) ?? 0) : 0 }));
  // Staffed hours without any event still count towards utilisation.
  const seen = new Set(out.filter((f) => f.serviceId === ALL_SERVICES).map((f) => `${f.day} ${f.hour}`));
  for (const [key, seconds] of staffed) {
    if (seen.has(key)) continue;
    const [day, hour] = key.split(' ') as [string, string];
    out.push({ officeId, serviceId: ALL_SERVICES, day, hour: Number(hour), ...emptyCounts(), staffedSeconds: seconds });
  }
  return out;
}

function toRow(f: HourlyFact & { staffedSeconds: number }) {
  return {
    office_id: f.officeId,
    service_id: f.serviceId,
    day: f.day,
    hour: f.hour,
    booked: f.booked,
    appointments_due: f.appointmentsDue,
    appointments_cancelled: f.appointmentsCancelled,
    served: f.served,
    no_show: f.noShow,
    cancelled_citizen: f.cancelledByCitizen,
    cancelled_office: f.cancelledByOffice,
    walkins_served: f.walkinsServed,
    walkins_turned_away: f.walkinsTurnedAway,
    arrivals: f.arrivals,
    walkin_arrivals: f.walkinArrivals,
    called_within_15: f.calledWithin15,
    called_within_30: f.calledWithin30,
    waits: f.waits,
    wait_seconds: f.waitSeconds,
    wait_histogram: f.waitHistogram,
    processed: f.processed,
    processing_seconds: f.processingSeconds,
    processing_histogram: f.processingHistogram,
    staffed_seconds: f.staffedSeconds,
  };
}
