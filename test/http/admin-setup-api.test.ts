import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addToken, auditRows, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #21: the town file over HTTP for admins — GET with an ETag, a preview, PUT with If-Match.

const erlenbruch = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8'), {
  version: '1.2',
});

describe(`GET/PUT /api/v1/admin/setup (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Record<string, string>;
  const send = (method: 'PUT' | 'POST', url: string, body: unknown, headers: Record<string, string> = {}) =>
    f.app.request(url, { method, headers: { ...admin, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    admin = bearer(await addToken(f, { role: 'admin', officeIds: [] }));
  });
  afterAll(async () => f?.close());

  it('only admins reach it', async () => {
    const lead = bearer(await addToken(f, { role: 'teamlead', officeIds: ['test'] }));
    expect((await f.app.request('/api/v1/admin/setup', { headers: lead })).status).toBe(403);
    expect((await f.app.request('/api/v1/admin/setup')).status).toBe(401);
  });

  it('PUT applies a town, GET returns it in the file’s shape with an ETag, and the same document again changes nothing', async () => {
    const res = await send('PUT', '/api/v1/admin/setup', erlenbruch);
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.applied).toBe(true);
    expect(body.changes.some((c: { subject: string; id: string }) => c.subject === 'office' && c.id === 'lindenau')).toBe(true);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"r\d+-[0-9a-f]{16}"$/);

    const got = await f.app.request('/api/v1/admin/setup', { headers: admin });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe(etag);
    const doc = await json(got);
    expect(doc.municipality.name).toBe(erlenbruch.municipality.name);
    expect(doc.offices.map((o: { id: string }) => o.id).sort()).toEqual(erlenbruch.offices.map((o: { id: string }) => o.id).sort());

    const again = await send('PUT', '/api/v1/admin/setup', doc, { 'if-match': etag! });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ applied: false, changes: [] });
    expect(again.headers.get('etag')).toBe(etag);
    expect(await auditRows(f, 'setup.apply')).toHaveLength(1);
  });

  it('the preview names what changes and changes nothing; a stale If-Match gets 412 setup_changed', async () => {
    const before = await f.app.request('/api/v1/admin/setup', { headers: admin });
    const etag = before.headers.get('etag')!;
    const doc = await json(before);
    const renamed = structuredClone(doc);
    renamed.offices[0].name = 'Bürgerbüro im Alten Rathaus';
    const preview = await json(send('POST', '/api/v1/admin/setup/preview', renamed));
    expect(preview.changes).toHaveLength(1);
    expect(preview.changes[0]).toMatchObject({ action: 'changed', subject: 'office', id: renamed.offices[0].id });
    expect(preview.affectedAppointments).toEqual([]);
    expect((await f.app.request('/api/v1/admin/setup', { headers: admin })).headers.get('etag')).toBe(etag);

    const first = await send('PUT', '/api/v1/admin/setup', renamed, { 'if-match': etag });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    const stale = await send('PUT', '/api/v1/admin/setup', doc, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect((await json(stale)).error.code).toBe('setup_changed');
    expect((await json(f.app.request('/api/v1/admin/setup', { headers: admin }))).offices[0].name).toBe('Bürgerbüro im Alten Rathaus');
  });

  it('an invalid document is 422 with every problem by path, in the request’s language', async () => {
    const doc = await json(f.app.request('/api/v1/admin/setup', { headers: admin }));
    const broken = structuredClone(doc);
    broken.offices[0].hours[0].to = '25:00';
    broken.offices[1].walkinCounter = 2;
    const res = await send('POST', '/api/v1/admin/setup/preview', broken, { 'accept-language': 'de' });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('offices[0].hours[0].to');
    expect(paths.some((p: string) => p.startsWith('offices[1]'))).toBe(true);
    expect(body.error.details[0].message).toMatch(/[äöüß]|Uhrzeit|Schlüssel/);
    const put = await send('PUT', '/api/v1/admin/setup', broken);
    expect(put.status).toBe(422);
  });

  it('the OpenAPI document describes the three operations', async () => {
    const spec = await json(f.app.request('/api/v1/openapi.json'));
    expect(Object.keys(spec.paths['/api/v1/admin/setup'] ?? spec.paths['/admin/setup'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'put']),
    );
  });
});
