import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError, ERROR_CODES } from '../../domain/errors.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import type { StaffEnv } from './auth.ts';
import { bookingPages } from './booking-pages.tsx';
import { branchPinPages } from './branch-pin-pages.tsx';
import { callListPages } from './messaging-call-list-pages.tsx';
import { closurePages } from './closure-pages.tsx';
import { severalClosurePages } from './closure-several-pages.tsx';
import { outboxPages } from './messaging-outbox-pages.tsx';
import { templatePages } from './messaging-template-pages.tsx';
import { counterPages } from './counter-pages.tsx';
import { pickupPages } from './document-pickup-pages.tsx';
import { dayPlanPages } from './appointment-day-plan-pages.tsx';
import { appointmentSearchPages } from './appointment-search-pages.tsx';
import { appointmentEditPages } from './appointment-edit-pages.tsx';
import { appointmentCancelPages } from './appointment-cancel-pages.tsx';
import { devicePages } from './device-pages.tsx';
import { accountPages } from './staff-account-pages.tsx';
import { auditLogPages } from './audit-log-pages.tsx';
import { setupServicePages } from './setup-service-pages.tsx';
import { setupHoursPages } from './setup-hours-pages.tsx';
import { setupRulesPages } from './setup-rules-pages.tsx';
import { setupOfficePages } from './setup-office-pages.tsx';
import { recoveryCodePages } from './recovery-code-pages.tsx';
import { loginPages } from './staff-login-pages.tsx';
import { ssoPages } from './sso-pages.ts';
import type { SsoConfig } from '../../config.ts';
import { statisticsPages } from './statistics-pages.tsx';
import { kreisStatisticsPages } from './statistics-kreis-pages.tsx';
import { walkinSlotPages } from './counter-walkin-slot-pages.tsx';
import { workItemPages } from './sync-work-item-pages.tsx';
import {
  csrfProtect,
  loginRedirect,
  STAFF_CSS_URL,
  staffCssResponse,
  staffErrorPage,
  StaffLayout,
  staffPageFor,
  stagePath,
  staffPageSession,
} from './page.tsx';
import { failedLine } from '../request-log.ts';

/**
 * The staff pages under /staff. To add a page: a Hono<StaffEnv> sub-app in its own file, guard it
 * with `requireStage('active')`, read `c.get('principal')`, call an app use case that checks office
 * access, render inside <StaffLayout>, put <CsrfField> into every POST form, and route it here.
 */
export function staffPages(ctx: AppContext, log: (message: string, error?: unknown) => void, options: { sso?: SsoConfig | null } = {}) {
  // On a branch node staff log in with their branch PIN, chosen on the central server (docs/decisions/0009).
  const centralUrl = ctx.settings.branchNode?.centralUrl;
  const pages = new Hono<StaffEnv>();
  pages.get(STAFF_CSS_URL.slice('/staff'.length), staffCssResponse);
  pages.use('*', staffPageSession(ctx));
  pages.use('*', csrfProtect());
  pages.get('/', (c) => {
    const session = c.get('session');
    if (!session) return loginRedirect(c);
    if (session.stage === 'active' && !session.officeId) return c.redirect('/staff/standort', 303);
    return c.redirect(stagePath(session.stage), 303);
  });
  // Before the login pages: on a branch node it answers the password page itself.
  pages.route('/', branchPinPages(ctx, { centralUrl }));
  const secureCookies = ctx.settings.publicUrl.startsWith('https:');
  pages.route('/', loginPages(ctx, { secureCookies, issuer: 'Schalter', centralUrl, sso: Boolean(options.sso) }));
  if (options.sso) pages.route('/', ssoPages(ctx, options.sso, { secureCookies, log }));
  pages.route('/', dayPlanPages(ctx));
  pages.route('/', appointmentSearchPages(ctx));
  pages.route('/', bookingPages(ctx));
  pages.route('/', appointmentEditPages(ctx));
  pages.route('/', appointmentCancelPages(ctx));
  pages.route('/', statisticsPages(ctx));
  pages.route('/', kreisStatisticsPages(ctx));
  pages.route('/', counterPages(ctx));
  pages.route('/', pickupPages(ctx));
  pages.route('/', callListPages(ctx));
  pages.route('/', workItemPages(ctx));
  pages.route('/', walkinSlotPages(ctx));
  pages.route('/', closurePages(ctx, log));
  pages.route('/', severalClosurePages(ctx, log));
  pages.route('/', outboxPages(ctx));
  pages.route('/', templatePages(ctx));
  pages.route('/', devicePages(ctx));
  pages.route('/', accountPages(ctx));
  pages.route('/', auditLogPages(ctx));
  pages.route('/', setupServicePages(ctx));
  pages.route('/', setupOfficePages(ctx));
  pages.route('/', setupHoursPages(ctx));
  pages.route('/', setupRulesPages(ctx));
  pages.route('/', recoveryCodePages(ctx));

  pages.notFound((c) => staffNotFoundPage(c));
  pages.onError((error, c) => {
    if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'office_not_found')) return staffNotFoundPage(c);
    if (error instanceof DomainError && error.code === 'unauthenticated') return loginRedirect(c);
    // Any other refusal (an impossible date in a link, a bad value) is its own page with its 4xx, never a 500.
    if (error instanceof DomainError) return staffErrorPage(c, error.code, ERROR_CODES[error.code]);
    log(failedLine(c), error);
    return staffErrorPage(c, 'internal_error', 500);
  });
  return pages;
}

/** Also the answer of the whole app to a browser asking for an unknown /staff/… path (app.ts). */
export function staffNotFoundPage(c: Context<StaffEnv>) {
  const page = staffPageFor(c);
  return c.html(
    <StaffLayout page={page} title={ERROR_MESSAGES.not_found[page.lang]}>
      <h1 class="kern-heading-large">{ERROR_MESSAGES.not_found[page.lang]}</h1>
      <p>
        <a class="kern-link" href="/staff">
          {page.t.nav.dayPlan}
        </a>
      </p>
    </StaffLayout>,
    404,
  );
}
