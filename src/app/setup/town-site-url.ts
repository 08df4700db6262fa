// Where links in a citizen's mail or SMS point (#20): the site of the town whose office the message
// is about — its siteUrl from the town file, else this server under the town's prefix when it serves
// several towns, else PUBLIC_URL as always. Every link builder (manage, confirm, offers, waiting
// list, lottery, reminder, document ready) takes its base from here, so a town's citizens never land
// on a neighbour's site.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readTowns } from './read-town-site.ts';
import { catalogue } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';

/** Pure: the base URL (no trailing slash) for a town's links; `towns` counts the towns with offices in force. */
export function townSiteUrl(publicUrl: string, town: { id: string; siteUrl: string | null } | null, towns: number): string {
  if (town?.siteUrl) return town.siteUrl.replace(/\/+$/, '');
  if (town && towns > 1) return `${publicUrl}/${encodeURIComponent(town.id)}`;
  return publicUrl;
}

/**
 * From the cached catalogue: no query on the booking path. Only outside a transaction — a stale
 * cache reads through ctx.db, which inside one would wait for it (PGlite has one connection).
 */
export async function officeSiteUrl(ctx: Pick<AppContext, 'db' | 'elapsed' | 'settings'>, officeId: string): Promise<string> {
  const [towns, { offices }] = await Promise.all([readTowns(ctx), catalogue(ctx)]);
  const municipalityId = offices.find((o) => o.id === officeId)?.municipality_id;
  return townSiteUrl(ctx.settings.publicUrl, towns.find((t) => t.id === municipalityId) ?? null, towns.length);
}

/** The same inside the caller's transaction: one small query through it (towns counted as readTowns does). */
export async function officeSiteUrlIn(ctx: Pick<AppContext, 'settings'>, trx: Kysely<DB>, officeId: string): Promise<string> {
  const { rows } = await sql<{ id: string; site_url: string | null; towns: number }>`
    SELECT m.id, m.site_url,
      (SELECT count(*)::int FROM municipality m2 WHERE m2.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)) AS towns
    FROM office o JOIN municipality m ON m.id = o.municipality_id
    WHERE o.id = ${officeId}`.execute(trx);
  const row = rows[0];
  return townSiteUrl(ctx.settings.publicUrl, row ? { id: row.id, siteUrl: row.site_url } : null, row?.towns ?? 0);
}
