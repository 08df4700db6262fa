import type { Kysely, Selectable } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../../domain/errors.ts';
import { canAccessOffice, hasRole, type Principal } from '../../domain/staff-access.ts';
import {
  estimateUnmetDemand,
  extraCounterHoursNeeded,
  forecastLeadTime,
  type ForecastWeek,
  type UnmetDemand,
} from '../../domain/statistics-planning.ts';
import { ALL_SERVICES, figuresOf, sumCounts, type Counts, type Figures } from '../../domain/statistics.ts';
import { hourProfile, type HourProfileCell } from '../../domain/statistics-hour-profile.ts';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../shared/context.ts';
import { measureLeadTimes } from './lead-times.ts';
import { readDemand, readUnmetDemand, type DemandFigures } from './statistics-demand.ts';
import { readTrend, type TrendWeek } from './statistics-trend.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';

// Figures for team leads, read from the hourly facts (stat_hourly) — never from raw events, so a
// year costs a few thousand rows per office and service.

export type Period = 'day' | 'week';
export type StatisticsQuery = {
  officeId: string;
  serviceId?: string | undefined;
  from: string;
  to: string;
  period: Period;
  targetDays?: number | undefined;
};
export type PeriodFigures = { period: string; staffedHours: number } & Figures;
export type HourFigures = {
  hour: number;
  waits: number;
  waitMedianMinutes: number | null;
  waitP90Minutes: number | null;
  /** Everyone who came in this hour of the day over the range, and the walk-ins among them (#17 item 2). */
  arrivals: number;
  walkinArrivals: number;
  served: number;
  walkinsServed: number;
};
export type ServicePlanning = {
  serviceId: string;
  leadDays: number | null;
  weeklyBookings: number;
  /** What the last four weeks did not meet (counts), and the estimate of people per week from it. */
  unmetDemand: UnmetDemand;
  weeklyUnmetDemand: number;
  weeklySeats: number;
  /** From the bookings and the unmet demand together. */
  forecast: ForecastWeek[];
  targetDays: number;
  extraCounterHoursPerWeek: number;
};
export type StatisticsReport = {
  officeId: string;
  serviceId: string;
  from: string;
  to: string;
  period: Period;
  total: Figures;
  periods: PeriodFigures[];
  byHour: HourFigures[];
  /** Arrivals and served by weekday and hour, with the per-open-day averages hourly staffing is planned by. */
  byWeekdayHour: HourProfileCell[];
  leadTimeHistory: { day: string; serviceId: string; leadDays: number | null }[];
  planning: ServicePlanning[];
  /** This week (up to `to`) against the same weekdays of the week before and 52 weeks before (#17 item 4). */
  trend: TrendWeek[];
  /** Demand not met: searches that found nothing and the waiting list (statistics-demand.ts). */
  demand: DemandFigures;
};

/** Team leads and admins, for their own offices; another office is not_found like a missing one. */
export function assertStatisticsAccess(principal: Principal, officeId: string): void {
  if (!hasRole(principal, 'teamlead')) throw new DomainError('forbidden', 'Statistics are for team leads', { requiredRole: 'teamlead' });
  if (!canAccessOffice(principal, officeId)) throw new DomainError('not_found', 'Unknown office', { officeId });
}

type FactRow = Counts & { day: string; hour: number; staffedSeconds: number };

export async function loadFacts(db: Kysely<DB>, q: { officeId: string; serviceId: string; from: string; to: string }): Promise<FactRow[]> {
  const rows = await db
    .selectFrom('stat_hourly')
    .selectAll()
    .where('office_id', '=', q.officeId)
    .where('service_id', '=', q.serviceId)
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .orderBy('day')
    .orderBy('hour')
    .execute();
  return rows.map(factOfRow);
}

/** A stat_hourly row as counts (bigints come back as strings). */
export function factOfRow(r: Selectable<DB['stat_hourly']>): FactRow {
  return {
    day: r.day,
    hour: r.hour,
    booked: r.booked,
    appointmentsDue: r.appointments_due,
    appointmentsCancelled: r.appointments_cancelled,
    served: r.served,
    noShow: r.no_show,
    cancelledByCitizen: r.cancelled_citizen,
    cancelledByOffice: r.cancelled_office,
    walkinsServed: r.walkins_served,
    walkinsTurnedAway: r.walkins_turned_away,
    arrivals: r.arrivals,
    walkinArrivals: r.walkin_arrivals,
    calledWithin15: r.called_within_15,
    calledWithin30: r.called_within_30,
    waits: r.waits,
    waitSeconds: Number(r.wait_seconds),
    waitHistogram: r.wait_histogram,
    processed: r.processed,
    processingSeconds: Number(r.processing_seconds),
    processingHistogram: r.processing_histogram,
    staffedSeconds: Number(r.staffed_seconds),
  };
}

