// What every citizen page shows of the town (#21): its logo in the header and its Impressum and
// Datenschutz links in the footer, from the town file. Central and branch alike read their own
// municipality rows: the change feed brings them to the office PC with the logo's bytes.
// A Kreis installation (#20) holds several towns; each has its own site (kreis-design.md decision 4),
// found by the path prefix /{id}/…, the host of its siteUrl or one of its hostNames.
import { sql } from 'kysely';
import { catalogue } from '../shared/catalogue.ts';
import type { CacheContext } from '../shared/context.ts';
import type { LogoMediaType } from './town-logo.ts';

/** Which image is stored: enough for the header to link a URL that changes with the image. */
export type LogoVersion = { mediaType: LogoMediaType; sha256: string };
export type StoredLogo = LogoVersion & { bytes: Uint8Array };
export type TownSite = {
  /** The municipality's id: the path prefix of its site in a Kreis (`/castrop-rauxel/…`). */
  id: string;
  /** The municipality's name („Stadt Musterstadt“), which the Leichte-Sprache page says. */
  name: string;
  logo: LogoVersion | null;
  imprintUrl: string | null;
  privacyUrl: string | null;
  signLanguageVideoUrl: string | null;
  /** The town's public site without a trailing slash; links in its mails point there. */
  siteUrl: string | null;
  /** Lower-case host names that select this town: its siteUrl's host and its hostNames. */
  hosts: string[];
  /** Municipality ids whose offices an "any office" search of this town also offers. */
  neighbours: string[];
  /** The sender of the town's mails (town file `mailFrom`). */
  mailFrom: string;
};

// Every page asks; the answer changes only with `setup apply`, which also renews the catalogue
// snapshot, so it is kept as long as that snapshot.
const sites = new WeakMap<object, Promise<TownSite[]>>();

/**
 * Every town of the installation, by id. Today's single town is one; a municipality row without an
 * office in force (set up but all offices removed, or a leftover demo row) is no town citizens can
 * choose, so it is left out — as the one-town installation always did.
 */
export async function readTowns(ctx: CacheContext): Promise<TownSite[]> {
  const snapshot = await catalogue(ctx);
  let towns = sites.get(snapshot);
  if (!towns) {
    towns = sql<{
      id: string;
      name: string;
      media_type: LogoMediaType | null;
      sha256: string | null;
      imprint_url: string;
      privacy_url: string;
      sign_language_video_url: string | null;
      site_url: string | null;
      host_names: string[] | null;
      neighbours: string[] | null;
      mail_from: string;
    }>`
      SELECT m.id, m.name, m.logo_media_type AS media_type, encode(sha256(m.logo), 'hex') AS sha256, m.imprint_url, m.privacy_url,
        m.sign_language_video_url, m.site_url, m.host_names, m.neighbours, m.mail_from
      FROM municipality m
      WHERE m.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)
      ORDER BY m.id`
      .execute(ctx.db)
      .then(({ rows }) =>
        rows.map((row) => {
          const siteUrl = row.site_url ? row.site_url.replace(/\/+$/, '') : null;
          return {
            id: row.id,
            name: row.name,
            logo: row.media_type && row.sha256 ? { mediaType: row.media_type, sha256: row.sha256 } : null,
            imprintUrl: row.imprint_url || null,
            privacyUrl: row.privacy_url || null,
            signLanguageVideoUrl: row.sign_language_video_url || null,
            siteUrl,
            hosts: [...(siteUrl ? [hostOf(siteUrl)] : []), ...(row.host_names ?? []).map((h) => h.toLowerCase())].filter((h) => h !== ''),
            neighbours: row.neighbours ?? [],
            mailFrom: row.mail_from,
          };
        }),
      );
    sites.set(snapshot, towns);
    towns.catch(() => sites.delete(snapshot));
  }
  return towns;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The town a citizen page belongs to: the one named, else the only (or first) town whose offices are
 * in force; null before a town file was applied (the environment's links then).
 */
export async function townSite(ctx: CacheContext, townId?: string): Promise<TownSite | null> {
  const towns = await readTowns(ctx);
  return (townId === undefined ? towns[0] : towns.find((t) => t.id === townId)) ?? null;
}

/** The image itself, with its version: of the town named, else of the first town with a logo. */
export async function readTownLogo(ctx: Pick<CacheContext, 'db'>, townId?: string): Promise<StoredLogo | null> {
  const { rows } = await sql<{ logo: Uint8Array; media_type: LogoMediaType; sha256: string }>`
    SELECT m.logo, m.logo_media_type AS media_type, encode(sha256(m.logo), 'hex') AS sha256 FROM municipality m
    WHERE m.logo IS NOT NULL AND m.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)
      AND (${townId ?? null}::text IS NULL OR m.id = ${townId ?? null})
    ORDER BY m.id LIMIT 1`.execute(ctx.db);
  const row = rows[0];
  return row ? { bytes: row.logo, mediaType: row.media_type, sha256: row.sha256 } : null;
}

/**
 * The legal links a public body's site must have (Impressum, Datenschutz) that neither the town file
 * nor the environment (SCHALTER_IMPRINT_URL, SCHALTER_PRIVACY_URL) gives: the start-up warns of them.
 */
export async function missingLegalLinks(
  ctx: CacheContext,
  fallback: { imprintUrl?: string | undefined; privacyUrl?: string | undefined },
): Promise<('imprint' | 'privacy')[]> {
  const towns = await readTowns(ctx);
  const missing: ('imprint' | 'privacy')[] = [];
  // Every town's site must have them; one without is reported like a one-town installation without.
  const all = towns.length > 0 ? towns : [null];
  if (all.some((site) => !site?.imprintUrl) && !fallback.imprintUrl) missing.push('imprint');
  if (all.some((site) => !site?.privacyUrl) && !fallback.privacyUrl) missing.push('privacy');
  return missing;
}
