import type { Context, MiddlewareHandler } from 'hono';

// PostgreSQL text and jsonb cannot hold U+0000: a NUL that reaches a query (a search term, a name, a
// query parameter) ends in an error of the database, and so in a 500. No person types one, so a request
// carrying one in its URL, form or JSON body is refused before any handler sees it.
// eslint-disable-next-line no-control-regex -- finding that character is the point
const NUL = /%00|\\u0000|\u0000/i;
const READ_BODY = /^application\/(json|x-www-form-urlencoded)\b/i;

export function refuseNulCharacters(refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (NUL.test(c.req.url)) return refuse(c);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && READ_BODY.test(c.req.header('content-type') ?? '')) {
      // Hono keeps the text, so the handler's own parsing reads it from memory, not again from the socket.
      if (NUL.test(await c.req.text())) return refuse(c);
    }
    return next();
  };
}
