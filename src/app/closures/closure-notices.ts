import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../shared/context.ts';

// What the public pages say about closed offices ("heute bis 18:00 Uhr geschlossen"): whole-office
// closures that are in force now or begin within the next days. Counter closures leave the office
// open and are not announced. Every citizen page shows this, so it is cached briefly per database;
// a closure opened in this process is shown at once, one opened elsewhere within CACHE_MS.

export type ClosureNotice = { officeId: string; officeName: string; timeZone: string; from: number; to: number; reason: string };

const AHEAD_MS = 7 * 24 * 3_600_000;
const CACHE_MS = 30_000;

let version = 0;
const cache = new WeakMap<Kysely<DB>, { at: number; version: number; notices: ClosureNotice[] }>();

/** Called when a closure is opened: this process shows it on the next page. */
export function closureNoticesChanged(): void {
  version++;
}

export async function closureNotices(ctx: AppContext): Promise<ClosureNotice[]> {
  const now = ctx.now();
  const hit = cache.get(ctx.db);
  if (hit && hit.version === version && now >= hit.at && now - hit.at < CACHE_MS) return hit.notices.filter((n) => n.to > now);
  const rows = await ctx.db
    .selectFrom('closure')
    .innerJoin('office', 'office.id', 'closure.office_id')
    .select(['closure.office_id', 'office.name', 'office.time_zone', 'closure.starts_at', 'closure.ends_at', 'closure.reason'])
    .where('closure.counters', 'is', null)
    .where('closure.ends_at', '>', new Date(now))
    .where('closure.starts_at', '<', new Date(now + AHEAD_MS))
    .orderBy('closure.starts_at')
    .execute();
  const notices = rows.map((r) => ({
    officeId: r.office_id,
    officeName: r.name,
    timeZone: r.time_zone,
    from: r.starts_at.getTime(),
    to: r.ends_at.getTime(),
    reason: r.reason,
  }));
  cache.set(ctx.db, { at: now, version, notices });
  return notices;
}
