import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { errorResponse } from './api/errors.ts';

/**
 * Fixed one-minute windows per client address, in memory. Each app process limits on its own;
 * behind a load balancer with n processes the effective limit is n times higher, which is fine for
 * slowing scripts down (fairness at release time is a separate mechanism).
 */
export function rateLimit(options: { perMinute: number | null; now: () => number }): MiddlewareHandler {
  const windows = new Map<string, { windowStart: number; count: number }>();
  let lastSweep = 0;
  return async (c, next) => {
    if (options.perMinute === null) return next();
    const now = options.now();
    const windowStart = now - (now % 60_000);
    if (windowStart !== lastSweep) {
      // Drop old windows so the map stays as small as the set of current clients.
      for (const [key, entry] of windows) if (entry.windowStart !== windowStart) windows.delete(key);
      lastSweep = windowStart;
    }
    const key = clientAddress(c);
    const entry = windows.get(key);
    if (!entry || entry.windowStart !== windowStart) windows.set(key, { windowStart, count: 1 });
    else if (++entry.count > options.perMinute) {
      c.header('Retry-After', String(Math.ceil((windowStart + 60_000 - now) / 1000)));
      return errorResponse(c, 'rate_limited');
    }
    return next();
  };
}

function clientAddress(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return c.req.header('x-test-client') ?? 'local';
  }
}
