import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addToken, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { applyThreeTowns, oneTownOfKreis } from '../helpers/three-towns.ts';

// #20: GET/PUT /api/v1/admin/setup and /preview on a Kreis work on one town, named by
// ?municipality=ID (required when several towns are set up); the other towns are not touched.

describe(`the set-up API on a Kreis (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Record<string, string>;
  const send = (method: 'PUT' | 'POST', url: string, body: unknown, headers: Record<string, string> = {}) =>
    f.app.request(url, { method, headers: { ...admin, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const get = (url: string) => f.app.request(url, { headers: admin });

  beforeAll(async () => {
    f = await createFixture({ settings: { capacityDays: 14 } });
    await applyThreeTowns(f.ctx);
    admin = bearer(await addToken(f, { role: 'admin', officeIds: [], municipalityId: null }));
  });
  afterAll(async () => f?.close());

  it('without ?municipality= several towns cannot be told apart: 422 municipality_required, in every route', async () => {
    const doc = parse(oneTownOfKreis('waltrop'), { version: '1.2' });
    for (const res of [
      await get('/api/v1/admin/setup'),
      await send('POST', '/api/v1/admin/setup/preview', doc),
      await send('PUT', '/api/v1/admin/setup', doc),
    ]) {
      expect(res.status).toBe(422);
      expect((await json(res)).error.code).toBe('municipality_required');
    }
  });

  it('GET, preview and PUT work on the town named; the other towns and their ETags stay as they were', async () => {
    const castrop = await get('/api/v1/admin/setup?municipality=castrop');
    const castropTag = castrop.headers.get('etag');
    const got = await get('/api/v1/admin/setup?municipality=waltrop');
    expect(got.status).toBe(200);
    const doc = await json(got);
    expect(doc.municipality).toMatchObject({ id: 'waltrop', retentionDays: 60, neighbours: ['castrop', 'datteln'] });
    expect(doc.offices.map((o: { id: string }) => o.id)).toEqual(['waltrop-rathaus']);
    expect(got.headers.get('etag')).not.toBe(castropTag);

    doc.municipality.retentionDays = 90;
    const preview = await send('POST', '/api/v1/admin/setup/preview?municipality=waltrop', doc);
    expect((await json(preview)).changes.map((c: { en: string }) => c.en)).toEqual([
      'municipality "Stadt Waltrop" changed: retention_days',
    ]);

    const put = await send('PUT', '/api/v1/admin/setup?municipality=waltrop', doc, { 'if-match': got.headers.get('etag')! });
    const body = await json(put);
    expect(put.status, JSON.stringify(body)).toBe(200);
    expect(body.applied).toBe(true);
    expect(put.headers.get('etag')).not.toBe(got.headers.get('etag'));
    // Castrop's revision did not move: its If-Match still holds.
    expect((await get('/api/v1/admin/setup?municipality=castrop')).headers.get('etag')).toBe(castropTag);
    const rows = await f.ctx.db.selectFrom('municipality').select(['id', 'retention_days']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'castrop', retention_days: null },
      { id: 'datteln', retention_days: null },
      { id: 'waltrop', retention_days: 90 },
    ]);
  });

  it('a document of another town is refused at municipality.id; an unknown town is 404', async () => {
    const waltrop = parse(oneTownOfKreis('waltrop'), { version: '1.2' });
    const res = await send('PUT', '/api/v1/admin/setup?municipality=castrop', waltrop, { 'accept-language': 'de' });
    expect(res.status).toBe(422);
    expect((await json(res)).error.details).toEqual([
      {
        path: 'municipality.id',
        message: '„waltrop“: hier wird die Einrichtung der Stadt „castrop“ bearbeitet; die Kennung einer Stadt lässt sich nicht ändern',
        line: null,
        column: null,
      },
    ]);
    expect((await get('/api/v1/admin/setup?municipality=herne')).status).toBe(404);
  });

  it('the OpenAPI document names the municipality parameter of every set-up route', async () => {
    const spec = await json(f.app.request('/api/v1/openapi.json'));
    for (const [route, method] of [
      ['/api/v1/admin/setup', 'get'],
      ['/api/v1/admin/setup', 'put'],
      ['/api/v1/admin/setup/preview', 'post'],
    ] as const) {
      const path = spec.paths[route] ?? spec.paths[route.replace('/api/v1', '')];
      const parameter = path[method].parameters.find((p: { name: string }) => p.name === 'municipality');
      expect(parameter, `${method} ${route}`).toMatchObject({ in: 'query', required: false });
      expect(parameter.description).toContain('Required when several towns are set up');
    }
  });
});
