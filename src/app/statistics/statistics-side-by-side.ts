import { canAccessOffice, type Principal } from '../../domain/staff-access.ts';
import { ALL_SERVICES, figuresOf, sumCounts, type Counts, type Figures } from '../../domain/statistics.ts';
import type { AppContext } from '../shared/context.ts';
import { assertStatisticsAccess, factOfRow } from './read-statistics.ts';

// Per service, per office and the whole town side by side (#17 item 3), from the hourly facts. The
// offices are those the caller may see (an admin: the whole town); „Gesamt“ sums exactly those, so
// a team lead never sees another office's figures through the total.

export type SideBySideRow = { id: string; name: string } & Pick<
  Figures,
  'arrivals' | 'served' | 'walkinsServed' | 'noShow' | 'noShowRate' | 'waitMedianMinutes' | 'serviceLevel15' | 'processingMedianMinutes'
>;
export type SideBySide = { perService: SideBySideRow[]; perOffice: SideBySideRow[]; total: SideBySideRow };

function row(id: string, name: string, counts: Counts): SideBySideRow {
  const f = figuresOf(counts, 0);
  return {
    id,
    name,
    arrivals: f.arrivals,
    served: f.served,
    walkinsServed: f.walkinsServed,
    noShow: f.noShow,
    noShowRate: f.noShowRate,
    waitMedianMinutes: f.waitMedianMinutes,
    serviceLevel15: f.serviceLevel15,
    processingMedianMinutes: f.processingMedianMinutes,
  };
}

export async function readSideBySide(
  ctx: AppContext,
  principal: Principal,
  q: { officeId: string; from: string; to: string; lang: 'de' | 'en' },
): Promise<SideBySide> {
  assertStatisticsAccess(principal, q.officeId);
  const offices = (await ctx.db.selectFrom('office').select(['id', 'name']).orderBy('name').execute()).filter((o) =>
    canAccessOffice(principal, o.id),
  );
  const services = await ctx.db.selectFrom('service').select(['id', 'name_de', 'name_en']).execute();
  const serviceName = new Map(services.map((s) => [s.id, q.lang === 'en' ? s.name_en : s.name_de]));
  const rows = await ctx.db
    .selectFrom('stat_hourly')
    .selectAll()
    .where(
      'office_id',
      'in',
      offices.map((o) => o.id),
    )
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .execute();
  const officeTotals = rows.filter((r) => r.service_id === ALL_SERVICES);
  const byService = new Map<string, Counts[]>();
  for (const r of rows) {
    if (r.office_id !== q.officeId || r.service_id === ALL_SERVICES) continue;
    const list = byService.get(r.service_id);
    if (list) list.push(factOfRow(r));
    else byService.set(r.service_id, [factOfRow(r)]);
  }
  return {
    perService: [...byService]
      .map(([id, counts]) => row(id, serviceName.get(id) ?? id, sumCounts(counts)))
      .sort((a, b) => a.name.localeCompare(b.name, 'de')),
    perOffice: offices.map((o) => row(o.id, o.name, sumCounts(officeTotals.filter((r) => r.office_id === o.id).map(factOfRow)))),
    total: row(ALL_SERVICES, q.lang === 'en' ? 'Total' : 'Gesamt', sumCounts(officeTotals.map(factOfRow))),
  };
}
