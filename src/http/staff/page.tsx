import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from '../../app/shared/context.ts';
import { resolveSession, type SessionState } from '../../app/staff/staff-auth.ts';
import { csrfTokenMatches } from '../../app/staff/staff-secrets.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasRole, seesPersonalData, type LoginStage, type StaffRole } from '../../domain/staff-access.ts';
import { carriesPersonalData } from '../personal-data-routes.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import { requestLanguage, type UiLanguage } from '../language.ts';
import { assetUrls } from '../pages/assets.ts';
import { SiteHeader } from '../pages/site-header.tsx';
import { clearSessionCookie, CSRF_FIELD, sessionIdOf, type StaffEnv } from './auth.ts';
import { de } from './messages/de.ts';
import { en } from './messages/en.ts';
import { counterMessages } from './messages/counter.ts';
import { statisticsMessages } from './messages/statistics.ts';
import { closureMessages } from './messages/closures.ts';
import { walkinSlotMessages } from './messages/counter-walkin-slots.ts';
import { workItemMessages } from './messages/sync-work-items.ts';
import { outboxMessages } from './messages/messaging-outbox.ts';
import { deviceMessages } from './messages/devices.ts';
import { accountMessages } from './messages/staff-accounts.ts';
import { webFile } from '../../web-dir.ts';
import { errorNumberText } from '../request-log.ts';

export type StaffMessages = typeof de;

/** What every staff page needs: language, texts, the session (once logged in) and its CSRF token. */
export type StaffPage = { lang: UiLanguage; t: StaffMessages; session: SessionState | null; path: string };

export function staffPageFor(c: Context<StaffEnv>): StaffPage {
  const lang = requestLanguage(c);
  return { lang, t: lang === 'en' ? en : de, session: c.get('session') ?? null, path: c.req.path };
}

const staffCss = fs.readFileSync(webFile('staff.css'));
export const STAFF_CSS_URL = `/staff/static/staff.${createHash('sha256').update(staffCss).digest('hex').slice(0, 12)}.css`;

export function staffCssResponse(c: Context) {
  c.header('Content-Type', 'text/css; charset=utf-8');
  c.header('Cache-Control', 'public, max-age=31536000, immutable');
  return c.body(new Uint8Array(staffCss));
}

/** Resolves the session cookie for every staff page; `principal` is set only for active sessions. */
export function staffPageSession(ctx: AppContext): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const sessionId = sessionIdOf(c);
    const session = sessionId ? await resolveSession(ctx, sessionId) : null;
    c.set('session', session);
    c.set('sessionId', session ? sessionId : null);
    if (session?.stage === 'active') c.set('principal', session.principal);
    const lang = c.req.query('lang');
    if (lang === 'de' || lang === 'en') setCookie(c, 'lang', lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    // A Kreis admin without the grant (http/personal-data-routes.ts says which pages).
    if (session?.stage === 'active' && !seesPersonalData(session.principal) && carriesPersonalData(c))
      return staffErrorPage(c, 'personal_data_not_granted', 403);
    return next();
  };
}

const STAGE_PAGES: Record<LoginStage, string> = {
  totp_verify: '/staff/code',
  password_change: '/staff/passwort',
  totp_enrol: '/staff/zwei-faktor',
  branch_pin: '/staff/zweigstellen-pin',
  active: '/staff/tagesplan',
};

export function stagePath(stage: LoginStage): string {
  return STAGE_PAGES[stage];
}

/**
 * To the login page. A cookie whose session is gone (deactivated, reset, expired) gets the page's
 * message that the session has ended, and the dead cookie is dropped.
 */
export function loginRedirect(c: Context<StaffEnv>) {
  if (!sessionIdOf(c)) return c.redirect('/staff/login', 303);
  clearSessionCookie(c);
  return c.redirect('/staff/login?beendet', 303);
}

/** Lets a request through only in the given stage; otherwise sends the person where they belong. */
export function requireStage(stage: LoginStage): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (!session) return loginRedirect(c);
    if (session.stage !== stage) return c.redirect(stagePath(session.stage), 303);
    return next();
  };
}

/** Lets a request through only for `minimum` or a higher role; others get the 403 page in their language. */
export function requirePageRole(minimum: StaffRole): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    if (hasRole(c.get('principal'), minimum)) return next();
    return forbiddenPage(c);
  };
}

/** The 403 page in the person's language, for a role check inside a handler (one action of a page). */
export function forbiddenPage(c: Context<StaffEnv>) {
  return staffErrorPage(c, 'forbidden', 403);
}

/** A page that only says what went wrong, in the person's language. */
export function staffErrorPage(c: Context<StaffEnv>, code: keyof typeof ERROR_MESSAGES, status: ContentfulStatusCode) {
  const page = staffPageFor(c);
  return c.html(
    <StaffLayout page={page} title={ERROR_MESSAGES[code][page.lang]}>
      <h1 class="kern-heading-large">{ERROR_MESSAGES[code][page.lang]}</h1>
      {status >= 500 && errorNumberText(c, page.lang) ? <p class="kern-body">{errorNumberText(c, page.lang)}</p> : null}
    </StaffLayout>,
    status,
  );
}

/**
 * Every staff form posts the session's CSRF token; a request from another site cannot know it.
 * The Origin check is a second wall for browsers that send it.
 */
