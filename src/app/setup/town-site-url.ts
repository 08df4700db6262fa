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
 * What a message about an office takes from the office's town: where its links point and whose
 * sender it carries (#20). Every message builder asks for it, so a town's citizens get its links and
 * its sender together or neither.
 */
export type MessageTown = {
  /** The office's municipality_id (whose message texts apply); null for an office not known here. */
  id: string | null;
  /** Base URL of the links, no trailing slash (townSiteUrl). */
  siteUrl: string;
  /** The town's sender (town file `mailFrom`), written on the outbox row; null: the installation's MAIL_FROM. */
  mailFrom: string | null;
};

/**
 * From the cached catalogue: no query on the booking path. Only outside a transaction — a stale
 * cache reads through ctx.db, which inside one would wait for it (PGlite has one connection).
 */
export async function officeTown(ctx: Pick<AppContext, 'db' | 'elapsed' | 'settings'>, officeId: string): Promise<MessageTown> {
  const [towns, { offices }] = await Promise.all([readTowns(ctx), catalogue(ctx)]);
  const municipalityId = offices.find((o) => o.id === officeId)?.municipality_id;
  const town = towns.find((t) => t.id === municipalityId) ?? null;
  return { id: municipalityId ?? null, siteUrl: townSiteUrl(ctx.settings.publicUrl, town, towns.length), mailFrom: town?.mailFrom ?? null };
}

/** The same inside the caller's transaction: one small query through it (towns counted as readTowns does). */
export async function officeTownIn(ctx: Pick<AppContext, 'settings'>, trx: Kysely<DB>, officeId: string): Promise<MessageTown> {
  // LEFT JOIN: an office whose town has no municipality row (a branch before the row came) is still of its town.
  const { rows } = await sql<{
    municipality_id: string;
    id: string | null;
    site_url: string | null;
    mail_from: string | null;
    towns: number;
  }>`
    SELECT o.municipality_id, m.id, m.site_url, m.mail_from,
      (SELECT count(*)::int FROM municipality m2 WHERE m2.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)) AS towns
    FROM office o LEFT JOIN municipality m ON m.id = o.municipality_id
    WHERE o.id = ${officeId}`.execute(trx);
  const row = rows[0];
  return {
    id: row?.municipality_id ?? null,
    siteUrl: townSiteUrl(ctx.settings.publicUrl, row?.id ? { id: row.id, siteUrl: row.site_url } : null, row?.towns ?? 0),
    mailFrom: row?.mail_from ?? null,
  };
}
