import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDisplayNotice } from '../../src/app/counter/display-notice.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { loadConfig } from '../../src/config.ts';
import type { Principal } from '../../src/domain/staff-access.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { DeviceBrowser } from '../helpers/office-device.ts';
import { contains, html } from '../helpers/pages.ts';
import { addStaff, auditRows, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #22, call display: office time and date, and a notice line the team lead sets for the
// waiting room („Heute ab 12 Uhr nur Abholung“), shown at once on the office's displays.

describe(`the call display's clock and notice on ${testDbKind}`, () => {
  let f: Fixture;
  let pc: DeviceBrowser;
  let lead: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture();
    const office = { networks: loadConfig({ SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16' }).officeNetworks };
    pc = new DeviceBrowser(
      createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, office }),
      '10.20.0.5',
    );
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    lead = new StaffBrowser(f);
    await lead.post('/staff/login', { email, password: STAFF_PASSWORD });
    await lead.page('/staff/code');
    await lead.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await lead.post('/staff/standort', { office: 'test' });
  });
  afterAll(async () => f?.close());

  it('shows the office time from the server, the German date, and no notice line while none is set', async () => {
    // The fixture's clock: Wednesday 25 November 2026, 08:00 in Berlin.
    const page = await html(pc.get('/display/test'));
    contains(page, '>08:00</time>', 'Mittwoch, 25. November 2026', 'data-time-zone="Europe/Berlin"');
    expect(page).toMatch(/<p id="notice" class="display-notice" hidden(="")?><\/p>/);
  });

  it('the team lead sets it on the device page; the display shows it, with the English line beside it', async () => {
    const form = await lead.page('/staff/geraete');
    contains(form.html, 'Hinweis auf der Aufrufanzeige', 'Hinweis anzeigen');
    const saved = await lead.post('/staff/geraete/hinweis', { de: '  Heute ab 12 Uhr   nur Abholung ', en: 'From noon: pickup only' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/staff/geraete?ok=hinweis');
    const page = await html(pc.get('/display/test'));
    contains(page, '<p id="notice" class="display-notice">Heute ab 12 Uhr nur Abholung · From noon: pickup only</p>');
    contains(await html(pc.get('/display/test?lang=en')), '>From noon: pickup only</p>');
    const after = await lead.page('/staff/geraete?ok=hinweis');
    contains(after.html, 'Der Hinweis steht jetzt auf der Aufrufanzeige.', 'Zuletzt geändert von lead@stadt.example', 'Hinweis entfernen');
    expect(await auditRows(f, 'display_notice.update')).toHaveLength(1);
  });

  it('a notice too long is refused at the field, the text kept; removing it empties the line', async () => {
    const long = 'x'.repeat(201);
    const refused = await lead.post('/staff/geraete/hinweis', { de: long, en: '' });
    expect(refused.status).toBe(422);
    contains(await refused.text(), `value="${long}"`, 'aria-invalid="true"');
    contains(await html(pc.get('/display/test')), 'Heute ab 12 Uhr nur Abholung');
    const removed = await lead.post('/staff/geraete/hinweis', { de: 'egal', en: '', remove: '1' });
    expect(removed.headers.get('location')).toBe('/staff/geraete?ok=hinweis-entfernt');
    expect(await html(pc.get('/display/test'))).toMatch(/<p id="notice" class="display-notice" hidden(="")?><\/p>/);
  });

  it('clerks and team leads of other offices may not set it', async () => {
    const clerk: Principal = {
      kind: 'user',
      id: 'c',
      label: 'clerk@test',
      role: 'clerk',
      officeIds: ['test'],
      municipalityId: null,
      personalData: true,
    };
    await expect(setDisplayNotice(f.ctx, clerk, 'test', { de: 'x', en: null })).rejects.toMatchObject({ code: 'forbidden' });
    const other: Principal = {
      kind: 'user',
      id: 'l',
      label: 'lead@nord',
      role: 'teamlead',
      officeIds: ['nord'],
      municipalityId: null,
      personalData: true,
    };
    await expect(setDisplayNotice(f.ctx, other, 'test', { de: 'x', en: null })).rejects.toMatchObject({ code: 'not_found' });
  });
});
