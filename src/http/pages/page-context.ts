import type { Context } from 'hono';
import type { ClosureNotice } from '../../app/closures/closure-notices.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { townCatalogue, type TownCatalogue, type TownScope } from '../../app/shared/town-scope.ts';
import type { RequestTown, TownPrefixes } from '../town-site.ts';
import type { TownSite } from '../../app/setup/read-town-site.ts';
import { logoVersionParam } from '../town-logo.ts';
import { requestLanguage, type UiLanguage } from '../language.ts';
import { assetUrls, type AssetUrls } from './assets.ts';
import { messagesFor, type Messages } from './messages/index.ts';

export type CitizenPageOptions = {
  ctx: AppContext;
  /** Which town a request belongs to (town-site.ts); createHttpApp sets it. */
  towns: TownPrefixes;
  /** Signs ALTCHA challenges; random per process when absent (fine for a single process). */
  altchaHmacKey?: string | undefined;
  imprintUrl?: string | undefined;
  privacyUrl?: string | undefined;
  /** Bookings per hour and client address that may arrive without the ALTCHA proof (no JavaScript). */
  fallbackBookingsPerHour?: number | undefined;
  /** ALTCHA work: PBKDF2 iterations per try and the range the secret counter is drawn from. */
  altchaCost?: number | undefined;
  altchaCounter?: [number, number] | undefined;
  /** Challenges per minute and process that count as calm; above it the ALTCHA work grows (bot-check.ts). */
  altchaCalmPerMinute?: number | undefined;
  /** Show the weekly release time on /transparenz (SCHALTER_PUBLISH_RELEASE_TIME). */
  publishReleaseTime?: boolean | undefined;
};

/** What every page component needs: the language, its texts and the shared links. */
export type Page = {
  lang: UiLanguage;
  t: Messages;
  assets: AssetUrls;
  legal: { imprintUrl: string | undefined; privacyUrl: string | undefined };
  /** The same page in the other language (?lang=…, which also sets the cookie). */
  switchHref: string;
  /** Closed offices, shown above every page (set by the citizen pages' middleware). */
  closures?: { now: number; notices: ClosureNotice[] };
  /** The town's logo for the header, a URL that changes with the image; absent without one. */
  logoSrc?: string | undefined;
  /** The header's name: the town's in a Kreis (#20), where one server carries several towns' sites. */
  siteName: string;
};

declare module 'hono' {
  interface ContextVariableMap {
    closureNotices: { now: number; notices: ClosureNotice[] };
  }
}

export function pageFor(c: Context, options: CitizenPageOptions, query?: Record<string, string | undefined>): Page {
  const lang = requestLanguage(c);
  const t = messagesFor(lang);
  // Set by the citizen pages' middleware; absent on an error page answered before it ran.
  const town = c.get('town') as RequestTown | undefined;
  const site = town?.kind === 'town' ? town.site : null;
  return {
    lang,
    t,
    assets: assetUrls(),
    // The town file's links; the environment's are the fallback of an installation without one.
    legal: {
      imprintUrl: site?.imprintUrl ?? options.imprintUrl,
      privacyUrl: site?.privacyUrl ?? options.privacyUrl,
    },
    switchHref: switchHref(c, t.site.switchLang, query),
    closures: c.get('closureNotices'),
    logoSrc: site?.logo ? `/logo?v=${logoVersionParam(site.logo.sha256)}` : undefined,
    // A one-town installation keeps its name; in a Kreis each site says whose it is.
    siteName: site && town?.kind === 'town' && town.scope !== null ? t.site.townName(site.name) : t.site.name,
  };
}

/** The offices and services the request's town offers (everything in a one-town installation). */
export async function siteCatalogue(c: Context, options: CitizenPageOptions): Promise<TownCatalogue> {
  return townCatalogue(options.ctx, pageScope(c));
}

/** The town of a citizen page; null before a town file was applied, or on a Kreis-wide page. */
export function pageSite(c: Context): TownSite | null {
  const town = c.get('town') as RequestTown | undefined;
  return town?.kind === 'town' ? town.site : null;
}

/** The town scope of a citizen page; a Kreis-wide page (no town chosen) sees the whole installation. */
export function pageScope(c: Context): TownScope {
  const town = c.get('town') as RequestTown | undefined;
  return town?.kind === 'town' ? town.scope : null;
}

function switchHref(c: Context, target: string, query?: Record<string, string | undefined>): string {
  const url = new URL(c.req.url);
  const params = query ? new URLSearchParams(definedEntries(query)) : url.searchParams;
  params.set('lang', target);
  // The routed path: a town's prefix is put back on the way out (town-site.ts), like on every link.
  return `${c.req.path}?${params.toString()}`;
}

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function href(path: string, query: Record<string, string | undefined | null> = {}): string {
  const params = new URLSearchParams(definedEntries(query));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function definedEntries(query: Record<string, string | undefined | null>): [string, string][] {
  return Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
}
