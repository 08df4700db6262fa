import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

// How much a request body may weigh, by route. Without a limit a 400 MB body was read into memory
// (the server went from 292 MB to 1.2 GB) and a 20 MB booking was accepted. The first rule whose
// path matches decides; each limit is a few times the largest body the route really gets.
const KiB = 1024;
const MiB = 1024 * KiB;

type Rule = { matches: (path: string) => boolean; maxBytes: number };

const RULES: readonly Rule[] = [
  // A branch sends its journal in pages of up to 1000 entries (sync-routes.ts); an entry is about 1 KB.
  { matches: (path) => path.startsWith('/api/v1/sync/'), maxBytes: 4 * MiB },
  // A producer's export of document orders, about 100 bytes a row: 2 MiB is some 20,000 orders.
  {
    matches: (path) => path === '/staff/abholung/einlesen' || /^\/api\/v1\/staff\/offices\/[^/]+\/documents\/import$/.test(path),
    maxBytes: 2 * MiB,
  },
  // A whole town's set-up as JSON (PUT/preview): a Kreis town with 10 offices is some 60 KB.
  { matches: (path) => path.startsWith('/api/v1/admin/setup'), maxBytes: 1 * MiB },
  // Every other JSON body: a booking is under 2 KB, a bounce report or a note under 4 KB.
  { matches: (path) => path.startsWith('/api/'), maxBytes: 32 * KiB },
  // Staff forms: the closure-notice template page carries the longest texts (2 × 2,500 characters).
  { matches: (path) => path === '/staff' || path.startsWith('/staff/'), maxBytes: 64 * KiB },
  // Citizen and kiosk forms: a few fields and the bot check's answer.
  { matches: () => true, maxBytes: 16 * KiB },
];

/** The most a request body to this path may weigh, in bytes. */
export function bodyLimitFor(path: string): number {
  return RULES.find((rule) => rule.matches(path))!.maxBytes;
}

/**
 * Refuses bodies over the route's limit before anything reads them. A declared Content-Length is
 * compared directly (asking hono's bodyLimit would make @hono/node-server build a full Request for
 * every booking); a chunked body goes through hono's bodyLimit, which reads it piece by piece and
 * stops at the limit. What is left unread is discarded by @hono/node-server (64 MB or 500 ms at
 * most, then the connection is closed), never buffered.
 */
export function limitBodies(tooLarge: (c: Context, maxBytes: number) => Response | Promise<Response>): MiddlewareHandler {
  const limiters = new Map(
    RULES.map((rule) => [rule.maxBytes, bodyLimit({ maxSize: rule.maxBytes, onError: (c) => tooLarge(c, rule.maxBytes) })]),
  );
  return async (c, next) => {
    // No handler reads the body of a GET or HEAD; Node discards it under TCP flow control.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const maxBytes = bodyLimitFor(c.req.path);
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number(length) > maxBytes ? tooLarge(c, maxBytes) : next();
    return limiters.get(maxBytes)!(c, next);
  };
}
