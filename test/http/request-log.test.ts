import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import type { RequestLog } from '../../src/http/request-log.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { createTestDb, testDbKind } from '../helpers/test-db.ts';

// Issue 23, item 2 (first part): one log line per request — method, route pattern, status, duration,
// request id — and the id returned as X-Request-Id.

type Line = Parameters<RequestLog>[0];

describe(`request log on ${testDbKind}`, () => {
  let f: Fixture;
  let app: ReturnType<typeof createHttpApp>;
  const lines: Line[] = [];
  beforeAll(async () => {
    f = await createFixture();
    app = createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, requestLog: (l) => lines.push(l) });
  });
  afterAll(async () => f.close());

  it('logs each request by its route pattern, not its path, and returns the id it logged', async () => {
    const booked = await postJson(app, '/api/v1/appointments', {
      officeId: 'test',
      start: '2026-11-26T08:00:00+01:00',
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
      language: 'de',
    });
    expect(booked.status).toBe(201);
    const { manageToken } = await json(booked);
    lines.length = 0;
    const res = await app.request(`/api/v1/appointments/${manageToken}`);
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([{ reqId: id, method: 'GET', route: '/api/v1/appointments/:manageToken', status: 200, ms: expect.any(Number) }]);
    expect(JSON.stringify(lines)).not.toContain(manageToken);
    expect(JSON.stringify(lines)).not.toContain('Mustermann');
  });

  it('keeps a caller’s request id that looks like one and replaces anything else', async () => {
    const kept = await app.request('/healthz', { headers: { 'x-request-id': 'lb-7f3a9c21' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a9c21');
    const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'erika@example.org <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(lines)).not.toContain('erika@example.org');
  });

  it('logs refused and unknown requests too, with their status', async () => {
    lines.length = 0;
    const res = await app.request('/gibt-es-nicht/geheim');
    expect(res.status).toBe(404);
    expect(lines).toEqual([expect.objectContaining({ method: 'GET', route: 'unmatched', status: 404 })]);
    expect(res.headers.get('x-request-id')).toBe(lines[0]!.reqId);
  });

  it('an unexpected error shows its number („Fehlernummer“) on the page and in the API error, and logs it with that number', async () => {
    const database = await createTestDb();
    const logged: string[] = [];
    const broken = createHttpApp({
      ctx: { ...f.ctx, db: database.db },
      dbKind: database.kind,
      rateLimitPerMinute: null,
      log: (message) => logged.push(message),
      requestLog: () => {},
    });
    await database.close(); // every query fails from here on: a 500, not a refusal

    const api = await broken.request('/api/v1/offices');
    expect(api.status).toBe(500);
    const apiId = api.headers.get('x-request-id')!;
    expect((await json(api)).error).toMatchObject({ code: 'internal_error', details: { requestId: apiId } });

    const page = await broken.request('/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(500);
    const pageId = page.headers.get('x-request-id')!;
    expect(await page.text()).toContain(`Fehlernummer: ${pageId}`);
    const english = await broken.request('/?lang=en', { headers: { accept: 'text/html' } });
    expect(await english.text()).toContain(`Error number: ${english.headers.get('x-request-id')}`);

    expect(logged.some((line) => line.includes(`[${apiId}]`))).toBe(true);
    expect(logged.some((line) => line.includes(`[${pageId}]`))).toBe(true);
  });
});
