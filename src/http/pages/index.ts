import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { closureNotices } from '../../app/closures/closure-notices.ts';
import { townCatalogue } from '../../app/shared/town-scope.ts';
import { isTownPath, requestTown } from '../town-site.ts';
import { kreisStartPage } from './kreis-start-page.tsx';
import { accessibilityRoutes } from './accessibility-page.tsx';
import { staticAssetRoutes } from './assets.ts';
import { createBotCheck, createFallbackLimiter, randomHmacKey } from './bot-check.ts';
import { detailsRoutes } from './booking-details-page.tsx';
import { MessagePage, notFoundPage, pageError } from './error-pages.tsx';
import { pageFor, pageScope, siteCatalogue } from './page-context.ts';
import { manageRoutes } from './appointment-manage-pages.tsx';
import { linkRequestRoutes } from './appointment-link-request-page.tsx';
import { moveRoutes } from './appointment-move-pages.tsx';
import { offerRoutes } from './closure-offer-pages.tsx';
import { reminderRoutes } from './appointment-reminder-pages.tsx';
import type { CitizenPageOptions } from './page-context.ts';
import { pickRoutes } from './booking-pick-page.tsx';
import { documentStatusRoutes } from './document-status-page.tsx';
import { officeProfileRoutes } from './office-profile-page.tsx';
import { easyReadRoutes, EASY_READ_PATH, SIGN_LANGUAGE_PATH } from './easy-read-pages.tsx';
import { startRoutes } from './booking-start-page.tsx';
import { transparencyRoutes } from './statistics-transparency-page.tsx';
import { waitingListRoutes } from './waiting-list-pages.tsx';

export type { CitizenPageOptions };

const ONE_YEAR_S = 365 * 24 * 3600;

// Pages of the whole Kreis server, answered without a town: the accessibility statement, Leichte
// Sprache and Gebärdensprache (the start page's header and footer link them, BITV 2.0 § 4), the bot
// check's challenge, and links that carry an appointment's or an offer's token.
const KREIS_WIDE =
  /^\/(barrierefreiheit$|leichte-sprache$|gebaerdensprache$|buchen\/pruefung$|(termin|angebot|warteliste|erinnerung|verlosung)\/[A-Za-z0-9_-]{43}(\/|$))/;

/**
 * The citizen pages: book, confirm, move and cancel in the browser, server-rendered, working
 * without JavaScript. Handlers call the app use cases directly, like the JSON API does.
 */
export function citizenPages(options: CitizenPageOptions, log: (message: string, error?: unknown) => void = () => {}) {
  const { ctx } = options;
  const pages = new Hono();
  pages.onError((error, c) => pageError(error, c, options, log));

  // ?lang=en on any page switches the language and remembers it (cookie, read by requestLanguage).
  pages.use('*', async (c, next) => {
    const lang = c.req.path.startsWith('/api/') ? undefined : c.req.query('lang');
    if (lang === 'de' || lang === 'en') setCookie(c, 'lang', lang, { path: '/', maxAge: ONE_YEAR_S, sameSite: 'Lax', httpOnly: true });
    await next();
  });

  pages.route('/', staticAssetRoutes());
  // The town of the request (town-site.ts). A Kreis asked without one: `/` lists the towns, a town
  // page asks to choose one. Links from mails sent before the Kreis had several towns
  // (/termin/{token} and the like) still work: the token names the appointment, whatever the town.
  pages.use('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || !isTownPath(c.req.path)) return next();
    const town = await requestTown(c, ctx, options.towns);
    if (town.kind === 'choose' && !KREIS_WIDE.test(c.req.path)) return kreisStartPage(c, options, town.towns);
    await next();
  });
  // Closed offices are announced on every page ("heute bis 18:00 Uhr geschlossen"), a town's own only.
  pages.use('*', async (c, next) => {
    if (!c.req.path.startsWith('/api/')) {
      const scope = pageScope(c);
      const notices = await closureNotices(ctx);
      const offices = scope ? new Set((await townCatalogue(ctx, scope)).offices.map((o) => o.id)) : null;
      c.set('closureNotices', { now: ctx.now(), notices: offices ? notices.filter((n) => offices.has(n.officeId)) : notices });
    }
    await next();
  });
  // SCHALTER_DEMO=off before the first `setup apply`: one honest page instead of an empty booking form.
  pages.use('*', async (c, next) => {
    // The accessibility statement and the pages BITV 2.0 § 4 asks for stand before any set-up.
    if (c.req.path.startsWith('/api/') || ['/barrierefreiheit', EASY_READ_PATH, SIGN_LANGUAGE_PATH].includes(c.req.path)) return next();
    if ((await siteCatalogue(c, options)).offices.length > 0) return next();
    const { t } = pageFor(c, options);
    return MessagePage(
      c,
      options,
      { title: t.errors.notSetUpTitle, body: t.errors.notSetUpBody, link: { href: '/barrierefreiheit', label: t.site.accessibility } },
      503,
    );
  });
  const botCheck = createBotCheck({
    hmacKey: options.altchaHmacKey ?? randomHmacKey(),
    cost: options.altchaCost,
    counter: options.altchaCounter,
    calmPerMinute: options.altchaCalmPerMinute,
    now: ctx.now,
  });
  pages.get('/buchen/pruefung', async (c) => c.json(await botCheck.challenge()));

  startRoutes(pages, options);
  officeProfileRoutes(pages, options);
  documentStatusRoutes(pages, options);
  pickRoutes(pages, options);
  detailsRoutes(pages, options, {
    botCheck,
    fallback: createFallbackLimiter({ perHour: options.fallbackBookingsPerHour ?? 5, now: ctx.now }),
  });
  // Before manageRoutes: its /termin/:token would otherwise be asked first. Own budget per client.
  linkRequestRoutes(pages, options, { limiter: createFallbackLimiter({ perHour: 10, now: ctx.now }) });
  manageRoutes(pages, options);
  moveRoutes(pages, options);
  offerRoutes(pages, options);
  reminderRoutes(pages, options);
  accessibilityRoutes(pages, options);
  easyReadRoutes(pages, options);
  transparencyRoutes(pages, options);
  // Joining the waiting list pushes everyone behind back: the same bot check as booking, its own fallback budget.
  waitingListRoutes(pages, options, {
    botCheck,
    fallback: createFallbackLimiter({ perHour: options.fallbackBookingsPerHour ?? 5, now: ctx.now }),
  });
  // Unknown or mistyped appointment links get a page that explains, not a JSON error.
  pages.all('/termin/*', (c) => notFoundPage(c, options));
  return pages;
}
