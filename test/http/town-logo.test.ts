import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applySetup, previewSetupChange, SetupInvalidError } from '../../src/app/setup/apply-town-file.ts';
import { invalidateCatalogue } from '../../src/app/shared/catalogue.ts';
import { applyTownFile, runOperation } from '../../src/http/control/control-operations.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addToken, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #21: the logo the town file names — its bytes stored by `setup apply`, a new image under the same
// name a change, kept by a JSON PUT that keeps the name, and shown in the citizen pages' header from
// a cacheable /logo that runs nothing.

const file = fs
  .readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8')
  .replace('  siteTitle: Termine im Bürgerbüro Erlenbruch\n', '  siteTitle: Termine im Bürgerbüro Erlenbruch\n  logo: wappen.svg\n');
const svg = (fill: string) =>
  new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 12"><path d="M0 0h10v6q0 4-5 6q-5-2-5-6z" fill="${fill}"/></svg>\n`,
  );

describe(`the town's logo (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Record<string, string>;
  const stored = () => f.ctx.db.selectFrom('municipality').select(['logo_file', 'logo', 'logo_media_type']).executeTakeFirstOrThrow();
  const put = (body: unknown) =>
    f.app.request('/api/v1/admin/setup', {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json', 'accept-language': 'de' },
      body: JSON.stringify(body),
    });
  const page = async () => {
    invalidateCatalogue(f.ctx.db);
    return (await f.app.request('/', { headers: { accept: 'text/html' } })).text();
  };

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    admin = bearer(await addToken(f, { role: 'admin', officeIds: [] }));
  });
  afterAll(async () => f?.close());

  it('apply stores the bytes and their media type; the same bytes again change nothing', async () => {
    const first = await applySetup(f.ctx, file, { actor: 'cli', logo: svg('#0b5') });
    expect(first.applied).toBe(true);
    expect(await stored()).toEqual({ logo_file: 'wappen.svg', logo: Buffer.from(svg('#0b5')), logo_media_type: 'image/svg+xml' });
    const again = await applySetup(f.ctx, file, { actor: 'cli', logo: svg('#0b5') });
    expect(again).toMatchObject({ applied: false, changes: [] });
  });

  it('a new image under the same name is a change („Logo geändert“), and is stored', async () => {
    const preview = await previewSetupChange(f.ctx, file, { logo: svg('#c00') });
    expect(preview.changes.map((c) => c.de)).toEqual(['Logo geändert: neues Bild in „wappen.svg“']);
    const applied = await applySetup(f.ctx, file, { actor: 'cli', logo: svg('#c00') });
    expect(applied.changes.map((c) => c.en)).toEqual(['logo changed: a new image in "wappen.svg"']);
    expect((await stored()).logo).toEqual(Buffer.from(svg('#c00')));
  });

  it('a file that is no logo is refused at municipality.logo, with its line, and nothing changes', async () => {
    const error = await applySetup(f.ctx, file, { actor: 'cli', logo: new TextEncoder().encode('GIF89a') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupInvalidError);
    expect((error as SetupInvalidError).problems).toEqual([
      {
        path: 'municipality.logo',
        line: file.split('\n').indexOf('  logo: wappen.svg') + 1,
        column: 9,
        de: 'Die Logodatei ist weder ein PNG- noch ein SVG-Bild',
        en: 'the logo file is neither a PNG nor an SVG image',
      },
    ]);
    expect((await stored()).logo).toEqual(Buffer.from(svg('#c00')));
  });

  it('the CLI’s bytes reach the use case through the control operation (base64), as at a running server', async () => {
    const outcome = await runOperation(
      f.ctx,
      applyTownFile,
      { document: file, logoBase64: Buffer.from(svg('#00f')).toString('base64'), dryRun: true },
      'cli',
    );
    expect(outcome).toMatchObject({ outcome: 'preview', preview: { changes: [{ de: 'Logo geändert: neues Bild in „wappen.svg“' }] } });
  });

  it('GET /logo answers the image with its type, an ETag, caching by version and a policy that runs nothing', async () => {
    const html = await page();
    const src = /<a class="site-header__name" href="\/"><img class="site-header__logo" src="(\/logo\?v=[0-9a-f]{16})" alt=""\/>/.exec(
      html,
    )?.[1];
    expect(src, html.slice(0, 2000)).toBeDefined();
    const res = await f.app.request(src!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(svg('#c00'));
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const plain = await f.app.request('/logo', { headers: { 'if-none-match': etag } });
    expect(plain.status).toBe(304);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('PUT of the JSON document keeps the stored image while the name stays, refuses a new name without bytes', async () => {
    const doc = await json(await f.app.request('/api/v1/admin/setup', { headers: admin }));
    expect(doc.municipality.logo).toBe('wappen.svg');
    const kept = await put({ ...doc, municipality: { ...doc.municipality, phone: '0221 4710-301' } });
    expect(kept.status).toBe(200);
    expect((await json(kept)).changes.map((c: { de: string }) => c.de)).toEqual(['Stadt „Stadt Erlenbruch“ geändert: Telefon']);
    expect((await stored()).logo).toEqual(Buffer.from(svg('#c00')));

    const renamed = await put({ ...doc, municipality: { ...doc.municipality, logo: 'wappen-2027.svg' } });
    expect(renamed.status).toBe(422);
    expect((await json(renamed)).error.details).toEqual([
      expect.objectContaining({
        path: 'municipality.logo',
        message: expect.stringContaining('Das Logo „wappen-2027.svg“ ist nicht eingelesen'),
      }),
    ]);
    expect((await stored()).logo_file).toBe('wappen.svg');
  });

  it('a document without a logo removes the image: /logo is 404 and the header shows the name alone', async () => {
    const doc = parse(file, { version: '1.2' });
    delete doc.municipality.logo;
    const res = await put(doc);
    expect(res.status).toBe(200);
    expect((await json(res)).changes.map((c: { de: string }) => c.de)).toContain('Logo entfernt');
    expect(await stored()).toEqual({ logo_file: null, logo: null, logo_media_type: null });
    expect((await f.app.request('/logo')).status).toBe(404);
    expect(await page()).not.toContain('site-header__logo');
  });
});
