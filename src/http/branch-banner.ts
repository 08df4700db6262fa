import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { SyncBanner } from '../sync/branch-node.ts';

// On a branch node every page shows whether the central server is reachable; in Notbetrieb a banner
// says so, with the number of operations not yet reconciled. Also as JSON for the counter apps.

const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function bannerHtml(banner: SyncBanner): string {
  if (!banner.emergency) return '';
  const since = banner.lastContactAt
    ? ` Letzte Verbindung: ${escape(new Date(banner.lastContactAt).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' }))}.`
    : '';
  return `<div role="status" class="schalter-notbetrieb">Notbetrieb — wird später abgeglichen. ${banner.unsynced} Vorgänge noch nicht übertragen.${since} <span lang="en">(Emergency operation — will be reconciled later.)</span></div>`;
}

/** Inserts the banner right after <body …> of every HTML page. */
export function branchBanner(status: () => Promise<SyncBanner>): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
    const html = bannerHtml(await status());
    if (!html) return;
    const body = await c.res.text();
    const at = body.search(/<body[^>]*>/i);
    if (at < 0) return;
    const end = body.indexOf('>', at) + 1;
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(body.slice(0, end) + html + body.slice(end), { status: c.res.status, headers });
  };
}

export function registerBranchStatus(app: OpenAPIHono, status: () => Promise<SyncBanner>): void {
  app.get('/api/v1/branch/status', async (c) => c.json(await status()));
  app.use('*', branchBanner(status));
}
