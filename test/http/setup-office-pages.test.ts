import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19: /staff/verwaltung/standorte edits an office of the town file (address, contact,
// directions, accessibility, counters and what each serves) through the same preview and apply.

const BASE = '/staff/verwaltung/standorte';
const FILE = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8');

async function loggedIn(f: Fixture, client: string, account: { email: string; totpSecret: string | null }, office: string) {
  const b = new StaffBrowser(f, client);
  await b.post('/staff/login', { email: account.email, password: STAFF_PASSWORD });
  if (account.totpSecret) {
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(account.totpSecret, f.clock.now()) });
  }
  await b.page('/staff/standort');
  await b.post('/staff/standort', { office });
  return b;
}

/** The values a browser sends for a form or a preview's confirmation: inputs (ticked ones only) and textareas. */
function fieldsOf(html: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, raw: string) => {
    const v = raw
      .replace(/&#10;/g, '\n')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const before = fields[name];
    fields[name] = before === undefined ? v : [before, v].flat();
  };
  for (const [tag] of html.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name || name === '_csrf') continue;
    if (/type="(checkbox|radio)"/.test(tag) && !/ checked/.test(tag)) continue;
    add(name, /value="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const [, name, value] of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) add(name!, value!);
  return fields;
}

describe(`offices page (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture();
    await applySetup(f.ctx, FILE, { actor: 'test' });
    admin = await loggedIn(f, 'admin', await addStaff(f, { email: 'it@stadt.example', role: 'admin', officeIds: [] }), 'rathaus');
    lead = await loggedIn(f, 'lead', await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['sued'] }), 'sued');
    clerk = await loggedIn(f, 'clerk', await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['sued'] }), 'sued');
  });
  afterAll(async () => f?.close());

  it('lists the offices; an edit of address, accessibility and a counter goes form → preview → „Speichern“', async () => {
    contains((await admin.page(BASE)).html, 'Standorte und Schalter', 'Bürgerbüro Süd', 'Kirchplatz 3, 47998 Erlenbruch', '2 Schalter');
    const form = await admin.page(`${BASE}/sued`);
    contains(form.html, 'Bürgerbüro Süd bearbeiten', 'Stufenloser Eingang', 'Schalter 1 bedient', 'Ausweis oder Pass abholen');
    const fields = fieldsOf(form.html);
    const preview = await admin.post(`${BASE}/sued/vorschau`, {
      ...fields,
      address: 'Kirchplatz 5, 47998 Erlenbruch',
      lift: 'ja',
      'counter-2-name': 'Ausgabe',
      'counter-2-service': ['abholung'],
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    contains(html, 'Vorschau: Was sich ändert', 'Standort „Bürgerbüro Süd“', 'Kein gebuchter Termin ist betroffen.');
    const saved = await admin.post(`${BASE}/sued/speichern`, fieldsOf(html));
    expect(saved.status).toBe(303);
    contains((await admin.page(saved.headers.get('location')!)).html, '„Bürgerbüro Süd“ ist gespeichert.');
    const sued = (await exportSetup(f.ctx)).offices.find((o) => o.id === 'sued')!;
    expect(sued.address).toBe('Kirchplatz 5, 47998 Erlenbruch');
    expect(sued.accessibility?.lift).toBe(true);
    expect(sued.counters).toEqual([{ number: 1 }, { number: 2, name: 'Ausgabe', services: ['abholung'] }]);
  });

  it('a service no counter serves any more is refused at the counters, in German', async () => {
    const fields = fieldsOf((await admin.page(`${BASE}/sued`)).html);
    const res = await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'counter-1-service': ['abholung'], email: 'kein-at' });
    expect(res.status).toBe(422);
    const html = await res.text();
    contains(html, 'href="#counters"', 'href="#email"', 'value="kein-at"');
  });

  it('team leads see read-only; clerks get the 403 page', async () => {
    contains((await lead.page(BASE)).html, 'Ändern kann sie die Administration.');
    const one = await lead.page(`${BASE}/sued`);
    contains(one.html, 'Nur die Administration kann Standorte ändern.', 'disabled');
    expect((await lead.post(`${BASE}/sued/speichern`, { revision: '1' })).status).toBe(403);
    expect((await clerk.page(BASE)).status).toBe(403);
  });
});
