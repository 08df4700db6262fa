import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { invalidateCatalogue } from '../../src/app/shared/catalogue.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { contains, html, postForm } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { applyThreeTowns, KREIS_OFFICES } from '../helpers/three-towns.ts';

// #20, kreis-design.md decision 4: one server, each town its own citizen site — found by the host of
// its siteUrl (or a hostNames entry) or by the path prefix /{id}/…; without either, `/` lists the
// towns and a town page asks to choose one. Town A's site never shows or books town B's offices.

const THU_0900 = '2026-11-26T09:00:00+01:00';

/** Every root-relative link target of a page (href, action, src). */
const links = (page: string) => [...page.matchAll(/\s(?:href|action|src)="(\/[^"]*)"/g)].map((m) => m[1]!);

describe(`each town its own citizen site on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    await applyThreeTowns(f.ctx);
    invalidateCatalogue(f.ctx.db);
    await materializeCapacity(f.ctx);
  });
  afterAll(async () => f.close());

  it('by host: the start page shows the town’s name, services, imprint link — none of the other towns’', async () => {
    const page = await html(f.app.request('https://termine.castrop.example/'));
    contains(page, 'Stadt Castrop – Terminvereinbarung', 'Meldebescheinigung', 'https://www.castrop.example/impressum');
    expect(page).not.toContain('Führungszeugnis'); // Waltrop's service
    expect(page).not.toContain('waltrop.example');
    expect(page).not.toContain('Testamt');
    // No prefix on a town's own host: links stay as in a one-town installation.
    expect(links(page).every((l) => !l.startsWith('/castrop/'))).toBe(true);
  });

  it('a hostNames entry selects its town as well, and the office list is the town’s own', async () => {
    const page = await html(f.app.request('https://datteln.termine.kreis.example/standorte'));
    contains(page, 'Stadt Datteln – Terminvereinbarung', 'Bürgerbüro Datteln', 'Stadtteilbüro Meckinghoven');
    expect(page).not.toContain('Castrop');
    expect(page).not.toContain('Bürgerbüro Waltrop');
  });

  it('by prefix: /waltrop/… is Waltrop’s site, and every link the page writes keeps the prefix', async () => {
    const page = await html(f.app.request('/waltrop/'));
    contains(page, 'Stadt Waltrop – Terminvereinbarung', 'Führungszeugnis beantragen', 'https://www.waltrop.example/impressum');
    expect(page).not.toContain('Meldebescheinigung');
    const own = links(page).filter((l) => !l.startsWith('/static/'));
    expect(own.length).toBeGreaterThan(3);
    expect(own.filter((l) => !l.startsWith('/waltrop/'))).toEqual([]);
    const offices = await html(f.app.request('/waltrop/standorte'));
    contains(offices, 'Bürgerbüro Waltrop', 'href="/waltrop/standorte/waltrop-rathaus"');
    expect(offices).not.toContain('Datteln');
    // A redirect keeps it too: the start form leads on to the town's calendar.
    const res = await f.app.request('/waltrop/buchen?p_waltrop-personalausweis=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/waltrop/buchen/termin?services=waltrop-personalausweis');
  });

  it('another town’s office page, or its office in the calendar, is not on this town’s site', async () => {
    expect((await f.app.request('/castrop/standorte/waltrop-rathaus', { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await f.app.request('/castrop/standorte/castrop-rathaus')).status).toBe(200);
    const calendar = await html(f.app.request('/castrop/buchen/termin?services=castrop-wohnsitz%3A1'));
    contains(calendar, 'Bürgerbüro Castrop Rathaus', 'Stadtteilbüro Habinghorst');
    expect(calendar).not.toContain('Bürgerbüro Waltrop');
    expect(calendar).not.toContain('Bürgerbüro Datteln');
  });

  it('each town’s logo: in its own header and at its own /logo; the Kreis page shows each beside the name', async () => {
    const crest = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#a00"/></svg>',
    );
    await f.database.db
      .updateTable('municipality')
      .set({ logo_file: 'wappen.svg', logo: crest, logo_media_type: 'image/svg+xml' })
      .where('id', '=', 'castrop')
      .execute();
    invalidateCatalogue(f.ctx.db);
    const castrop = await html(f.app.request('/castrop/'));
    expect(castrop).toMatch(/<img class="site-header__logo" src="\/castrop\/logo\?v=[0-9a-f]{16}"/);
    expect(await html(f.app.request('/waltrop/'))).not.toContain('site-header__logo');
    const own = await f.app.request('/castrop/logo');
    expect(own.headers.get('content-type')).toBe('image/svg+xml');
    expect(Buffer.from(await own.arrayBuffer())).toEqual(crest);
    expect((await f.app.request('https://termine.castrop.example/logo')).status).toBe(200);
    expect((await f.app.request('/waltrop/logo')).status).toBe(404);
    // Without a town there is no one logo to show.
    expect((await f.app.request('/logo')).status).toBe(404);
    expect(await html(f.app.request('/'))).toMatch(/<img class="town-list__logo" src="\/castrop\/logo\?v=[0-9a-f]{16}" alt=""/);
  });

  it('without host or prefix, `/` lists the towns with links to their sites; a town page asks to choose (404)', async () => {
    const start = await f.app.request('/');
    expect(start.status).toBe(200);
    const page = await start.text();
    contains(page, 'Termine in den Städten des Kreises', 'href="https://termine.castrop.example"', 'Stadt Waltrop', 'Stadt Datteln');
    const other = await f.app.request('/standorte');
    expect(other.status).toBe(404);
    contains(await other.text(), 'Bitte wählen Sie Ihre Stadt', 'href="https://termine.datteln.example"');
    // The accessibility statement belongs to the whole server: the start page links it.
    expect((await f.app.request('/barrierefreiheit')).status).toBe(200);
  });

  // Datteln is no neighbour of Castrop (Waltrop is: its offices would be offered).
  it('booking on town A’s site cannot book town B’s office: the page and the API answer 404', async () => {
    const form = {
      services: 'datteln-wohnsitz:1',
      office: 'datteln-rathaus',
      start: THU_0900,
      name: 'Erika Mustermann',
      email: 'erika@example.org',
      phone: '',
      terms: 'ja',
    };
    const page = await postForm(f.app, '/castrop/buchen/angaben', form, { accept: 'text/html' });
    expect(page.status).toBe(404);
    const body = {
      officeId: 'datteln-rathaus',
      start: THU_0900,
      services: [{ serviceId: 'datteln-wohnsitz', persons: 1 }],
      citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
      language: 'de',
    };
    const api = await postJson(f.app, 'https://termine.castrop.example/api/v1/appointments', body);
    expect(api.status).toBe(404);
    expect((await json(api)).error.code).toBe('office_not_found');
    const none = await f.database.db.selectFrom('appointment').select('id').where('office_id', '=', 'datteln-rathaus').execute();
    expect(none).toEqual([]);
  });

  it('the public API takes the town from the host or ?municipality=; several towns and none named is 422', async () => {
    const missing = await f.app.request('/api/v1/offices');
    expect(missing.status).toBe(422);
    expect((await json(missing)).error.code).toBe('municipality_required');
    const ids = async (path: string) => ((await json(f.app.request(path))).offices as { id: string }[]).map((o) => o.id).sort();
    expect(await ids('/api/v1/offices?municipality=datteln')).toEqual(KREIS_OFFICES.datteln);
    expect(await ids('https://termine.castrop.example/api/v1/offices')).toEqual(KREIS_OFFICES.castrop);
    expect((await f.app.request('/api/v1/offices?municipality=nirgendwo')).status).toBe(404);
    // "Any office" stays inside the town and its neighbours; another town's office by name is unknown.
    const found = await json(f.app.request('/api/v1/availability?municipality=castrop&services=castrop-wohnsitz&limit=50'));
    const slots = found.slots as { officeId: string }[];
    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => s.officeId.split('-')[0]))).toEqual(new Set(['castrop']));
    const elsewhere = await f.app.request('/api/v1/availability?municipality=castrop&services=castrop-wohnsitz&office=datteln-rathaus');
    expect(elsewhere.status).toBe(422);
  });

  it('the links in a town’s mails point at its own site', async () => {
    const booked = await postJson(f.app, 'https://termine.castrop.example/api/v1/appointments', {
      officeId: 'castrop-rathaus',
      start: THU_0900,
      services: [{ serviceId: 'castrop-wohnsitz', persons: 1 }],
      citizen: { name: 'Erika Mustermann', email: 'erika.castrop@example.org' },
      language: 'de',
    });
    expect(booked.status).toBe(201);
    const mail = await f.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', 'erika.castrop@example.org')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain('https://termine.castrop.example/termin/');
    expect(mail.body_text).not.toContain('http://schalter.test');
  });
});
