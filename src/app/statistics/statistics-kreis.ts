import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../../domain/errors.ts';
import { hasRole, type Principal } from '../../domain/staff-access.ts';
import { ALL_SERVICES, figuresOf, sumCounts, type Counts } from '../../domain/statistics.ts';
import type { AppContext } from '../shared/context.ts';
import { factOfRow } from './read-statistics.ts';

// The Kreis overview (#20, decision 0014): one row per town, for staff of the whole Kreis. Only
// aggregates of the hourly facts (stat_hourly holds no names, no references): the offices' counts of
// each town summed — histograms too, so a town's median wait is the median over all its offices,
// not a median of medians. A town's own staff read their town on the statistics page; here they are
// refused, the other towns' figures are not theirs to compare with.

export type KreisTownFigures = {
  municipalityId: string;
  name: string;
  offices: number;
  /** Bookings made in the range (by the day they were made). */
  booked: number;
  served: number;
  noShow: number;
  noShowRate: number | null;
  waitMedianMinutes: number | null;
};
export type KreisOverview = {
  from: string;
  to: string;
  towns: KreisTownFigures[];
  total: Omit<KreisTownFigures, 'municipalityId' | 'name'>;
};

/** Staff of the whole Kreis (no town of their own), from team lead up. */
export function assertKreisStatisticsAccess(principal: Principal): void {
  if (!hasRole(principal, 'teamlead')) throw new DomainError('forbidden', 'Statistics are for team leads', { requiredRole: 'teamlead' });
  if (principal.municipalityId !== null)
    throw new DomainError('forbidden', 'The Kreis overview is for staff of the whole Kreis; your town is on the statistics page');
}

export function canReadKreisStatistics(principal: Principal): boolean {
  return hasRole(principal, 'teamlead') && principal.municipalityId === null;
}

function figures(counts: Counts, offices: number) {
  const f = figuresOf(counts, 0);
  return {
    offices,
    booked: f.booked,
    served: f.served,
    noShow: f.noShow,
    noShowRate: f.noShowRate,
    waitMedianMinutes: f.waitMedianMinutes,
  };
}

export async function readKreisOverview(ctx: AppContext, principal: Principal, q: { from: string; to: string }): Promise<KreisOverview> {
  assertKreisStatisticsAccess(principal);
  const days = Temporal.PlainDate.from(q.from).until(q.to).days;
  if (days < 0 || days > 731)
    throw new DomainError('validation_failed', 'from must not be after to, at most two years', {
      fields: [{ path: 'from', message: 'must not be after to, at most 731 days before it' }],
    });
  const towns = await ctx.db.selectFrom('municipality').select(['id', 'name']).execute();
  const offices = await ctx.db.selectFrom('office').select(['id', 'municipality_id']).execute();
  const townOf = new Map(offices.map((o) => [o.id, o.municipality_id]));
  const rows = await ctx.db
    .selectFrom('stat_hourly')
    .selectAll()
    .where('service_id', '=', ALL_SERVICES)
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .execute();
  const byTown = new Map<string, Counts[]>();
  for (const r of rows) {
    const town = townOf.get(r.office_id);
    if (town === undefined) continue;
    const list = byTown.get(town);
    if (list) list.push(factOfRow(r));
    else byTown.set(town, [factOfRow(r)]);
  }
  const officeCount = (town: string) => offices.filter((o) => o.municipality_id === town).length;
  // The Kreis total is the sum of the rows shown: an office whose town has no row (not in the town
  // file) would otherwise count in the total and in no town, and the column would not add up.
  const listed = new Set(towns.map((t) => t.id));
  return {
    from: q.from,
    to: q.to,
    towns: towns
      .map((t) => ({ municipalityId: t.id, name: t.name, ...figures(sumCounts(byTown.get(t.id) ?? []), officeCount(t.id)) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'de')),
    total: figures(
      sumCounts([...byTown].filter(([town]) => listed.has(town)).flatMap(([, counts]) => counts)),
      offices.filter((o) => listed.has(o.municipality_id)).length,
    ),
  };
}
