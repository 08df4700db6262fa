import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The route pattern that answered a request (`/termin/:token`), for metrics and the request log:
 * never the path itself, which can carry a manage token. `unmatched` when no route took it. Read
 * after `await next()`, when the route that answered is the current one.
 */
export function routeLabel(c: Context): string {
  const route = routePath(c);
  return c.res.status === 404 && route.endsWith('*') ? 'unmatched' : route || 'unmatched';
}
