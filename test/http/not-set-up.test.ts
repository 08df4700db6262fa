import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { createHttpApp } from '../../src/http/app.ts';
import type { Database } from '../../src/db/connection.ts';
import { createTestDb, testDbKind } from '../helpers/test-db.ts';

// #21: SCHALTER_DEMO=off on an empty database starts a site that says it is not set up yet — a
// page, not an empty booking form or a crash — while staff login, health and the API keep working.

describe(`a site with no town set up (${testDbKind})`, () => {
  let database: Database;
  let app: ReturnType<typeof createHttpApp>;
  beforeAll(async () => {
    database = await createTestDb();
    const ctx = createAppContext({
      db: database.db,
      now: () => Date.parse('2026-12-07T08:00:00Z'),
      randomBytes: (n) => randomBytes(n),
      settings: { publicUrl: 'http://schalter.test', confirmation: 'email', reservationMinutes: 30, capacityDays: 21 },
    });
    app = createHttpApp({ ctx, dbKind: database.kind, rateLimitPerMinute: null, log: () => {} });
  });
  afterAll(async () => database?.close());

  it('citizen pages say so in German and English, with 503', async () => {
    for (const path of ['/', '/buchen/termin?services=x', '/transparenz', '/termin-link']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(503);
      expect(await res.text()).toContain('Die Terminvereinbarung wird gerade eingerichtet');
    }
    expect(await (await app.request('/?lang=en')).text()).toContain('Online booking is being set up');
  });

  it('staff login, health, the accessibility statement and the API still answer', async () => {
    expect((await app.request('/staff/login')).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/barrierefreiheit')).status).toBe(200);
    const services = await app.request('/api/v1/services');
    expect(services.status).toBe(200);
    expect(await services.json()).toEqual({ services: [] });
  });
});
