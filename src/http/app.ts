import type { SsoConfig } from '../config.ts';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../app/shared/context.ts';
import type { DatabaseKind } from '../db/connection.ts';
import { errorResponse, handleApiError } from './api/errors.ts';
import { closureApiRoutes } from './api/closure-routes.ts';
import { notificationApiRoutes } from './api/messaging-routes.ts';
import { extraCapacityApiRoutes } from './api/closure-extra-capacity-routes.ts';
import { registerPublicCounterRoutes } from './api/counter-routes.ts';
import { publicApiRoutes } from './api/booking-routes.ts';
import { officePages, unknownDevicePage, type OfficePageOptions } from './office/index.tsx';
import { citizenPages, type CitizenPageOptions } from './pages/index.ts';
import { staffApiRoutes } from './api/staff-routes.ts';
import { statisticsApiRoutes } from './api/statistics-routes.ts';
import { syncApiRoutes } from './api/sync-routes.ts';
import { walkinSlotApiRoutes } from './api/counter-walkin-slot-routes.ts';
import { OFFICE_PATHS, requireExistingOffice } from './api/office-exists.ts';
import { workItemApiRoutes } from './api/sync-work-item-routes.ts';
import { registerBranchStatus } from './branch-banner.ts';
import { adminSetupApiRoutes } from './api/admin-setup-routes.ts';
import type { SyncBanner } from '../sync/branch-node.ts';
import { staffPages } from './staff/index.tsx';
import { rateLimit } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import { limitBodies } from './body-limit.ts';
import { refuseNulCharacters } from './nul-characters.ts';
import { declareSharedResponses } from './api/openapi-helpers.ts';
import { notFoundPage, pageError, tooLargePage } from './pages/error-pages.tsx';
import { DomainError } from '../domain/errors.ts';
import { staffErrorPage } from './staff/page.tsx';
import { staffNotFoundPage } from './staff/index.tsx';
import { faviconResponse } from './favicon.ts';
import { townLogoRoute } from './town-logo.ts';
import { townPrefixes } from './town-site.ts';
import { maskingLog } from '../log-masking.ts';
import { registerHealthRoutes } from './health-routes.ts';
import type { Metrics } from './metrics/metrics-registry.ts';
import { registerMetricsRoute, timeRequests } from './metrics/metrics-routes.ts';
import type { OfficeNetwork } from '../config.ts';
import { logRequests, type RequestLog } from './request-log.ts';

export type HttpAppOptions = {
  ctx: AppContext;
  dbKind: DatabaseKind;
  rateLimitPerMinute: number | null;
  /** Set on a branch node: the Notbetrieb banner on every page and GET /api/v1/branch/status. */
  branchStatus?: () => Promise<SyncBanner>;
  /** Set on a branch node: /readyz asks whether the journal could take an entry now. */
  journalProblem?: () => string | null;
  log?: (message: string, error?: unknown) => void;
  /** Settings of the citizen pages (bot-protection key, legal links); defaults suit tests. */
  pages?: Omit<CitizenPageOptions, 'ctx' | 'towns'>;
  /** Kiosk, call display and document status (office networks, display polling and cap, kiosk rate limit). */
  office?: OfficePageOptions;
  /** GET /metrics and request timing (http/metrics); SCHALTER_METRICS_NETWORKS as `networks`. */
  metrics?: { metrics: Metrics; networks: readonly OfficeNetwork[] };
  /** One log line per request, and X-Request-Id on every answer (http/request-log.ts). */
  requestLog?: RequestLog;
  /** Staff single sign-on through the town's OpenID Connect provider (config.sso). */
  sso?: SsoConfig | null;
};