export function csrfProtect(): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    // Under our Referrer-Policy no-referrer, Chromium sends `Origin: null` for its own forms, so
    // only a real foreign origin is refused; the token below is what really protects.
    const origin = c.req.header('origin');
    if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) return forbidden(c);
    const sessionId = c.get('sessionId');
    if (!sessionId) return next(); // the login form: no session yet, nothing to forge
    const form = await c.req.parseBody();
    if (!csrfTokenMatches(sessionId, typeof form[CSRF_FIELD] === 'string' ? form[CSRF_FIELD] : null)) return forbidden(c);
    return next();
  };
}

function forbidden(c: Context<StaffEnv>) {
  return staffErrorPage(c, 'csrf_failed', 403);
}

/** The message of a DomainError in the page's language; anything else is rethrown. */
export function errorText(error: unknown, lang: UiLanguage): string {
  if (error instanceof DomainError) return ERROR_MESSAGES[error.code][lang];
  throw error;
}

export function CsrfField({ page }: { page: StaffPage }) {
  return page.session ? <input type="hidden" name={CSRF_FIELD} value={page.session.csrfToken} /> : null;
}

type LayoutProps = {
  page: StaffPage;
  title: string;
  hasErrors?: boolean;
  children?: Child;
  /** Extra stylesheets or scripts of one page. */ head?: Child;
};

/** Frame of every staff page: KERN stylesheet of the citizen pages plus staff.css, navigation once logged in. */
export function StaffLayout({ page, title, hasErrors, children, head }: LayoutProps) {
  const { t, session } = page;
  const active = session?.stage === 'active';
  // The clerk's day in the first row, what team leads and admins run in a second, labelled one: two
  // rows by design instead of one that wraps anywhere (#19). Access keys follow the order, as before.
  // The third entry: the section the item stands for, when it is wider than the item's page.
  const nav: [string, string, string?][] = [
    ['/staff/tagesplan', t.nav.dayPlan],
    ['/staff/telefon', t.nav.phone],
    ['/staff/suche', t.nav.search],
    ['/staff/schalter', counterMessages(page.lang).nav.counter],
    ['/staff/abholung', counterMessages(page.lang).nav.pickup],
    // A walk-in slot from the branch lease (#6).
    ['/staff/spontantermin', walkinSlotMessages[page.lang].nav],
    ['/staff/nachrichten', outboxMessages[page.lang].nav],
  ];
  const dayItems = nav.length;
  // Statistics are for team leads and admins (#8).
  if (session?.principal && hasRole(session.principal, 'teamlead')) nav.push(['/staff/statistics', statisticsMessages[page.lang].nav]);
  // Closing an office or counters (#5) is for team leads and admins too.
  if (session?.principal && hasRole(session.principal, 'teamlead')) nav.push(['/staff/schliessungen', closureMessages[page.lang].nav]);
  // Klärfälle from a branch's Notbetrieb (#6) are settled by team leads and admins.
  if (session?.principal && hasRole(session.principal, 'teamlead')) nav.push(['/staff/klaerfaelle', workItemMessages[page.lang].nav]);
  // Pairing the office's kiosks and call displays (issue 15) is for team leads and admins.
  if (session?.principal && hasRole(session.principal, 'teamlead')) nav.push(['/staff/geraete', deviceMessages[page.lang].nav]);
  // Staff accounts (#19): admins all, team leads the clerks of their offices.
  if (session?.principal && hasRole(session.principal, 'teamlead'))
    nav.push(['/staff/verwaltung/konten', accountMessages[page.lang].nav, '/staff/verwaltung']);
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={page.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${hasErrors ? `${t.site.errorTitle}: ` : ''}${title} – ${t.site.name}`}</title>
          <link rel="stylesheet" href={assetUrls().css} />
          <link rel="stylesheet" href={STAFF_CSS_URL} />
          {head}
        </head>
        <body>
          <SiteHeader site={t.site} home="/staff" switchHref={`${page.path}?lang=${t.site.switchLang}`} wide>
            {active ? (
              <nav class="staff-nav" aria-label={t.site.mainNav}>
                <ul>{nav.slice(0, dayItems).map(([href, label, section], i) => navItem(page.path, href, label, i, section))}</ul>
                {nav.length > dayItems ? (
                  <div class="staff-nav__lead">
                    <span class="staff-nav__label" id="staff-nav-lead">
                      {t.site.leadNav}
                    </span>
                    <ul aria-labelledby="staff-nav-lead">
                      {nav.slice(dayItems).map(([href, label, section], i) => navItem(page.path, href, label, dayItems + i, section))}
                    </ul>
                  </div>
                ) : null}
              </nav>
            ) : null}
            {session ? (
              <form method="post" action="/staff/logout" class="staff-noprint staff-session">
                <CsrfField page={page} />
                <span class="kern-body">
                  {t.site.loggedInAs} {session.user.email}{' '}
                </span>
                {active ? (
                  <a class="kern-link" href="/staff/standort" aria-current={page.path === '/staff/standort' ? 'page' : undefined}>
                    {t.nav.office}
                  </a>
                ) : null}
                <button class="kern-btn kern-btn--tertiary" type="submit">
                  <span class="kern-label">{t.site.logout}</span>
                </button>
              </form>
            ) : null}
          </SiteHeader>
          <main id="inhalt" class="site-main staff-main" tabindex={-1}>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** One entry of the staff navigation; digits 1–9 as access keys, in order. */
function navItem(path: string, href: string, label: string, index: number, section?: string) {
  const current = path === href ? 'page' : path.startsWith(`${section ?? href}/`) ? 'true' : undefined;
  return (
    <li>
      <a class="kern-link" href={href} accesskey={index < 9 ? String(index + 1) : undefined} aria-current={current}>
        {label}
      </a>
    </li>
  );
}
