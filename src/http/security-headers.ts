import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { InvalidJSONValue, JSONParsed, JSONValue } from 'hono/utils/types';

// The headers of hono's secureHeaders() with its defaults, which every response carried before this
// module (names in lower case, as they went out), and our Content-Security-Policy. They are set here
// so that the hottest JSON answers can be built with every header at once: @hono/node-server writes
// a Response whose headers are a plain object straight to the socket, while setting headers one by
// one afterwards turns them into a WHATWG Headers object (validated per set, sorted and copied once
// more for Node): 20-30 µs per response, 7-10 % of the server's CPU for a search answered from the cache.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Everything a page uses comes from our own origin (assets.ts): no inline script or style, no
  // eval. Images may be data: URLs (KERN's icons in its CSS); the bot check's worker is a file of
  // ours too (altcha's external build), so no blob: is needed.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const ENTRIES = Object.entries(SECURITY_HEADERS);
const JSON_HEADERS = { 'content-type': 'application/json', ...SECURITY_HEADERS };
const PRIVATE_JSON_HEADERS = { ...JSON_HEADERS, 'cache-control': 'no-store' };

// Answers that carry personal data or a secret link are kept by no browser history, disk cache or
// proxy. In the API that is everything but the public reads below (a new staff route is private
// without anyone remembering to say so); among the pages, the staff pages and CSV downloads and
// every citizen page reached by a token link or showing the booking form's entries.
const PUBLIC_API =
  /^\/api\/v1\/(?:services|offices|availability|openapi\.json|branch\/status|documents\/[^/]+\/status|offices\/[^/]+\/display)$/;
const PRIVATE_PAGES =
  /^\/(?:staff(?:$|\/(?!static\/))|termin\/|angebot\/|warteliste\/|erinnerung\/|verlosung\/|buchen\/angaben$|buchen\/pruefung$)/;

/** True if the answer to this path must carry Cache-Control: no-store. */
export function isPrivatePath(path: string): boolean {
  return path.startsWith('/api/') ? !PUBLIC_API.test(path) : PRIVATE_PAGES.test(path);
}

/** Responses that already carry every security header; the middleware leaves them untouched. */
const complete = new WeakSet<Response>();

/** Adds the security headers to every response (and drops X-Powered-By), and no-store to private ones. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (complete.has(c.res)) return;
    const headers = c.res.headers;
    for (const [name, value] of ENTRIES) headers.set(name, value);
    if (isPrivatePath(c.req.path)) headers.set('cache-control', 'no-store');
    headers.delete('x-powered-by');
  };
}

/**
 * A response with every security header built in, some of them replaced: the town's logo, an SVG a
 * town's IT supplied, gets a policy of its own that runs nothing even when opened directly.
 */
export function secureBody(body: Uint8Array | null, status: 200 | 304, headers: Record<string, string>): Response {
  const res = new Response(body as ConstructorParameters<typeof Response>[0], { status, headers: { ...SECURITY_HEADERS, ...headers } });
  complete.add(res);
  return res;
}

/** What c.json(object, status) answers, with the security headers built in (for the hot API routes). */
export function secureJson<T extends JSONValue | object | InvalidJSONValue, U extends ContentfulStatusCode>(
  c: Context,
  object: T,
  status: U,
): Response & TypedResponse<JSONParsed<T>, U, 'json'> {
  const res = new Response(JSON.stringify(object), { status, headers: isPrivatePath(c.req.path) ? PRIVATE_JSON_HEADERS : JSON_HEADERS });
  complete.add(res);
  return res as Response & TypedResponse<JSONParsed<T>, U, 'json'>;
}
