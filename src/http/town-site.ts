// Which town a citizen request belongs to (#20, kreis-design.md decision 4), in this order:
//   1. a path prefix /{municipalityId}/… (stripped before routing, so every route stays as it is);
//   2. the Host: the host of a town's siteUrl or one of its hostNames;
//   3. the only town of the installation (today's single towns: nothing changes, no prefix);
//   otherwise none: `/` lists the towns of the Kreis and town pages ask to choose one.
// The pages write root-relative links (`/termin/…`, forms, redirects). Rather than thread the prefix
// through each of them (and every page still to come), a request that came in with a prefix gets it
// put back on its way out: on the root-relative href/action/src attributes of an HTML answer and on
// the Location header. A link without a prefix would silently land on the Kreis page; this cannot
// forget one.
import type { Context, MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import { readTowns, type TownSite } from '../app/setup/read-town-site.ts';
import type { CacheContext } from '../app/shared/context.ts';
import type { TownScope } from '../app/shared/town-scope.ts';
import { DomainError } from '../domain/errors.ts';

export type RequestTown =
  /** site null: no town file applied yet (the environment's links, as before). scope null: the only town. */
  | { kind: 'town'; site: TownSite | null; prefix: string; scope: TownScope }
  /** Several towns and the request names none. */
  | { kind: 'choose'; towns: TownSite[] };

declare module 'hono' {
  interface ContextVariableMap {
    /** The town of a citizen page (set by the citizen pages' middleware; API routes ask requestTown). */
    town: RequestTown;
  }
}

// Paths that belong to the installation, not to a town: staff, office devices, operations. Behind a
// town's prefix they are not found, so `/castrop-rauxel/staff` cannot look like a town's own login.
const NOT_A_TOWN_PATH = /^\/(staff|kiosk|display|healthz|readyz|metrics)(\/|$)/;

/** Whether a path can belong to a town's site (citizen pages and the public API). */
export const isTownPath = (path: string): boolean => !NOT_A_TOWN_PATH.test(path);

/** The first path segment, if it is a town's id and what follows is a citizen or API path. */
export function prefixTown(path: string, towns: readonly TownSite[]): TownSite | undefined {
  const match = /^\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const town = towns.find((t) => t.id === match[1]);
  if (!town || NOT_A_TOWN_PATH.test(match[2] ?? '/')) return undefined;
  return town;
}

/** Pure: the town of a request from its towns, its prefix (if any) and its host. */
export function resolveTown(towns: readonly TownSite[], prefixed: TownSite | undefined, host: string): RequestTown {
  const scope = (site: TownSite): TownScope => (towns.length > 1 ? { townId: site.id, neighbours: site.neighbours } : null);
  if (prefixed) return { kind: 'town', site: prefixed, prefix: `/${prefixed.id}`, scope: scope(prefixed) };
  const byHost = towns.filter((t) => t.hosts.includes(host.toLowerCase()));
  // Towns that share one host (siteUrl https://kreis.example/castrop-rauxel) are told apart by prefix only.
  if (byHost.length === 1) return { kind: 'town', site: byHost[0]!, prefix: '', scope: scope(byHost[0]!) };
  if (towns.length <= 1) return { kind: 'town', site: towns[0] ?? null, prefix: '', scope: null };
  return { kind: 'choose', towns: [...towns] };
}

/**
 * Installs the prefix handling on an app: `getPath` for its constructor (routes see the path without
 * the prefix; c.req.url keeps it), `serve` wraps its fetch, `middleware` puts the prefix back on links.
 */
export function townPrefixes(ctx: CacheContext) {
  const prefixOf = new WeakMap<Request, TownSite>();
  return {
    getPath(request: Request): string {
      const path = getPath(request);
      const town = prefixOf.get(request);
      if (!town) return path;
      return path.slice(town.id.length + 1) || '/';
    },
    /** Wraps fetch: finds the prefix before routing, which needs the town ids (a cached read). */
    serve<F extends (request: Request, ...rest: never[]) => Response | Promise<Response>>(fetch: F): F {
      return (async (request: Request, ...rest: never[]) => {
        const path = getPath(request);
        if (/^\/[^/]+/.test(path) && !NOT_A_TOWN_PATH.test(path)) {
          // A database that cannot answer leaves the path as it is: the page's own read reports the failure.
          const towns = await readTowns(ctx).catch(() => []);
          const town = prefixTown(path, towns);
          if (town) prefixOf.set(request, town);
        }
        return fetch(request, ...rest);
      }) as F;
    },
    middleware(): MiddlewareHandler {
      return async (c, next) => {
        await next();
        const town = prefixOf.get(c.req.raw);
        if (town) await keepPrefix(c, `/${town.id}`);
      };
    },
    /** The town named by the request's prefix, if any. */
    prefixed(request: Request): TownSite | undefined {
      return prefixOf.get(request);
    },
  };
}

export type TownPrefixes = ReturnType<typeof townPrefixes>;

/** The town of this request, read once per request. */
export async function requestTown(c: Context, ctx: CacheContext, prefixes: TownPrefixes): Promise<RequestTown> {
  const known = c.get('town') as RequestTown | undefined;
  if (known) return known;
  const town = resolveTown(await readTowns(ctx), prefixes.prefixed(c.req.raw), new URL(c.req.url).hostname);
  c.set('town', town);
  return town;
}

/**
 * The public API's town: the host's or prefix's, else `?municipality=`, else the only one. A Kreis
 * API asked without a town is refused (422 municipality_required, as the set-up API) rather than
 * answered for all towns: a town's homepage that forgot the parameter would otherwise list the
 * neighbours' offices as its own.
 */
export async function apiTown(c: Context, ctx: CacheContext, prefixes: TownPrefixes): Promise<TownScope> {
  const town = await requestTown(c, ctx, prefixes);
  const asked = c.req.query('municipality');
  if (town.kind === 'town' && (town.prefix !== '' || !asked)) return town.scope;
  const towns = await readTowns(ctx);
  if (asked) {
    const named = towns.find((t) => t.id === asked);
    if (!named) throw new DomainError('municipality_not_found', 'Unknown municipality', { municipality: asked });
    return towns.length > 1 ? { townId: named.id, neighbours: named.neighbours } : null;
  }
  throw new DomainError('municipality_required', 'Several towns: name one', { municipalities: towns.map((t) => t.id) });
}

// Hashed assets (/static/…) are the same for every town: one URL, one cache entry.
const ROOT_RELATIVE = /(\s(?:href|action|src|formaction)=")\/(?!\/|static\/)/g;

async function keepPrefix(c: Context, prefix: string) {
  const location = c.res.headers.get('location');
  if (location?.startsWith('/') && !location.startsWith('//')) c.res.headers.set('location', `${prefix}${location}`);
  if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html') || !c.res.body) return;
  const original = c.res;
  const body = (await original.text()).replace(ROOT_RELATIVE, (_, attribute: string) => `${attribute}${prefix}/`);
  const headers = new Headers(original.headers);
  headers.delete('content-length');
  // Unset first: Hono merges the old answer's headers into a new one, which would repeat its cookies.
  c.res = undefined;
  c.res = new Response(body, { status: original.status, statusText: original.statusText, headers });
}
