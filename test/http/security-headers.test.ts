import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
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
      body: JSON.stringify({ officeId: 'test', start: slots[0]!.start, services: [{ serviceId: 'short', persons: 1 }], citizen: { name: 'Erika', email: 'erika@example.org' } }),
    });
    const answers = {
      search,
      booking,
      invalid: await fetch(`${base}/api/v1/availability?services=Not+An+Id`),
      notFound: await fetch(`${base}/api/v1/nothing`),
      offices: await fetch(`${base}/api/v1/offices`),
      page: await fetch(`${base}/`),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.status]))).toEqual({ search: 200, booking: 201, invalid: 422, notFound: 404, offices: 200, page: 200 });
    for (const [name, res] of Object.entries(answers)) {
      for (const [header, value] of expected) expect(res.headers.get(header), `${name}: ${header}`).toBe(value);
      expect(res.headers.get('x-powered-by'), name).toBeNull();
    }
    expect(search.headers.get('content-type')).toBe('application/json');
    expect(booking.headers.get('content-type')).toBe('application/json');
  });
});
