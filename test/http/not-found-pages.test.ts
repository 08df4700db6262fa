import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { socketFrom } from '../helpers/office-device.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22 item 4: a wrong link opened in a browser showed {"error":{"code":"not_found",…}} as raw text.
// What a browser sends with a navigation: text/html first.
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe(`unknown addresses and the favicon (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f?.close());

  const open = (path: string, headers: Record<string, string> = {}) =>
    f.app.request(path, { headers: { accept: BROWSER, ...headers } }, socketFrom('192.0.2.7'));

  it.each(['/kiosk/gibt-es-nicht', '/kiosk/gibt-es-nicht/anmelden', '/kiosk/test/quatsch', '/display/gibt-es-nicht'])(
    '%s in a browser: a 404 page in the devices’ frame, with no way off the device',
    async (path) => {
      const res = await open(path);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toMatch(/^<!doctype html><html lang="de">/);
      contains(page, '<title>Seite nicht gefunden', 'Bitte sagen Sie am Schalter Bescheid.', '/kiosk/STANDORT');
      expect(page).not.toContain('href="/"');
      expect(page).not.toContain('"error"');
    },
  );

  it.each(['/gibt-es-nicht', '/status/quatsch'])('%s in a browser: a 404 page in the site layout, in German', async (path) => {
    const res = await open(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html><html lang="de">/);
    contains(page, '<title>Seite nicht gefunden', 'Diese Seite gibt es nicht.', 'href="/"', '<main');
    expect(page).not.toContain('"error"');
  });

  it('in English for a browser that asks for English', async () => {
    const page = await (await open('/display/gibt-es-nicht', { 'accept-language': 'en' })).text();
    contains(page, '<html lang="en">', 'Page not found', 'Please tell the staff at the counter.');
  });

  it('/api/ stays JSON even for a browser, and so does everything for a client that does not ask for HTML', async () => {
    for (const [path, accept] of [
      ['/api/v1/gibt-es-nicht', BROWSER],
      ['/gibt-es-nicht', 'application/json'],
      ['/kiosk/gibt-es-nicht', '*/*'],
    ] as const) {
      const res = await open(path, { accept });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Nicht gefunden.' } });
    }
  });

  it('/staff/… unknown: the staff page, with the navigation once logged in', async () => {
    const b = new StaffBrowser(f, 'nf');
    const before = await b.get('/staff/gibt-es-nicht', { accept: BROWSER });
    expect(before.status).toBe(404);
    const plain = await before.text();
    contains(plain, 'Nicht gefunden.', 'href="/staff"');
    expect(plain).not.toContain('class="staff-nav"');

    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    const after = await b.get('/staff/gibt-es-nicht', { accept: BROWSER });
    expect(after.status).toBe(404);
    const page = await after.text();
    contains(page, 'Nicht gefunden.', 'class="staff-nav"', 'sb@stadt.example');
  });

  it('/favicon.ico is a 32 × 32 icon with caching, not a 404', async () => {
    const res = await f.app.request('/favicon.ico', { headers: { accept: 'image/avif,image/webp,*/*' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d{5,}/);
    const bytes = Buffer.from(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), one image of 32 × 32 at 32 bits per pixel, whose data fill the file.
    expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2), bytes.readUInt16LE(4)]).toEqual([0, 1, 1]);
    expect([bytes[6], bytes[7], bytes.readUInt16LE(12)]).toEqual([32, 32, 32]);
    expect(bytes.readUInt32LE(18) + bytes.readUInt32LE(14)).toBe(bytes.length);
    // The centre of the top row of the glyph is white, a corner is transparent, the background is blue (BGRA).
    const at = (x: number, y: number) => {
      const o = 22 + 40 + ((31 - y) * 32 + x) * 4;
      return [...bytes.subarray(o, o + 4)];
    };
    expect(at(0, 0)).toEqual([0, 0, 0, 0]);
    expect(at(16, 1)).toEqual([0xaa, 0x44, 0x20, 255]);
    expect(at(16, 3)).toEqual([255, 255, 255, 255]);
  });
});
