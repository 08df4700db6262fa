import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { formFields, hiddenFields, setupPagesFixture } from '../helpers/setup-pages.ts';
import { auditRows } from '../helpers/staff.ts';
import type { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19: /staff/verwaltung/regeln — each office's rules of the town file (release, shares,
// walk-ins, check-in, confirmation, reminder, holds) with German labels and explanations, saved
// through the one set-up edit flow. Admins every office, team leads their own, clerks 403.
// Erlenbruch: Süd releases Mondays 07:00 for 21 days, 20 % same day, 0 % phone, 12 walk-in tickets.

const BASE = '/staff/verwaltung/regeln';
const officeOf = async (f: Fixture, id: string) => (await exportSetup(f.ctx)).offices.find((o) => o.id === id)!;

describe(`rules page (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    ({ f, admin, lead, clerk } = await setupPagesFixture());
  });
  afterAll(async () => f?.close());

  it('lists each office’s rules in words and shows one office’s as a form with explanations', async () => {
    const list = await admin.page(BASE);
    contains(
      list.html,
      'Regeln der Terminvergabe',
      'aria-current="page">Regeln</a>',
      'Bürgerbüro Süd',
      'Montags 07:00 Uhr für 21 Tage',
      'tagesaktuell 20\u00a0%, Telefon 0\u00a0%',
      '12 je Tag',
      'Dienstags 08:00 Uhr für 28 Tage',
      'aus den Schaltern für Spontankunden',
      '48 Stunden vorher',
    );
    const form = await admin.page(`${BASE}/sued`);
    contains(
      form.html,
      'Regeln für Bürgerbüro Süd bearbeiten',
      'Freigabe neuer Termine',
      'Anteil für den Tag selbst (Prozent)',
      'erst am Morgen des Tages buchbar',
      'Wartenummern für Spontankunden je Tag',
      'Per Link in der E-Mail bestätigen',
      '<option value="mon" selected="">Montag</option>',
    );
    expect(formFields(form.html)).toMatchObject({ 'same-day-share': '20', 'phone-share': '0', 'walkin-quota': '12', 'horizon-days': '21' });
  });

  it('an admin changes shares, quota, confirmation and reminder: form → preview → „Speichern“; the audit log shows before → after', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued`)).html);
    const preview = await admin.post(`${BASE}/sued/vorschau`, {
      ...fields,
      'same-day-share': '12,5',
      'phone-share': '10',
      'walkin-quota': '',
      confirmation: 'none',
      'reminder-hours': '36',
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    contains(html, 'Vorschau: Was sich ändert', 'Standort „Bürgerbüro Süd“', 'Kein gebuchter Termin ist betroffen.');
    const saved = await admin.post(`${BASE}/sued/speichern`, hiddenFields(html));
    expect(saved.status).toBe(303);
    contains((await admin.page(saved.headers.get('location')!)).html, 'Die Regeln für „Bürgerbüro Süd“ sind gespeichert.');
    const { rules } = await officeOf(f, 'sued');
    expect(rules).toMatchObject({ sameDayShare: 0.125, phoneShare: 0.1, confirmation: 'none', reminderHours: 36 });
    expect(rules?.walkinQuota).toBeUndefined();
    expect((await auditRows(f, 'setup.apply')).at(-1)?.actor).toMatch(/^staff:/);
    const log = await admin.page('/staff/verwaltung/protokoll?aktion=setup.apply');
    contains(log.html, 'Anteil tagesaktuell: 20\u00a0% → 12,5\u00a0%', 'Erinnerung: 24 → 36', 'Wartenummern je Tag: 12 → –');
  });

  it('says at the field what cannot be saved: not a number, out of range, shares over 100 %', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued`)).html);
    const word = await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'horizon-days': 'zwei Wochen', 'release-time': '7 Uhr' });
    expect(word.status).toBe(422);
    contains(
      await word.text(),
      'Bitte eine ganze Zahl eintragen.',
      'href="#horizon-days"',
      'Bitte eine Uhrzeit wie 07:00',
      'value="zwei Wochen"',
    );
    const range = await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'horizon-days': '120' });
    expect(range.status).toBe(422);
    contains(await range.text(), 'href="#horizon-days"', 'value="120"');
    const shares = await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'same-day-share': '60', 'phone-share': '50' });
    expect(shares.status).toBe(422);
    contains(await shares.text(), 'zusammen dürfen höchstens 100 Prozent sein', 'href="#phone-share"');
    expect((await officeOf(f, 'sued')).rules?.sameDayShare).toBe(0.125);
  });

  it('a save after someone else’s refuses with the preview again and keeps what was typed', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued`)).html);
    const preview = await (await admin.post(`${BASE}/sued/vorschau`, { ...fields, 'waiting-hold': '90' })).text();
    const doc = await exportSetup(f.ctx);
    doc.offices.find((o) => o.id === 'lindenau')!.rules!.reminderHours = 12;
    await applySetup(f.ctx, doc, { actor: 'test' });
    const stale = await admin.post(`${BASE}/sued/speichern`, hiddenFields(preview));
    expect(stale.status).toBe(409);
    const html = await stale.text();
    contains(html, 'name="waiting-hold" value="90"');
    expect((await officeOf(f, 'sued')).rules?.waitingListHoldMinutes).toBeUndefined();
    expect((await admin.post(`${BASE}/sued/speichern`, hiddenFields(html))).status).toBe(303);
    expect((await officeOf(f, 'sued')).rules?.waitingListHoldMinutes).toBe(90);
  });

  it('team leads set their own offices’ rules only; clerks get 403', async () => {
    const list = await lead.page(BASE);
    contains(list.html, 'Bürgerbüro Süd', 'die übrigen Standorte regelt die Administration');
    expect(list.html).not.toContain('Bürgerbüro Lindenau');
    expect((await lead.page(`${BASE}/lindenau`)).status).toBe(403);
    expect((await lead.post(`${BASE}/lindenau/speichern`, { revision: '1' })).status).toBe(403);
    const fields = formFields((await lead.page(`${BASE}/sued`)).html);
    // The form as it came, defaults written out: the same rows, so nothing is changed.
    const same = await (await lead.post(`${BASE}/sued/vorschau`, fields)).text();
    const unchanged = await lead.post(`${BASE}/sued/speichern`, hiddenFields(same));
    expect(unchanged.headers.get('location')).toBe(`${BASE}?ok=unveraendert&id=sued`);
    const preview = await (await lead.post(`${BASE}/sued/vorschau`, { ...fields, 'min-lead': '60' })).text();
    expect((await lead.post(`${BASE}/sued/speichern`, hiddenFields(preview))).status).toBe(303);
    expect((await officeOf(f, 'sued')).rules?.minLeadMinutes).toBe(60);
    expect((await clerk.page(BASE)).status).toBe(403);
    expect((await clerk.page(`${BASE}/sued`)).status).toBe(403);
  });
});
