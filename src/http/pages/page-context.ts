import type { Context } from 'hono';
import type { ClosureNotice } from '../../app/closures/closure-notices.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { requestLanguage, type UiLanguage } from '../language.ts';
import { assetUrls, type AssetUrls } from './assets.ts';
import { messagesFor, type Messages } from './messages/index.ts';

export type CitizenPageOptions = {
  ctx: AppContext;
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
};

declare module 'hono' {
  interface ContextVariableMap {
    closureNotices: { now: number; notices: ClosureNotice[] };
    /** The town file's logo URL and legal links (set by the citizen pages' middleware). */
    townSite: { logoSrc: string | undefined; imprintUrl: string | undefined; privacyUrl: string | undefined } | undefined;
  }
}

export function pageFor(c: Context, options: CitizenPageOptions, query?: Record<string, string | undefined>): Page {
  const lang = requestLanguage(c);
  const t = messagesFor(lang);
  return {
    lang,
    t,
    assets: assetUrls(),
    // The town file's links; the environment's are the fallback of an installation without one.
    legal: {
      imprintUrl: c.get('townSite')?.imprintUrl ?? options.imprintUrl,
      privacyUrl: c.get('townSite')?.privacyUrl ?? options.privacyUrl,
    },
    switchHref: switchHref(c, t.site.switchLang, query),
    closures: c.get('closureNotices'),
    logoSrc: c.get('townSite')?.logoSrc,
  };
}

function switchHref(c: Context, target: string, query?: Record<string, string | undefined>): string {
  const url = new URL(c.req.url);
  const params = query ? new URLSearchParams(definedEntries(query)) : url.searchParams;
  params.set('lang', target);
  return `${url.pathname}?${params.toString()}`;
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
