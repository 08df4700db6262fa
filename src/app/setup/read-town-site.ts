// What every citizen page shows of the town (#21): its logo in the header and its Impressum and
// Datenschutz links in the footer, from the town file. Central and branch alike read their own
// municipality row: the change feed brings it to the office PC with the logo's bytes.
import { sql } from 'kysely';
import { catalogue } from '../shared/catalogue.ts';
import type { CacheContext } from '../shared/context.ts';
import type { LogoMediaType } from './town-logo.ts';

/** Which image is stored: enough for the header to link a URL that changes with the image. */
export type LogoVersion = { mediaType: LogoMediaType; sha256: string };
export type StoredLogo = LogoVersion & { bytes: Uint8Array };
export type TownSite = {
  /** The municipality's name („Stadt Musterstadt“), which the Leichte-Sprache page says. */
  name: string;
  logo: LogoVersion | null;
  imprintUrl: string | null;
  privacyUrl: string | null;
  signLanguageVideoUrl: string | null;
};

// Every page asks; the answer changes only with `setup apply`, which also renews the catalogue
// snapshot, so it is kept as long as that snapshot.
const sites = new WeakMap<object, Promise<TownSite | null>>();

/** The town whose offices are in force; null before a town file was applied (the environment's links then). */
export async function townSite(ctx: CacheContext): Promise<TownSite | null> {
  const snapshot = await catalogue(ctx);
  let site = sites.get(snapshot);
  if (!site) {
    site = sql<{
      name: string;
      media_type: LogoMediaType | null;
      sha256: string | null;
      imprint_url: string;
      privacy_url: string;
      sign_language_video_url: string | null;
    }>`
      SELECT m.name, m.logo_media_type AS media_type, encode(sha256(m.logo), 'hex') AS sha256, m.imprint_url, m.privacy_url,
        m.sign_language_video_url
      FROM municipality m
      WHERE m.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)
      ORDER BY m.id LIMIT 1`
      .execute(ctx.db)
      .then(({ rows: [row] }) =>
        row
          ? {
              name: row.name,
              logo: row.media_type && row.sha256 ? { mediaType: row.media_type, sha256: row.sha256 } : null,
              imprintUrl: row.imprint_url || null,
              privacyUrl: row.privacy_url || null,
              signLanguageVideoUrl: row.sign_language_video_url || null,
            }
          : null,
      );
    sites.set(snapshot, site);
    site.catch(() => sites.delete(snapshot));
  }
  return site;
}

/** The image itself, with its version. */
export async function readTownLogo(ctx: Pick<CacheContext, 'db'>): Promise<StoredLogo | null> {
  const { rows } = await sql<{ logo: Uint8Array; media_type: LogoMediaType; sha256: string }>`
    SELECT m.logo, m.logo_media_type AS media_type, encode(sha256(m.logo), 'hex') AS sha256 FROM municipality m
    WHERE m.logo IS NOT NULL AND m.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)
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
  const site = await townSite(ctx);
  const missing: ('imprint' | 'privacy')[] = [];
  if (!site?.imprintUrl && !fallback.imprintUrl) missing.push('imprint');
  if (!site?.privacyUrl && !fallback.privacyUrl) missing.push('privacy');
  return missing;
}
