import type { Context } from 'hono';
import { readTownLogo } from '../app/setup/read-town-site.ts';
import type { AppContext } from '../app/shared/context.ts';
import { errorResponse } from './api/errors.ts';
import { secureBody } from './security-headers.ts';
import { requestTown, type TownPrefixes } from './town-site.ts';

// GET /logo: the town's logo from the town file (#21), for the header of the citizen pages. Pages
// link `/logo?v=<first 16 hex of its SHA-256>`, a URL that changes with the image, so a browser may
// keep it for a year; /logo itself (or an old v) is kept five minutes and then revalidated by ETag.
// An SVG is markup a town's IT supplied: shown as <img> it runs nothing anyway, and opened directly
// its policy (no sources, sandbox) keeps it from running script or loading anything.

const LOGO_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/** The `v` that pages put on the logo's URL. */
export const logoVersionParam = (sha256: string) => sha256.slice(0, 16);

export function townLogoRoute(ctx: AppContext, towns: TownPrefixes) {
  return async (c: Context) => {
    // Each town's site shows its own (#20); a Kreis server's `/logo` without a town has none.
    const town = await requestTown(c, ctx, towns);
    const logo = town.kind === 'town' ? await readTownLogo(ctx, town.site?.id) : null;
    if (!logo) return errorResponse(c, 'not_found');
    const etag = `"${logo.sha256.slice(0, 32)}"`;
    const headers = {
      'content-type': logo.mediaType,
      etag,
      'cache-control': c.req.query('v') === logoVersionParam(logo.sha256) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'content-security-policy': LOGO_CSP,
    };
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return secureBody(null, 304, headers);
    return secureBody(logo.bytes, 200, headers);
  };
}
