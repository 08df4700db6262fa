import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, postJson, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

/** What hono's secureHeaders() sets with its defaults: the set every response carried before our own middleware. */
async function honoDefaults(): Promise<[string, string][]> {
  const app = new Hono();
  app.use('*', secureHeaders());
  app.get('/', (c) => c.text(''));
  const res = await app.request('/');
  return [...res.headers].filter(([name]) => name !== 'content-type');
}

describe(`security headers on ${testDbKind}, over a socket as @hono/node-server writes them`, () => {
  let f: Fixture;
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  it('every kind of answer carries the headers of secureHeaders() and no X-Powered-By', async () => {
    const expected = await honoDefaults();
    expect(expected.length).toBeGreaterThanOrEqual(10);
    const search = await fetch(`${base}/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-26&limit=2`);
    const { slots } = (await search.json()) as { slots: { start: string }[] };
    const booking = await fetch(`${base}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 'test',
        start: slots[0]!.start,
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: 'Erika', email: 'erika@example.org' },
      }),
    });
    const answers = {
      search,
      booking,
      invalid: await fetch(`${base}/api/v1/availability?services=Not+An+Id`),
      notFound: await fetch(`${base}/api/v1/nothing`),
      offices: await fetch(`${base}/api/v1/offices`),
      page: await fetch(`${base}/`),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.status]))).toEqual({
      search: 200,
      booking: 201,
      invalid: 422,
      notFound: 404,
      offices: 200,
      page: 200,
    });
    for (const [name, res] of Object.entries(answers)) {
      for (const [header, value] of expected) expect(res.headers.get(header), `${name}: ${header}`).toBe(value);
      expect(res.headers.get('x-powered-by'), name).toBeNull();
    }
    expect(search.headers.get('content-type')).toBe('application/json');
    expect(booking.headers.get('content-type')).toBe('application/json');
  });
});

describe(`answers with personal data are never cached (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
  });
  afterAll(() => f.close());

  it('Cache-Control: no-store on the manage API, staff JSON and CSV, statistics and token pages; not on public reads', async () => {
    const search = await f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-26&limit=1');
    const [slot] = ((await search.json()) as { slots: { start: string }[] }).slots;
    const booking = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: slot!.start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika', email: 'erika@example.org' },
    });
    const { manageToken } = (await booking.clone().json()) as { manageToken: string };
    const lead = bearer(await addToken(f, { role: 'teamlead', officeIds: ['test'] }));
    await addStaff(f, { email: 'clerk@stadt.example', role: 'clerk', officeIds: ['test'] });
    const staff = new StaffBrowser(f);
    const loginPage = await staff.get('/staff/login');
    await staff.post('/staff/login', { email: 'clerk@stadt.example', password: STAFF_PASSWORD });
    const get = (path: string, headers: Record<string, string> = {}) => f.app.request(path, { headers });
    const personal: Record<string, Response> = {
      booking,
      manage: await get(`/api/v1/appointments/${manageToken}`),
      cancelPage: await get(`/termin/${manageToken}/absagen`),
      managePage: await get(`/termin/${manageToken}`),
      dayPlan: await get('/api/v1/staff/offices/test/day-plan?date=2026-11-26', lead),
      dayPlanCsv: await get('/api/v1/staff/offices/test/day-plan.csv?date=2026-11-26', lead),
      callList: await get('/api/v1/offices/test/call-list', lead),
      statistics: await get('/api/v1/statistics/offices/test?from=2026-11-01&to=2026-11-30', lead),
      unauthenticated: await get('/api/v1/staff/offices/test/day-plan?date=2026-11-26'),
      staffLogin: loginPage,
      staffPage: await staff.get('/staff/tagesplan?datum=2026-11-26'),
      staffCsv: await staff.get('/staff/tagesplan.csv?datum=2026-11-26'),
    };
    expect(Object.fromEntries(Object.entries(personal).map(([name, res]) => [name, res.status]))).toEqual({
      booking: 201,
      manage: 200,
      cancelPage: 200,
      managePage: 200,
      dayPlan: 200,
      dayPlanCsv: 200,
      callList: 200,
      statistics: 200,
      unauthenticated: 401,
      staffLogin: 200,
      staffPage: 200,
      staffCsv: 200,
    });
    for (const [name, res] of Object.entries(personal)) expect(res.headers.get('cache-control'), name).toBe('no-store');

    const open = {
      search,
      offices: await get('/api/v1/offices'),
      services: await get('/api/v1/services'),
      openapi: await get('/api/v1/openapi.json'),
      start: await get('/'),
    };
    for (const [name, res] of Object.entries(open)) {
      expect(res.status, name).toBe(200);
      expect(res.headers.get('cache-control'), name).toBeNull();
    }
    expect((await get('/transparenz')).headers.get('cache-control')).toBe('public, max-age=300');
  });
});
