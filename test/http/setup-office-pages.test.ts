import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { formFields, setupPagesFixture } from '../helpers/setup-pages.ts';
import type { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19: /staff/verwaltung/standorte edits an office of the town file (address, contact,
// directions, accessibility, counters and what each serves) through the same preview and apply.

const BASE = '/staff/verwaltung/standorte';
describe(`offices page (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    ({ f, admin, lead, clerk } = await setupPagesFixture());
  });
  afterAll(async () => f?.close());

  it('lists the offices; an edit of address, accessibility and a counter goes form → preview → „Speichern“', async () => {
    contains((await admin.page(BASE)).html, 'Standorte und Schalter', 'Bürgerbüro Süd', 'Kirchplatz 3, 47998 Erlenbruch', '2 Schalter');
    const form = await admin.page(`${BASE}/sued`);
    contains(form.html, 'Bürgerbüro Süd bearbeiten', 'Stufenloser Eingang', 'Schalter 1 bedient', 'Ausweis oder Pass abholen');
    const fields = formFields(form.html);
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
    const saved = await admin.post(`${BASE}/sued/speichern`, formFields(html));
    expect(saved.status).toBe(303);
    contains((await admin.page(saved.headers.get('location')!)).html, '„Bürgerbüro Süd“ ist gespeichert.');
    const sued = (await exportSetup(f.ctx)).offices.find((o) => o.id === 'sued')!;
    expect(sued.address).toBe('Kirchplatz 5, 47998 Erlenbruch');
    expect(sued.accessibility?.lift).toBe(true);
    expect(sued.counters).toEqual([{ number: 1 }, { number: 2, name: 'Ausgabe', services: ['abholung'] }]);
  });

  it('a service no counter serves any more is refused at the counters, in German', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued`)).html);
    const res = await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'counter-1-service': ['abholung'], email: 'kein-at' });
    expect(res.status).toBe(422);
    const html = await res.text();
    contains(html, 'href="#counters"', 'href="#email"', 'value="kein-at"');
  });

  it('a counter is added with the next number and removed again; removing one the staffing needs is refused at the counters', async () => {
    const add = await admin.post(`${BASE}/sued/vorschau`, {
      ...formFields((await admin.page(`${BASE}/sued`)).html),
      'counter-new': 'ja',
      'counter-new-name': 'Schnellschalter',
      'counter-new-service': ['abholung'],
    });
    expect(add.status).toBe(200);
    const added = await add.text();
    contains(added, 'Standort „Bürgerbüro Süd“: Schnellschalter (Nr. 3) neu');
    expect((await admin.post(`${BASE}/sued/speichern`, formFields(added))).status).toBe(303);
    const counters = async () => (await exportSetup(f.ctx)).offices.find((o) => o.id === 'sued')!.counters;
    expect((await counters()).at(-1)).toEqual({ number: 3, name: 'Schnellschalter', services: ['abholung'] });

    // Süd staffs two appointment counters: with only one left the plan cannot be kept.
    const form = formFields((await admin.page(`${BASE}/sued`)).html);
    const tooFew = await admin.post(`${BASE}/sued/vorschau`, { ...form, 'counter-1-remove': 'ja', 'counter-2-remove': 'ja' });
    expect(tooFew.status).toBe(422);
    contains(await tooFew.text(), 'href="#counters"');
    const remove = await admin.post(`${BASE}/sued/vorschau`, { ...form, 'counter-3-remove': 'ja' });
    expect(remove.status).toBe(200);
    expect((await admin.post(`${BASE}/sued/speichern`, formFields(await remove.text()))).status).toBe(303);
    expect((await counters()).map((c) => c.number)).toEqual([1, 2]);
  });

  it('team leads see read-only; clerks get the 403 page', async () => {
    contains((await lead.page(BASE)).html, 'Ändern kann sie die Administration.');
    const one = await lead.page(`${BASE}/sued`);
    contains(one.html, 'Nur die Administration kann Standorte ändern.', 'disabled');
    expect((await lead.post(`${BASE}/sued/speichern`, { revision: '1' })).status).toBe(403);
    expect((await clerk.page(BASE)).status).toBe(403);
  });
});
