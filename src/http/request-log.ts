import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routeLabel } from './route-label.ts';

export type RequestLog = (fields: { reqId: string; method: string; route: string; status: number; ms: number }) => void;

// A caller's own id (a reverse proxy's, a load balancer's) is kept when it looks like one; anything
// else is replaced, so a log line never carries what a client chose to write there.
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,40}$/;

/**
 * Gives every request an id, returned as X-Request-Id, and logs one line per request when it is
 * answered: method, route pattern, status, milliseconds, id (issue 23, item 2).
 */
export function logRequests(log: RequestLog): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const reqId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    await next();
    c.header('X-Request-Id', reqId);
    log({ reqId, method: c.req.method, route: routeLabel(c), status: c.res.status, ms: Math.round(performance.now() - started) });
  };
}
