// The town's logo for the page header and GET /logo (#21). Central and branch alike read their own
// municipality row: the change feed brings it to the office PC with its bytes.
import { sql } from 'kysely';
import { catalogue } from '../shared/catalogue.ts';
import type { CacheContext } from '../shared/context.ts';
import type { LogoMediaType } from './town-logo.ts';

/** Which image is stored: enough for the header to link a URL that changes with the image. */
export type LogoVersion = { mediaType: LogoMediaType; sha256: string };
export type StoredLogo = LogoVersion & { bytes: Uint8Array };

// Every page asks; the answer changes only with `setup apply`, which also renews the catalogue
// snapshot, so the version is kept as long as that snapshot.
const versions = new WeakMap<object, Promise<LogoVersion | null>>();

/** The logo of the town whose offices are in force; null when it has none. */
export async function townLogoVersion(ctx: CacheContext): Promise<LogoVersion | null> {
  const snapshot = await catalogue(ctx);
  let version = versions.get(snapshot);
  if (!version) {
    version = sql<{ media_type: LogoMediaType; sha256: string }>`
      SELECT m.logo_media_type AS media_type, encode(sha256(m.logo), 'hex') AS sha256 FROM municipality m
      WHERE m.logo IS NOT NULL AND m.id IN (SELECT municipality_id FROM office WHERE retired_at IS NULL)
      ORDER BY m.id LIMIT 1`
      .execute(ctx.db)
      .then(({ rows: [row] }) => (row ? { mediaType: row.media_type, sha256: row.sha256 } : null));
    versions.set(snapshot, version);
    version.catch(() => versions.delete(snapshot));
  }
  return version;
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
