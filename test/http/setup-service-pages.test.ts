import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import { bookConfirmed } from '../helpers/counter.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { formFields, hiddenFields, setupPagesFixture } from '../helpers/setup-pages.ts';
import { auditRows } from '../helpers/staff.ts';
import type { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19: /staff/verwaltung/dienstleistungen edits a service of the town file through the same
// preview and apply as `schalter setup apply`, as a browser without JavaScript uses it.

const BASE = '/staff/verwaltung/dienstleistungen';

const form = {
  'name-de': 'Führungszeugnis beantragen',
  'name-en': 'Apply for a certificate of good conduct',
  'description-de': '',
  'description-en': '',
  'minutes-first': '10',
  'minutes-further': '',
  fee: '13,00',
  'documents-de': 'Personalausweis\nZahlungsmittel',
  'documents-en': 'ID card\nMeans of payment',
  online: 'ja',
  'max-persons': '1',
  office: ['rathaus', 'sued'],
};

describe(`services page (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    ({ f, admin, lead, clerk } = await setupPagesFixture());
  });
  afterAll(async () => f?.close());

  it('lists the services with German labels, fees as „37,00 €“, minutes, booking and offices', async () => {
    const { status, html } = await admin.page(BASE);
    expect(status).toBe(200);
    contains(
      html,
      'Dienstleistungen',
      'Personalausweis beantragen',
      'Apply for an ID card',
      '37,00 €',
      'und 1 Gebührenregel',
      '20 / 15',
      'gebührenfrei',
      'nur telefonisch oder am Schalter',
      'Bürgerbüro Süd',
      'Neue Dienstleistung',
      `href="${BASE}/personalausweis"`,
    );
    // „Verwaltung“ stays marked in the main navigation; the section's own list names this page.
    expect(html).toMatch(/href="\/staff\/verwaltung\/konten"[^>]*aria-current="true"/);
    contains(html, `href="${BASE}" aria-current="page"`);
  });

  it('new service → preview → „Speichern“: applied through the town file, audited with before and after', async () => {
    const blank = await admin.page(`${BASE}/neu`);
    contains(blank.html, 'Neue Dienstleistung', 'Gebühr in Euro', 'Mitzubringen (deutsch)', 'Online buchbar', 'Bürgerbüro Lindenau');
    const preview = await admin.post(`${BASE}/vorschau`, { ...form, id: 'fuehrungszeugnis' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    contains(
      html,
      'Vorschau: Was sich ändert',
      'Dienstleistung „Führungszeugnis beantragen“',
      'Kein gebuchter Termin ist betroffen.',
      '>Speichern<',
    );
    // Nothing is saved by the preview.
    expect((await exportSetup(f.ctx)).services.some((s) => s.id === 'fuehrungszeugnis')).toBe(false);

    const saved = await admin.post(`${BASE}/speichern`, hiddenFields(html));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${BASE}?ok=gespeichert&id=fuehrungszeugnis`);
    contains((await admin.page(saved.headers.get('location')!)).html, '„Führungszeugnis beantragen“ ist gespeichert.', '13,00 €');

    const doc = await exportSetup(f.ctx);
    expect(doc.services.find((s) => s.id === 'fuehrungszeugnis')).toMatchObject({
      name: { de: 'Führungszeugnis beantragen', en: 'Apply for a certificate of good conduct' },
      minutes: { first: 10 },
      feeCents: 1300,
      documents: { de: ['Personalausweis', 'Zahlungsmittel'], en: ['ID card', 'Means of payment'] },
      maxPersons: 1,
    });
    expect(doc.offices.find((o) => o.id === 'lindenau')!.services).not.toContain('fuehrungszeugnis');
    expect(doc.offices.find((o) => o.id === 'sued')!.services).toContain('fuehrungszeugnis');

    const entry = (await auditRows(f, 'setup.apply')).at(-1)!;
    expect(entry.actor).toMatch(/^staff:/);
    const details = entry.details as { before: { rows: Record<string, unknown[]> }; after: { rows: Record<string, unknown[]> } };
    expect(details.before.rows.services).toBeUndefined();
    expect(details.after.rows.services).toEqual([expect.objectContaining({ id: 'fuehrungszeugnis', fee_cents: 1300 })]);
  });

  it('a changed fee shows the old value in the audit’s before and the new in its after', async () => {
    const edit = await admin.page(`${BASE}/meldebescheinigung`);
    contains(edit.html, 'Meldebescheinigung', 'value="8,00"');
    const fields = formFields(edit.html);
    const preview = await admin.post(`${BASE}/vorschau`, { ...fields, fee: '9,50' });
    const html = await preview.text();
    contains(html, 'Dienstleistung „Meldebescheinigung“ geändert');
    expect((await admin.post(`${BASE}/speichern`, hiddenFields(html))).status).toBe(303);
    const details = (await auditRows(f, 'setup.apply')).at(-1)!.details as {
      before: { rows: { services: { fee_cents: number }[] } };
      after: { rows: { services: { fee_cents: number }[] } };
    };
    expect(details.before.rows.services.map((s) => s.fee_cents)).toEqual([800]);
    expect(details.after.rows.services.map((s) => s.fee_cents)).toEqual([950]);
  });

  it('shows the town file’s problems and its own at the fields, in German, and keeps what was typed', async () => {
    const res = await admin.post(`${BASE}/vorschau`, { ...form, id: 'Falsch!', 'name-en': '', 'minutes-first': '0', fee: 'zehn' });
    expect(res.status).toBe(422);
    const html = await res.text();
    contains(html, 'Bitte die Gebühr in Euro eintragen, z. B. 46,00.', 'href="#fee"', 'id="fee-fehler"', 'value="zehn"');
    // The number problems come first; once they are fixed, the town file's check speaks.
    const again = await admin.post(`${BASE}/vorschau`, { ...form, id: 'Falsch!', 'name-en': '', 'minutes-first': '0' });
    expect(again.status).toBe(422);
    const checked = await again.text();
    contains(
      checked,
      '„Falsch!“ geht als Kennung nicht',
      'href="#id"',
      'href="#name-en"',
      'href="#minutes-first"',
      'value="Führungszeugnis beantragen"',
    );
    expect(checked).not.toContain('Vorschau: Was sich ändert');
  });

  it('a save after someone else’s save shows the difference again and loses nothing typed', async () => {
    const edit = await admin.page(`${BASE}/beglaubigung`);
    const preview = await (await admin.post(`${BASE}/vorschau`, { ...formFields(edit.html), 'minutes-first': '12' })).text();
    const confirmation = hiddenFields(preview);
    // Meanwhile the CLI changes another service.
    await applySetup(
      f.ctx,
      {
        ...(await exportSetup(f.ctx)),
        services: (await exportSetup(f.ctx)).services.map((s) => (s.id === 'wohnsitz' ? { ...s, maxPersons: 3 } : s)),
      },
      { actor: 'cli' },
    );
    const stale = await admin.post(`${BASE}/speichern`, confirmation);
    expect(stale.status).toBe(409);
    const html = await stale.text();
    contains(
      html,
      'Inzwischen hat jemand anderes die Einrichtung gespeichert',
      'Dienstleistung „Beglaubigung“ geändert',
      'name="minutes-first" value="12"',
    );
    expect((await exportSetup(f.ctx)).services.find((s) => s.id === 'beglaubigung')!.minutes.first).toBe(10);
    // The confirmation of the new preview carries the new revision: now it saves, and the CLI's change stays.
    expect((await admin.post(`${BASE}/speichern`, hiddenFields(html))).status).toBe(303);
    const doc = await exportSetup(f.ctx);
    expect(doc.services.find((s) => s.id === 'beglaubigung')!.minutes.first).toBe(12);
    expect(doc.services.find((s) => s.id === 'wohnsitz')!.maxPersons).toBe(3);
  });

  it('taking a service off an office with bookings names them and offers „Betroffene Termine absagen und Ersatz anbieten“', async () => {
    // Wednesday 2 December, 09:00 in Süd.
    const booked = await bookConfirmed(f, '2026-12-02T08:00:00Z', { officeId: 'sued', serviceId: 'abholung', name: 'Paul Wagner' });
    const edit = await admin.page(`${BASE}/abholung`);
    const fields = formFields(edit.html);
    const preview = await admin.post(`${BASE}/vorschau`, { ...fields, office: ['rathaus', 'lindenau'] });
    const html = await preview.text();
    contains(
      html,
      '1 gebuchter Termin ist betroffen',
      'Paul Wagner',
      'Mi., 02.12.2026, 09:00',
      'Bürgerbüro Süd',
      booked.reference,
      'Dienstleistung dort nicht mehr angeboten',
      'Betroffene Termine absagen und Ersatz anbieten',
      'Grund der Absage',
    );
    const confirmation = hiddenFields(html);
    const noReason = await admin.post(`${BASE}/speichern`, { ...confirmation, absagen: 'ja', reason: '' });
    expect(noReason.status).toBe(422);
    contains(await noReason.text(), 'Bitte einen Grund für die Absage eintragen.');
    // Without the closing button the apply refuses: the list is shown again.
    contains(await (await admin.post(`${BASE}/speichern`, confirmation)).text(), 'Paul Wagner');
    const saved = await admin.post(`${BASE}/speichern`, { ...confirmation, absagen: 'ja', reason: 'Abholung nur noch im Rathaus' });
    expect(saved.status).toBe(303);
    const row = await f.ctx.db.selectFrom('appointment').select('status').where('id', '=', booked.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    const closure = await f.ctx.db.selectFrom('closure').select(['reason', 'office_id']).where('setup_revision', 'is not', null).execute();
    expect(closure).toEqual([{ reason: 'Abholung nur noch im Rathaus', office_id: 'sued' }]);
  });

  it('team leads see the list and each service read-only; clerks get the 403 page', async () => {
    const list = await lead.page(BASE);
    expect(list.status).toBe(200);
    contains(list.html, 'Ändern kann sie die Administration.', 'Personalausweis beantragen');
    expect(list.html).not.toContain('Neue Dienstleistung');
    const one = await lead.page(`${BASE}/personalausweis`);
    expect(one.status).toBe(200);
    contains(one.html, 'Nur die Administration kann Dienstleistungen ändern.', 'disabled');
    expect(one.html).not.toContain('Weiter zur Vorschau');
    expect((await lead.page(`${BASE}/neu`)).status).toBe(403);
    expect((await lead.post(`${BASE}/vorschau`, { ...form, id: 'x' })).status).toBe(403);
    expect((await lead.post(`${BASE}/speichern`, { ...form, id: 'x', revision: '1' })).status).toBe(403);

    const refused = await clerk.page(BASE);
    expect(refused.status).toBe(403);
    contains(refused.html, '<h1');
    expect((await clerk.post(`${BASE}/speichern`, { ...form, id: 'x', revision: '1' })).status).toBe(403);
  });
});
