import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { ALL_SERVICES, histogramQuantile, shortestWaitWindow, sumCounts, type WaitCell } from '../../domain/statistics.ts';
import type { DB } from '../../db/schema.ts';
import { loadOfficeSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { measureLeadTimes } from './lead-times.ts';
import { loadFacts } from './read-statistics.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';

// What citizens may see of the waiting (public /transparenz): lead times and typical waits on site.
// Only counts of many people: cells with fewer than MIN_WAITS waits are not shown.

const MIN_WAITS = 5;
const WEEKS = 8;
const CACHE_MS = 5 * 60_000;

export type OfficeTransparency = {
  officeId: string;
  name: string;
  address: string;
  leadTimes: { serviceId: string; leadDays: number | null }[];
  waits: WaitCell[];
  shortest: ReturnType<typeof shortestWaitWindow>;
  release: { weekday: number; time: string; horizonDays: number } | null;
};

const cache = new WeakMap<Kysely<DB>, { at: number; key: string; value: OfficeTransparency[] }>();

/** Every office's public figures, computed at most every five minutes per process. */
export async function readTransparency(ctx: AppContext, options: { publishReleaseTime: boolean }): Promise<OfficeTransparency[]> {
  const now = ctx.now();
  const key = String(options.publishReleaseTime);
  const hit = cache.get(ctx.db);
  if (hit && hit.key === key && now - hit.at < CACHE_MS && now >= hit.at) return hit.value;
  const value = await compute(ctx, options.publishReleaseTime);
  cache.set(ctx.db, { at: now, key, value });
  return value;
}

async function compute(ctx: AppContext, publishReleaseTime: boolean): Promise<OfficeTransparency[]> {
  const schedules = await loadOfficeSchedules(ctx.db);
  const leads = await measureLeadTimes(ctx);
  const out: OfficeTransparency[] = [];
  for (const s of schedules) {
    const today = localPlainDate(ctx.now(), s.office.time_zone);
    const facts = await loadFacts(ctx.db, {
      officeId: s.office.id,
      serviceId: ALL_SERVICES,
      from: today.subtract({ weeks: WEEKS }).toString(),
      to: today.subtract({ days: 1 }).toString(),
    });
    const byCell = new Map<string, typeof facts>();
    for (const f of facts) {
      if (f.waits === 0) continue;
      const key = `${Temporal.PlainDate.from(f.day).dayOfWeek} ${f.hour}`;
      byCell.set(key, [...(byCell.get(key) ?? []), f]);
    }
    const waits = [...byCell]
      .map(([key, rows]) => {
        const [weekday, hour] = key.split(' ').map(Number) as [number, number];
        const counts = sumCounts(rows);
        return {
          weekday,
          hour,
          waits: counts.waits,
          medianMinutes: counts.waits >= MIN_WAITS ? histogramQuantile(counts.waitHistogram, 0.5) : null,
        };
      })
      .sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
    out.push({
      officeId: s.office.id,
      name: s.office.name,
      address: s.office.address,
      leadTimes: leads.filter((l) => l.officeId === s.office.id).map((l) => ({ serviceId: l.serviceId, leadDays: l.leadDays })),
      waits,
      shortest: shortestWaitWindow(waits, MIN_WAITS),
      release: publishReleaseTime
        ? { weekday: s.policy.releaseWeekday, time: s.policy.releaseTime, horizonDays: s.policy.horizonDays }
        : null,
    });
  }
  return out;
}
