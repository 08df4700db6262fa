import { BlockList } from 'node:net';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { resolveApiToken } from '../../app/staff/api-tokens.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { OfficeNetwork } from '../../config.ts';
import { answersForWholeInstallation } from '../../app/staff/principal-scope.ts';
import { errorResponse } from '../api/errors.ts';
import type { Metrics } from './metrics-registry.ts';
import { routeLabel } from '../route-label.ts';

export type MetricsRouteOptions = {
  ctx: AppContext;
  metrics: Metrics;
  /** SCHALTER_METRICS_NETWORKS: the Prometheus servers; loopback is always allowed. */
  networks: readonly OfficeNetwork[];
};

const LOOPBACK: OfficeNetwork[] = [
  { address: '127.0.0.0', prefix: 8, family: 'ipv4' },
  { address: '::1', prefix: 128, family: 'ipv6' },
];

/**
 * Times every request by its route pattern: `/termin/:token`, never `/termin/8fK…` (a manage token in
 * a label would sit in Prometheus for months). A request no route took is `unmatched`. Registered
 * first, so it also sees what the middlewares refuse.
 */
export function timeRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeRequest(routeLabel(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
  };
}

/**
 * GET /metrics in the Prometheus text format: to loopback and SCHALTER_METRICS_NETWORKS as it is,
 * to anyone else only with an admin API token (`Authorization: Bearer sch_…`): 401 without one, 403
 * with another. The socket's address counts, never X-Forwarded-For (as for the office devices).
 */
export function registerMetricsRoute(app: OpenAPIHono, options: MetricsRouteOptions): void {
  const { ctx, metrics } = options;
  const trusted = new BlockList();
  for (const n of [...LOOPBACK, ...options.networks]) trusted.addSubnet(n.address, n.prefix, n.family);
  // BlockList matches an IPv4-mapped address (::ffff:127.0.0.1, a dual-stack socket's view) against IPv4 networks.
  const isTrusted = (address: string | null) => address !== null && trusted.check(address, address.includes(':') ? 'ipv6' : 'ipv4');

  app.get('/metrics', async (c) => {
    if (!isTrusted(socketAddress(c))) {
      const refusal = await refusalOf(c, ctx);
      if (refusal) return refusal;
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.scrape(), 200, { 'Content-Type': metrics.registry.contentType });
  });
}

async function refusalOf(c: Context, ctx: AppContext): Promise<Response | null> {
  const [scheme, token] = (c.req.header('authorization') ?? '').split(' ');
  const principal = scheme?.toLowerCase() === 'bearer' && token ? await resolveApiToken(ctx, token) : null;
  if (!principal) {
    c.header('WWW-Authenticate', 'Bearer realm="schalter-metrics"');
    return errorResponse(c, 'unauthenticated');
  }
  // The operator's figures of every town: a Kreis admin's token (issue #20), not a town admin's.
  if (!(await answersForWholeInstallation(ctx.db, principal))) return errorResponse(c, 'forbidden', { requiredRole: 'admin' });
  return null;
}

/** Requests without a socket (app.request in tests) have no address and are not trusted. */
function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