/** The ISO week's Monday of a date: weeks are labelled by their first day. */
function periodOf(day: string, period: Period): string {
  if (period === 'day') return day;
  const d = Temporal.PlainDate.from(day);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

export async function readStatistics(ctx: AppContext, principal: Principal, q: StatisticsQuery): Promise<StatisticsReport> {
  assertStatisticsAccess(principal, q.officeId);
  const days = Temporal.PlainDate.from(q.from).until(q.to).days;
  if (days < 0 || days > 731)
    throw new DomainError('validation_failed', 'from must not be after to, at most two years', {
      fields: [{ path: 'from', message: 'must not be after to, at most 731 days before it' }],
    });
  const serviceId = q.serviceId ?? ALL_SERVICES;
  const facts = await loadFacts(ctx.db, { officeId: q.officeId, serviceId, from: q.from, to: q.to });
  // Staffed counter time is an office figure: utilisation of one service is its share of it.
  const staffed =
    serviceId === ALL_SERVICES ? facts : await loadFacts(ctx.db, { officeId: q.officeId, serviceId: ALL_SERVICES, from: q.from, to: q.to });
  const staffedBy = (pick: (f: FactRow) => boolean) => staffed.filter(pick).reduce((s, f) => s + f.staffedSeconds, 0);
  // Utilisation compares serving time with staffed time of the same hours: hours without a staffing
  // plan (walk-in counters only, or days before the plan was laid out) would otherwise inflate it.
  const staffedHours = new Set(staffed.filter((f) => f.staffedSeconds > 0).map((f) => `${f.day} ${f.hour}`));
  const figuresFor = (rows: FactRow[], seconds: number) => {
    const figures = figuresOf(sumCounts(rows), seconds);
    const serving = rows.filter((f) => staffedHours.has(`${f.day} ${f.hour}`)).reduce((sum, f) => sum + f.processingSeconds, 0);
    return { ...figures, utilisation: seconds > 0 ? serving / seconds : null };
  };

  // Temporal is slow in a loop over a year of hours: each day's period is worked out once.
  const periodCache = new Map<string, string>();
  const period = (day: string) => periodCache.get(day) ?? periodCache.set(day, periodOf(day, q.period)).get(day)!;
  const groups = new Map<string, FactRow[]>();
  for (const f of facts) {
    const key = period(f.day);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const staffedPerPeriod = new Map<string, number>();
  for (const f of staffed) staffedPerPeriod.set(period(f.day), (staffedPerPeriod.get(period(f.day)) ?? 0) + f.staffedSeconds);
  const periods = [...groups].map(([period, rows]) => {
    const seconds = staffedPerPeriod.get(period) ?? 0;
    return { period, staffedHours: Math.round(seconds / 360) / 10, ...figuresFor(rows, seconds) };
  });
  const byHour = Array.from({ length: 24 }, (_, hour) => {
    const counts = sumCounts(facts.filter((f) => f.hour === hour));
    const figures = figuresOf(counts, 0);
    return {
      hour,
      waits: counts.waits,
      waitMedianMinutes: figures.waitMedianMinutes,
      waitP90Minutes: figures.waitP90Minutes,
      arrivals: counts.arrivals,
      walkinArrivals: counts.walkinArrivals,
      served: counts.served,
      walkinsServed: counts.walkinsServed,
    };
  }).filter((h) => h.waits > 0 || h.arrivals > 0 || h.served > 0 || h.walkinsServed > 0);
  // The office's open days (office rows, so a service's quiet Monday still divides its Monday figures).
  const openDays = staffed.filter((f) => f.staffedSeconds > 0 || f.arrivals > 0 || f.served > 0 || f.walkinsServed > 0).map((f) => f.day);

  const history = await ctx.db
    .selectFrom('lead_time_snapshot')
    .select(['day', 'service_id', 'lead_days'])
    .where('office_id', '=', q.officeId)
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .$if(serviceId !== ALL_SERVICES, (qb) => qb.where('service_id', '=', serviceId))
    .orderBy('day')
    .orderBy('service_id')
    .execute();

  return {
    officeId: q.officeId,
    serviceId,
    from: q.from,
    to: q.to,
    period: q.period,
    total: figuresFor(
      facts,
      staffedBy(() => true),
    ),
    periods,
    byHour,
    byWeekdayHour: hourProfile(facts, openDays),
    leadTimeHistory: history.map((h) => ({ day: h.day, serviceId: h.service_id, leadDays: h.lead_days })),
    planning: await planning(ctx, q.officeId, q.targetDays ?? 14, serviceId === ALL_SERVICES ? null : serviceId),
    trend: await readTrend((range) => loadFacts(ctx.db, { officeId: q.officeId, serviceId, ...range }), q.to),
    demand: await readDemand(ctx, { officeId: q.officeId, serviceId, from: q.from, to: q.to }),
  };
}

/**
 * Lead time now, the next four weeks and what it would take, per service. Weekly demand is the
 * average of the last four weeks' bookings plus the unmet demand of those weeks (bookings alone are
 * capped by the seats, #17 item 6); the weekly seats of a service are the counter time released for
 * the next four weeks, shared among services by their share of booked counter minutes. Walk-ins
 * turned away without a service are shared out the same way.
 */
export async function planning(
  ctx: AppContext,
  officeId: string,
  targetDays: number,
  onlyService: string | null,
): Promise<ServicePlanning[]> {
  const leads = (await measureLeadTimes(ctx, [officeId])).filter((l) => onlyService === null || l.serviceId === onlyService);
  if (leads.length === 0) return [];
  const now = ctx.now();
  const today = localPlainDate(now, 'Europe/Berlin');
  const booked = await ctx.db
    .selectFrom('stat_hourly')
    .select(['service_id', (eb) => eb.fn.sum<string>('booked').as('n')])
    .where('office_id', '=', officeId)
    .where('service_id', '!=', ALL_SERVICES)
    .where('day', '>=', today.subtract({ days: 28 }).toString())
    .where('day', '<', today.toString())
    .groupBy('service_id')
    .execute();
  const released = await ctx.db
    .selectFrom('capacity_unit')
    .select((eb) => eb.fn.sum<string>(eb('capacity', '-', eb.ref('closed'))).as('seats'))
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(now))
    .where('starts_at', '<', new Date(now + 28 * 86_400_000))
    .executeTakeFirst();
  const unmet = await readUnmetDemand(ctx.db, {
    officeId,
    fromDay: today.subtract({ days: 28 }).toString(),
    toDay: today.toString(),
    from: new Date(today.subtract({ days: 28 }).toZonedDateTime('Europe/Berlin').epochMilliseconds),
    to: new Date(today.toZonedDateTime('Europe/Berlin').epochMilliseconds),
  });
  const services = await ctx.db.selectFrom('service').select(['id', 'duration_minutes']).execute();
  const duration = new Map(services.map((s) => [s.id, s.duration_minutes]));
  const weeklyMinutes = (Number(released?.seats ?? 0) * 5) / 4;
  const bookedBy = new Map(booked.map((b) => [b.service_id, Number(b.n)]));
  const allMinutes = [...bookedBy].reduce((s, [id, n]) => s + n * (duration.get(id) ?? 0), 0);
  return leads.map((l) => {
    const minutes = duration.get(l.serviceId) ?? 15;
    const weeklyBookings = (bookedBy.get(l.serviceId) ?? 0) / 4;
    const share = allMinutes > 0 ? ((bookedBy.get(l.serviceId) ?? 0) * minutes) / allMinutes : 1 / leads.length;
    const weeklySeats = Math.round((weeklyMinutes * share) / minutes);
    const missed = unmet.byService.get(l.serviceId) ?? { waitingListJoined: 0, searchMisses: 0, walkinsTurnedAway: 0 };
    const unmetDemand = { ...missed, walkinsTurnedAway: missed.walkinsTurnedAway + Math.round(unmet.refusalsWithoutService * share) };
    const weeklyUnmetDemand = Math.round((estimateUnmetDemand(unmetDemand) / 4) * 10) / 10;
    const input = { leadDays: l.leadDays ?? ctx.settings.capacityDays, weeklySeats, weeklyDemand: weeklyBookings + weeklyUnmetDemand };
    return {
      serviceId: l.serviceId,
      leadDays: l.leadDays,
      weeklyBookings,
      unmetDemand,
      weeklyUnmetDemand,
      weeklySeats,
      forecast: forecastLeadTime(input).map((w) => ({ week: w.week, leadDays: Number.isFinite(w.leadDays) ? w.leadDays : -1 })),
      targetDays,
      extraCounterHoursPerWeek: extraCounterHoursNeeded({ ...input, targetDays, seatsPerCounterHour: 60 / minutes }),
    };
  });
}
