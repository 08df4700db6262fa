import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import { readSetupRows } from '../../src/app/setup/setup-store.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { formFields, hiddenFields, loggedIn } from '../helpers/setup-pages.ts';
import { addStaff } from '../helpers/staff.ts';
import type { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { applyThreeTowns } from '../helpers/three-towns.ts';

// #20: the set-up pages on a Kreis edit the document of the town of the office or service being
// edited; the pages of a town as a whole (services, the lists) ask for the town first.

describe(`set-up pages on a Kreis (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture({ settings: { capacityDays: 14 } });
    await applyThreeTowns(f.ctx);
    admin = await loggedIn(
      f,
      'admin',
      await addStaff(f, { email: 'it@kreis.example', role: 'admin', officeIds: [], municipalityId: null }),
      'waltrop-rathaus',
    );
  });
  afterAll(async () => f?.close());

  it('the services page asks for the town, then lists and edits that town’s services only', async () => {
    const chooser = await admin.page('/staff/verwaltung/dienstleistungen');
    contains(
      chooser.html,
      'Hier sind mehrere Städte eingerichtet.',
      'href="/staff/verwaltung/dienstleistungen?stadt=castrop">Stadt Castrop</a>',
      'href="/staff/verwaltung/dienstleistungen?stadt=waltrop">Stadt Waltrop</a>',
    );
    const list = await admin.page('/staff/verwaltung/dienstleistungen?stadt=waltrop');
    contains(list.html, 'Führungszeugnis beantragen', 'href="/staff/verwaltung/dienstleistungen/neu?stadt=waltrop"');
    expect(list.html).not.toContain('castrop-reisepass');

    // A new service for Waltrop: the town travels with the form and the preview.
    const form = await admin.page('/staff/verwaltung/dienstleistungen/neu?stadt=waltrop');
    const fields = formFields(form.html);
    expect(fields.stadt).toBe('waltrop');
    const preview = await admin.post('/staff/verwaltung/dienstleistungen/vorschau', {
      ...fields,
      id: 'waltrop-beglaubigung',
      'name-de': 'Beglaubigung',
      'name-en': 'Certified copy',
      'minutes-first': '10',
    });
    const html = await preview.text();
    expect(preview.status, html).toBe(200);
    const castropBefore = await readSetupRows(f.ctx.db, 'castrop');
    const saved = await admin.post('/staff/verwaltung/dienstleistungen/speichern', hiddenFields(html));
    expect(saved.status).toBe(303);
    contains((await admin.page(saved.headers.get('location')!)).html, 'Beglaubigung');
    expect((await exportSetup(f.ctx, 'waltrop')).services.map((s) => s.id)).toContain('waltrop-beglaubigung');
    expect(await readSetupRows(f.ctx.db, 'castrop')).toEqual(castropBefore);
  });

  it('an office’s rules page edits its own town’s document; the rules list asks for the town', async () => {
    contains((await admin.page('/staff/verwaltung/regeln')).html, 'href="/staff/verwaltung/regeln?stadt=datteln">Stadt Datteln</a>');
    contains((await admin.page('/staff/verwaltung/regeln?stadt=datteln')).html, 'Stadtteilbüro Meckinghoven');
    const fields = formFields((await admin.page('/staff/verwaltung/regeln/datteln-meckinghoven')).html);
    const preview = await admin.post('/staff/verwaltung/regeln/datteln-meckinghoven/vorschau', { ...fields, 'reminder-hours': '48' });
    const html = await preview.text();
    expect(preview.status, html).toBe(200);
    contains(html, 'Standort „Stadtteilbüro Meckinghoven“');
    const saved = await admin.post('/staff/verwaltung/regeln/datteln-meckinghoven/speichern', hiddenFields(html));
    expect(saved.status).toBe(303);
    // Back on the list of the office's town, with the notice.
    contains((await admin.page(saved.headers.get('location')!)).html, 'Stadtteilbüro Meckinghoven', 'gespeichert');
    const office = (await exportSetup(f.ctx, 'datteln')).offices.find((o) => o.id === 'datteln-meckinghoven')!;
    expect(office.rules).toMatchObject({ reminderHours: 48 });
  });

  it('the hours and offices pages open an office of any town', async () => {
    contains((await admin.page('/staff/verwaltung/oeffnungszeiten/castrop-habinghorst')).html, 'Stadtteilbüro Habinghorst');
    contains((await admin.page('/staff/verwaltung/standorte/waltrop-rathaus')).html, 'Münsterstraße 1, 45731 Waltrop');
    contains((await admin.page('/staff/verwaltung/standorte?stadt=castrop')).html, 'Bürgerbüro Castrop Rathaus');
  });
});