/** Builds the whole HTTP surface without listening, so tests drive it with app.request(). */
export function createHttpApp(options: HttpAppOptions) {
  const { ctx, dbKind } = options;
  // Failing requests are logged with their path, and many paths carry a manage token: masked here.
  const log = maskingLog(options.log ?? ((message, error) => console.error(message, error ?? '')));
  const towns = townPrefixes(ctx);
  const app = new OpenAPIHono({ getPath: towns.getPath });
  app.fetch = towns.serve(app.fetch);
  if (options.requestLog) app.use('*', logRequests(options.requestLog));
  if (options.metrics) app.use('*', timeRequests(options.metrics.metrics));
  app.use('*', securityHeaders());
  // After the security headers: a town's prefix is put back on the finished page's links.
  app.use('*', towns.middleware());
  // A body over its route's limit is refused as the route would refuse anything: JSON or a page.
  const citizenOptions = { ctx, towns, ...options.pages };
  app.use(
    '*',
    limitBodies((c, maxBytes) => {
      if (c.req.path.startsWith('/api/')) return errorResponse(c, 'payload_too_large', { maxBytes });
      if (c.req.path.startsWith('/staff/')) return staffErrorPage(c, 'payload_too_large', 413);
      return tooLargePage(c, citizenOptions);
    }),
  );
  app.use(
    '*',
    refuseNulCharacters((c) => {
      if (c.req.path.startsWith('/api/')) return errorResponse(c, 'invalid_characters');
      if (c.req.path.startsWith('/staff/')) return staffErrorPage(c, 'invalid_characters', 400);
      return pageError(new DomainError('invalid_characters', 'NUL in the request'), c, citizenOptions, log);
    }),
  );
  if (options.branchStatus) registerBranchStatus(app, options.branchStatus);
  // A browser that follows a wrong link gets a page in the site's layout and language; API clients,
  // scripts and /api/ itself keep the JSON error envelope.
  const notFound = (c: Context) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || !(c.req.header('accept') ?? '').includes('text/html')) return errorResponse(c, 'not_found');
    if (path === '/staff' || path.startsWith('/staff/')) return staffNotFoundPage(c);
    if (/^\/(kiosk|display)\//.test(path)) return unknownDevicePage(c);
    return notFoundPage(c, citizenOptions);
  };
  app.onError((error, c) => {
    // E.g. /kiosk/{office} or /display/{office} for an office that does not exist (the device guard finds out).
    const missing = error instanceof DomainError && (error.code === 'not_found' || error.code === 'office_not_found');
    if (missing && !c.req.path.startsWith('/api/')) return notFound(c);
    return handleApiError(error, c, log);
  });
  app.get('/favicon.ico', faviconResponse);
  app.get('/logo', townLogoRoute(ctx, towns));

  registerHealthRoutes(app, { ctx, dbKind, journalProblem: options.journalProblem });
  if (options.metrics) registerMetricsRoute(app, { ctx, ...options.metrics });

  app.use('/api/*', rateLimit({ perMinute: options.rateLimitPerMinute, now: ctx.now }));
  for (const path of OFFICE_PATHS) app.use(path, requireExistingOffice(ctx));
  const api = publicApiRoutes(ctx, towns);
  registerPublicCounterRoutes(api, ctx);
  api.route('/staff', staffApiRoutes(ctx));
  api.route('/statistics', statisticsApiRoutes(ctx));
  api.route('/sync', syncApiRoutes(ctx));
  api.route('/', closureApiRoutes(ctx, log));
  api.route('/', notificationApiRoutes(ctx));
  api.route('/', extraCapacityApiRoutes(ctx));
  api.route('/', workItemApiRoutes(ctx));
  api.route('/', adminSetupApiRoutes(ctx));
  api.route('/', walkinSlotApiRoutes(ctx));
  declareSharedResponses(api, '/api/v1');
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    servers: [{ url: '/api/v1' }],
    info: {
      title: 'Schalter API',
      version: '1',
      description:
        'Appointments for citizen offices. Errors are {"error":{"code","message","details"}}: 400 malformed, 404 (office_not_found for an office id that does not exist), 409 conflict, 413 body too large, 415 body not JSON, 422 invalid values (details.fields names each field: dates and times that do not exist, e.g. 2026-02-30 or 25:00, are invalid values), 429 too many requests, 500 internal_error (details.requestId: the number of the log line for it). Every answer carries X-Request-Id.',
      license: { name: 'EUPL-1.2', url: 'https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12' },
    },
  });
  app.route('/api/v1', api);
  app.route('/staff', staffPages(ctx, log, { sso: options.sso ?? null }));
  app.route('/', officePages(ctx, { log, ...options.office }));
  app.route('/', citizenPages(citizenOptions, log));
  app.notFound(notFound);
  return app;
}
