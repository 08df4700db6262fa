import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routeLabel } from './route-label.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by logRequests: the id of this request in the log and in X-Request-Id. */
    requestId: string;
  }
}

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
    c.set('requestId', reqId);
    await next();
    c.header('X-Request-Id', reqId);
    log({ reqId, method: c.req.method, route: routeLabel(c), status: c.res.status, ms: Math.round(performance.now() - started) });
  };
}

/** This request's id, when the request log runs (not in tests that build the app without one). */
export function requestIdOf(c: Context): string | undefined {
  return c.get('requestId') as string | undefined;
}

/** „Fehlernummer: …“ for an error page: what a citizen or clerk tells the hotline, to find the log line. */
export function errorNumberText(c: Context, lang: 'de' | 'en'): string | null {
  const id = requestIdOf(c);
  if (!id) return null;
  return lang === 'de' ? `Fehlernummer: ${id}` : `Error number: ${id}`;
}

/** The line an unexpected error is logged with: method, path (masked by the log) and the request id. */
export function failedLine(c: Context): string {
  const id = requestIdOf(c);
  return `${c.req.method} ${c.req.path} failed${id ? ` [${id}]` : ''}`;
}
