import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { ALL_SERVICES } from '../../domain/statistics.ts';
import type { DB } from '../../db/schema.ts';
import type { OfficeSchedule } from '../shared/catalogue.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { localDate } from '../../domain/zoned-time.ts';
import type { UnmetDemand } from '../../domain/statistics-planning.ts';

// Demand the offices could not meet (#8): citizen searches that found nothing, and the length of the
// waiting list, per office and service. Misses are counted in memory on the search path — a Map
// increment, no database round trip per search — and added to stat_search_miss by every process
// each minute (and before statistics are read). A process that dies loses at most its last minute.
// One search for two services counts for each of them, and a search over "any office" for each
// office searched: the figures say how often an office had nothing for a service.

type Counter = Map<string, number>;
const counters = new WeakMap<Kysely<DB>, Counter>();

/** Counts one search that found nothing, for each office searched and each service asked for. */
export function recordSearchMiss(db: Kysely<DB>, offices: readonly OfficeSchedule[], serviceIds: readonly string[], now: number): void {
  let counter = counters.get(db);
  if (!counter) counters.set(db, (counter = new Map()));
  for (const { office } of offices) {
    const day = localDate(now, office.time_zone);
    for (const serviceId of serviceIds) {
      const key = `${office.id}\u0000${serviceId}\u0000${day}`;
      counter.set(key, (counter.get(key) ?? 0) + 1);
    }
  }
}

/** Adds the counted misses to stat_search_miss in one statement; on failure they are kept for the next try. */
export async function flushSearchMisses(db: Kysely<DB>): Promise<number> {
  const counter = counters.get(db);
  if (!counter || counter.size === 0) return 0;
  const entries = [...counter];
  counter.clear();
  const parts = entries.map(([key]) => key.split('\u0000') as [string, string, string]);
  try {
    await sql`INSERT INTO stat_search_miss (office_id, service_id, day, misses)
      SELECT * FROM unnest(${parts.map((p) => p[0])}::text[], ${parts.map((p) => p[1])}::text[], ${parts.map((p) => p[2])}::date[], ${entries.map(([, n]) => n)}::int[])
      ON CONFLICT (office_id, day, service_id) DO UPDATE SET misses = stat_search_miss.misses + EXCLUDED.misses`.execute(db);
  } catch (error) {
    for (const [key, n] of entries) counter.set(key, (counter.get(key) ?? 0) + n);
    throw error;
  }
  return entries.reduce((sum, [, n]) => sum + n, 0);
}

/** Stores today's waiting-list length per office and service (the last measurement of a day wins). */
export async function snapshotWaitingList(ctx: AppContext): Promise<{ rows: number }> {
  const now = ctx.now();
  const schedules = await cachedSchedules(ctx);
  const current = await waitingNow(ctx.db);
  let rows = 0;
  for (const schedule of schedules) {
    const day = localDate(now, schedule.office.time_zone);
    const mine = current.filter((r) => r.officeId === schedule.office.id);
    // Services with nobody waiting any more are written as 0 (those measured earlier today, and those
    // with people waiting at the previous day's measurement), so the history shows the list emptying.
    const earlier = await sql<{ service_id: string }>`SELECT service_id FROM stat_waiting_list WHERE office_id = ${schedule.office.id}
      AND (day = ${day}::date OR (waiting > 0 AND day = (SELECT max(day) FROM stat_waiting_list WHERE office_id = ${schedule.office.id} AND day < ${day}::date)))`.execute(
      ctx.db,
    );
    const serviceIds = new Set([...mine.map((r) => r.serviceId), ...earlier.rows.map((r) => r.service_id)]);
    for (const serviceId of serviceIds) {
      const waiting = mine.find((r) => r.serviceId === serviceId)?.waiting ?? 0;
      await ctx.db
        .insertInto('stat_waiting_list')
        .values({ office_id: schedule.office.id, service_id: serviceId, day, waiting, measured_at: new Date(now) })
        .onConflict((oc) => oc.columns(['office_id', 'day', 'service_id']).doUpdateSet({ waiting, measured_at: new Date(now) }))
        .execute();
      rows++;
    }
  }
  return { rows };
}

