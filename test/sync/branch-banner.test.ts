import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { registerBranchStatus } from '../../src/http/branch-banner.ts';
import { loadConfig } from '../../src/config.ts';
import type { SyncBanner } from '../../src/sync/branch-node.ts';

describe('branch node: Notbetrieb banner and role settings', () => {
  const appWith = (banner: SyncBanner) => {
    const app = new OpenAPIHono();
    registerBranchStatus(app, async () => banner);
    app.get('/staff', (c) => c.html('<!doctype html><html><body class="x"><main>Tagesplan</main></body></html>'));
    app.get('/api/x', (c) => c.json({ ok: true }));
    return app;
  };

  it('every page says „Notbetrieb — wird später abgeglichen“ with the unsynced count while the central server is away', async () => {
    const app = appWith({ emergency: true, unsynced: 17, lastContactAt: '2026-11-25T09:02:00.000Z', lastError: 'connect ECONNREFUSED' });
    const html = await (await app.request('/staff')).text();
    expect(html).toMatch(
      /<body class="x"><div role="status"[^>]*>Notbetrieb — wird später abgeglichen\. 17 Vorgänge noch nicht übertragen\. Letzte Verbindung: 25\.11\.2026, 10:02:00\./,
    );
    expect(await (await app.request('/api/v1/branch/status')).json()).toMatchObject({ emergency: true, unsynced: 17 });
    expect(await (await app.request('/api/x')).json()).toEqual({ ok: true });
  });

  it('shows nothing while the line is up', async () => {
    const html = await (await appWith({ emergency: false, unsynced: 0, lastContactAt: null, lastError: null }).request('/staff')).text();
    expect(html).not.toContain('Notbetrieb');
  });

  it('a branch needs its central URL, office, id and token, and no DATABASE_URL', () => {
    expect(() => loadConfig({ SCHALTER_ROLE: 'branch', DATABASE_URL: 'postgres://x/y' })).toThrow(
      /SCHALTER_CENTRAL_URL.*\n.*SCHALTER_OFFICE[\s\S]*DATABASE_URL/,
    );
    const config = loadConfig({
      SCHALTER_ROLE: 'branch',
      SCHALTER_CENTRAL_URL: 'https://schalter.kreis.example/',
      SCHALTER_OFFICE: 'mitte',
      SCHALTER_BRANCH_ID: 'mitte-1',
      SCHALTER_BRANCH_TOKEN: 'schb_x',
    });
    expect(config).toMatchObject({
      role: 'branch',
      seedDemoWhenEmpty: false,
      branch: { centralUrl: 'https://schalter.kreis.example', officeId: 'mitte' },
    });
    expect(() => loadConfig({ SCHALTER_ROLE: 'central' })).toThrow(/DATABASE_URL/);
  });
});