/** People in line now (waiting, or holding an offer) per office they named and service. */
async function waitingNow(db: Kysely<DB>, officeId?: string): Promise<{ officeId: string; serviceId: string; waiting: number }[]> {
  const { rows } = await sql<{ office_id: string; service_id: string; n: string }>`
    SELECT o.office_id, s->>'serviceId' AS service_id, count(*) AS n
    FROM waiting_list_entry e, unnest(e.office_ids) AS o(office_id), jsonb_array_elements(e.services) AS s
    WHERE e.state IN ('waiting', 'offered') ${officeId === undefined ? sql`` : sql`AND o.office_id = ${officeId}`}
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows.map((r) => ({ officeId: r.office_id, serviceId: r.service_id, waiting: Number(r.n) }));
}

export type DemandFigures = {
  /** People in line now per service. */
  waitingNow: { serviceId: string; waiting: number }[];
  /** Waiting-list length per day and service (last measurement of the day). */
  waitingHistory: { day: string; serviceId: string; waiting: number }[];
  /** Citizen searches that found nothing, per day and service. */
  searchMisses: { day: string; serviceId: string; misses: number }[];
};

export async function readDemand(
  ctx: AppContext,
  q: { officeId: string; serviceId: string; from: string; to: string },
): Promise<DemandFigures> {
  await flushSearchMisses(ctx.db);
  const one = q.serviceId !== ALL_SERVICES;
  const now = (await waitingNow(ctx.db, q.officeId)).filter((r) => !one || r.serviceId === q.serviceId);
  const history = await daily(ctx.db, 'waiting', q, one);
  const misses = await daily(ctx.db, 'misses', q, one);
  return {
    waitingNow: now.map((r) => ({ serviceId: r.serviceId, waiting: r.waiting })),
    waitingHistory: history.map((h) => ({ day: h.day, serviceId: h.serviceId, waiting: h.n })),
    searchMisses: misses.map((m) => ({ day: m.day, serviceId: m.serviceId, misses: m.n })),
  };
}

const DAILY_TABLE = { waiting: 'stat_waiting_list', misses: 'stat_search_miss' } as const;

/** One daily figure per day and service of an office in the range (of one service, or all). */
async function daily(
  db: Kysely<DB>,
  figure: keyof typeof DAILY_TABLE,
  q: { officeId: string; serviceId: string; from: string; to: string },
  one: boolean,
) {
  const { rows } = await sql<{ day: string; service_id: string; n: number }>`
    SELECT day, service_id, ${sql.ref(figure)} AS n FROM ${sql.table(DAILY_TABLE[figure])}
    WHERE office_id = ${q.officeId} AND day >= ${q.from} AND day <= ${q.to} ${one ? sql`AND service_id = ${q.serviceId}` : sql``}
    ORDER BY day, service_id`.execute(db);
  return rows.map((r) => ({ day: r.day, serviceId: r.service_id, n: Number(r.n) }));
}

/**
 * The demand figures per period of the report (a day, or the ISO week by its Monday): searches that
 * found nothing summed, the waiting list as measured on the period's last measured day (summed over
 * the services shown).
 */
export function demandByPeriod(demand: DemandFigures, period: 'day' | 'week'): Map<string, { misses: number; waiting: number | null }> {
  const periodOf = (day: string) => {
    if (period === 'day') return day;
    const d = Temporal.PlainDate.from(day);
    return d.subtract({ days: d.dayOfWeek - 1 }).toString();
  };
  const out = new Map<string, { misses: number; waiting: number | null; lastDay: string }>();
  const at = (day: string) => {
    const key = periodOf(day);
    let row = out.get(key);
    if (!row) out.set(key, (row = { misses: 0, waiting: null, lastDay: '' }));
    return row;
  };
  for (const m of demand.searchMisses) at(m.day).misses += m.misses;
  const byDay = new Map<string, number>();
  for (const h of demand.waitingHistory) byDay.set(h.day, (byDay.get(h.day) ?? 0) + h.waiting);
  for (const [day, waiting] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    const row = at(day);
    if (day >= row.lastDay) Object.assign(row, { waiting, lastDay: day });
  }
  return new Map([...out].map(([k, v]) => [k, { misses: v.misses, waiting: v.waiting }]));
}

/**
 * What one office did not meet per service in a window (#17 item 6), for the forecast: waiting-list
 * entries that named it (less those that became a booking: they are in the bookings), searches
 * that found nothing there, walk-ins turned away. Refusals recorded without a service are returned
 * apart; the caller shares them out.
 */
export async function readUnmetDemand(
  db: Kysely<DB>,
  q: { officeId: string; fromDay: string; toDay: string; from: Date; to: Date },
): Promise<{ byService: Map<string, UnmetDemand>; refusalsWithoutService: number }> {
  await flushSearchMisses(db);
  const [joined, misses, refusals] = await Promise.all([
    sql<{ service_id: string; n: string }>`
      SELECT s->>'serviceId' AS service_id, count(*) AS n
      FROM waiting_list_entry e, jsonb_array_elements(e.services) AS s
      WHERE ${q.officeId} = ANY (e.office_ids) AND e.state <> 'booked' AND e.joined_at >= ${q.from} AND e.joined_at < ${q.to}
      GROUP BY 1`.execute(db),
    sql<{ service_id: string; n: string }>`
      SELECT service_id, sum(misses) AS n FROM stat_search_miss
      WHERE office_id = ${q.officeId} AND day >= ${q.fromDay}::date AND day < ${q.toDay}::date GROUP BY 1`.execute(db),
    sql<{ service_id: string | null; n: string }>`
      SELECT service_id, count(*) AS n FROM walkin_refusal
      WHERE office_id = ${q.officeId} AND at >= ${q.from} AND at < ${q.to} GROUP BY 1`.execute(db),
  ]);
  const byService = new Map<string, UnmetDemand>();
  const of = (serviceId: string) => {
    let d = byService.get(serviceId);
    if (!d) byService.set(serviceId, (d = { waitingListJoined: 0, searchMisses: 0, walkinsTurnedAway: 0 }));
    return d;
  };
  for (const r of joined.rows) of(r.service_id).waitingListJoined += Number(r.n);
  for (const r of misses.rows) of(r.service_id).searchMisses += Number(r.n);
  let refusalsWithoutService = 0;
  for (const r of refusals.rows) {
    if (r.service_id === null) refusalsWithoutService += Number(r.n);
    else of(r.service_id).walkinsTurnedAway += Number(r.n);
  }
  return { byService, refusalsWithoutService };
}
