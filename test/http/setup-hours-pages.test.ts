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

// Issue #19: /staff/verwaltung/oeffnungszeiten — the weekly plan as a week grid, the month view,
// and an exception in two clicks, all saved through the one set-up edit flow. The fixture's now is
// Wednesday 25 November 2026; Süd is open Mon, Wed, Fri 08:00–12:00 with 2 counters.

const BASE = '/staff/verwaltung/oeffnungszeiten';
const sued = async (f: Fixture) => (await exportSetup(f.ctx)).offices.find((o) => o.id === 'sued')!;

describe(`hours page (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    ({ f, admin, lead, clerk } = await setupPagesFixture());
  });
  afterAll(async () => f?.close());

  it('shows each office’s week as a grid of weekdays with times and staffed counters', async () => {
    const list = await admin.page(BASE);
    contains(list.html, 'Öffnungszeiten und Besetzung', 'Bürgerbüro Süd', 'Bürgerbüro Lindenau', `href="${BASE}/sued"`);
    const week = await admin.page(`${BASE}/sued`);
    contains(
      week.html,
      'Wochenplan',
      '<th scope="row">Montag</th>',
      '08:00–12:00: 2 Terminschalter',
      '14:00–18:00: 1 Terminschalter, 1 Spontanschalter',
      'jede 2. Woche ab 09.01.2027',
      'Wochenplan ändern',
    );
    // The Rathaus's summer Thursday: plans valid from and to a date.
    contains((await admin.page(`${BASE}/rathaus`)).html, '14:00–16:00: 2 Terminschalter (ab 01.07.2027, bis 31.08.2027)');
  });

  it('a changed week plan goes form → preview → „Speichern“, valid from a date, audited with before and after', async () => {
    const form = await admin.page(`${BASE}/sued/wochenplan`);
    expect(form.status).toBe(200);
    const fields = formFields(form.html);
    expect(fields['line-0-day']).toEqual(['mon', 'wed', 'fri']);
    // From February the Monday-Wednesday-Friday line ends; a new one, open until 12:30, begins.
    const preview = await admin.post(`${BASE}/sued/wochenplan/vorschau`, {
      ...fields,
      'line-0-valid-to': '31.01.2027',
      'line-3-day': ['mon', 'wed', 'fri'],
      'line-3-from': '8:00',
      'line-3-to': '12:30',
      'line-3-appointment': '2',
      'line-3-valid-from': '01.02.2027',
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    contains(html, 'Vorschau: Was sich ändert', 'Bürgerbüro Süd', 'Kein gebuchter Termin ist betroffen.');
    const saved = await admin.post(`${BASE}/sued/wochenplan/speichern`, hiddenFields(html));
    expect(saved.status).toBe(303);
    contains((await admin.page(saved.headers.get('location')!)).html, 'Der Wochenplan ist gespeichert.', '(ab 01.02.2027)');
    const hours = (await sued(f)).hours;
    expect(hours[0]).toMatchObject({ days: ['mon', 'wed', 'fri'], validTo: '2027-01-31' });
    expect(hours.find((h) => h.validFrom)).toMatchObject({ from: '08:00', to: '12:30', appointmentCounters: 2, validFrom: '2027-02-01' });
    const details = (await auditRows(f, 'setup.apply')).at(-1)!.details as { before: { rows: object }; after: { rows: object } };
    expect(JSON.stringify(details.after.rows)).toContain('2027-02-01');
  });

  it('the form’s own problems and the town file’s are shown at the line’s fields, keeping what was typed', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued/wochenplan`)).html);
    const res = await admin.post(`${BASE}/sued/wochenplan/vorschau`, {
      ...fields,
      'line-1-from': '25 Uhr',
      'line-1-valid-from': '31.02.2027',
    });
    expect(res.status).toBe(422);
    contains(await res.text(), 'href="#line-1-from"', 'href="#line-1-valid-from"', 'value="25 Uhr"', 'value="31.02.2027"');
    // More counters than the office has: the town file's check, at that line's field.
    const more = await admin.post(`${BASE}/sued/wochenplan/vorschau`, { ...fields, 'line-1-appointment': '3' });
    expect(more.status).toBe(422);
    contains(
      await more.text(),
      'href="#line-1-appointment"',
      'der Standort hat aber nur 2',
      'name="line-1-appointment" type="text" value="3"',
    );
  });

  it('the month view shows staffing, booked load, holidays and exceptions; a click on a day prefills the exception', async () => {
    await bookConfirmed(f, '2026-12-07T08:00:00Z', { officeId: 'sued', serviceId: 'meldebescheinigung', name: 'Anna Schulz' });
    const month = await lead.page(`${BASE}/sued/monat?monat=2026-12`);
    expect(month.status).toBe(200);
    contains(
      month.html,
      'Bürgerbüro Süd: Dezember 2026',
      'Mo., 07.12.2026',
      '1 Termin, ',
      '% belegt',
      'Feiertag: 1. Weihnachtstag',
      `href="${BASE}/sued/ausnahme?datum=2026-12-07"`,
    );
    const form = await lead.page(`${BASE}/sued/ausnahme?datum=2026-12-07`);
    contains(
      form.html,
      'Ausnahme am Mo., 07.12.2026',
      'value="07.12.2026"',
      'name="appointment" type="text" value="2"',
      'Sonst 2 Schalter',
    );
  });

  it('an exception that closes counters names the two bookings it touches; confirming hands them to the closure flow', async () => {
    const paul = await bookConfirmed(f, '2026-12-09T08:00:00Z', { officeId: 'sued', serviceId: 'abholung', name: 'Paul Wagner' });
    const eva = await bookConfirmed(f, '2026-12-09T09:00:00Z', { officeId: 'sued', serviceId: 'abholung', name: 'Eva Klein' });
    const fields = formFields((await lead.page(`${BASE}/sued/ausnahme?datum=2026-12-09`)).html);
    const preview = await lead.post(`${BASE}/sued/ausnahme/vorschau`, { ...fields, appointment: '0', grund: 'Fortbildung' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    contains(html, '2 gebuchte Termine sind betroffen', 'Paul Wagner', 'Mi., 09.12.2026, 09:00', 'Eva Klein', 'Mi., 09.12.2026, 10:00');
    contains(html, paul.reference, eva.reference, 'Betroffene Termine absagen und Ersatz anbieten');
    const saved = await lead.post(`${BASE}/sued/ausnahme/speichern`, {
      ...hiddenFields(html),
      absagen: 'ja',
      reason: 'Fortbildung des Teams',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${BASE}/sued/monat?monat=2026-12&ok=ausnahme`);
    const rows = await f.ctx.db.selectFrom('appointment').select(['status']).where('id', 'in', [paul.id, eva.id]).execute();
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    const closure = await f.ctx.db.selectFrom('closure').select(['reason', 'office_id']).where('setup_revision', 'is not', null).execute();
    expect(closure).toContainEqual({ reason: 'Fortbildung des Teams', office_id: 'sued' });
    expect((await sued(f)).exceptions).toContainEqual({ date: '2026-12-09', appointmentCounters: 0, reason: 'Fortbildung' });
    const month = await lead.page(`${BASE}/sued/monat?monat=2026-12&ok=ausnahme`);
    contains(month.html, 'Die Ausnahme ist gespeichert.', '0 statt 2 Schalter – Fortbildung', 'Schließung: Fortbildung des Teams');
  });

  it('an exception is changed or removed from the month view through the same preview', async () => {
    const month = await lead.page(`${BASE}/sued/monat?monat=2026-12`);
    const href = /href="([^"]*ausnahme\?nr=\d+)">0 statt 2 Schalter – Fortbildung/.exec(month.html)?.[1];
    expect(href).toBeDefined();
    const form = await lead.page(href!.replace(/&amp;/g, '&'));
    contains(form.html, 'Ausnahme ändern', 'value="09.12.2026"', 'value="Fortbildung"', 'Diese Ausnahme entfernen');
    const preview = await lead.post(`${BASE}/sued/ausnahme/vorschau`, { ...formFields(form.html), entfernen: 'ja' });
    const html = await preview.text();
    contains(html, 'Ausnahme', 'Fortbildung', '>Speichern<');
    const saved = await lead.post(`${BASE}/sued/ausnahme/speichern`, hiddenFields(html));
    expect(saved.headers.get('location')).toBe(`${BASE}/sued/monat?monat=2026-12&ok=entfernt`);
    expect((await sued(f)).exceptions ?? []).not.toContainEqual(expect.objectContaining({ reason: 'Fortbildung' }));
  });

  it('a save after someone else’s save shows the difference again and keeps what was typed', async () => {
    const fields = formFields((await admin.page(`${BASE}/sued/ausnahme?datum=2026-12-11`)).html);
    const html = await (
      await admin.post(`${BASE}/sued/ausnahme/vorschau`, { ...fields, appointment: '1', grund: 'Betriebsversammlung' })
    ).text();
    const doc = await exportSetup(f.ctx);
    await applySetup(
      f.ctx,
      { ...doc, services: doc.services.map((s) => (s.id === 'wohnsitz' ? { ...s, maxPersons: 4 } : s)) },
      { actor: 'cli' },
    );
    const stale = await admin.post(`${BASE}/sued/ausnahme/speichern`, hiddenFields(html));
    expect(stale.status).toBe(409);
    const again = await stale.text();
    contains(again, 'Inzwischen hat jemand anderes die Einrichtung gespeichert', 'name="grund" value="Betriebsversammlung"');
    expect(((await sued(f)).exceptions ?? []).some((x) => x.reason === 'Betriebsversammlung')).toBe(false);
    expect((await admin.post(`${BASE}/sued/ausnahme/speichern`, hiddenFields(again))).status).toBe(303);
    expect((await sued(f)).exceptions).toContainEqual({ date: '2026-12-11', appointmentCounters: 1, reason: 'Betriebsversammlung' });
  });

  it('team leads plan only their own offices; clerks get the 403 page', async () => {
    const list = await lead.page(BASE);
    contains(list.html, 'Bürgerbüro Süd');
    expect(list.html).not.toContain('Bürgerbüro Lindenau');
    expect((await lead.page(`${BASE}/sued/wochenplan`)).status).toBe(200);
    expect((await lead.page(`${BASE}/lindenau`)).status).toBe(403);
    expect((await lead.page(`${BASE}/lindenau/monat`)).status).toBe(403);
    expect((await lead.post(`${BASE}/lindenau/wochenplan/speichern`, { lines: '0', revision: '1' })).status).toBe(403);
    expect((await lead.post(`${BASE}/lindenau/ausnahme/vorschau`, { date: '09.12.2026', appointment: '0', grund: 'x' })).status).toBe(403);
    expect((await clerk.page(BASE)).status).toBe(403);
    expect((await clerk.post(`${BASE}/sued/ausnahme/speichern`, { revision: '1' })).status).toBe(403);
    contains((await admin.page(`${BASE}/lindenau/monat?monat=2027-05`)).html, 'Schließtag');
    // The Rathaus closes at 11:10 on Weiberfastnacht (an exception with times).
    contains((await admin.page(`${BASE}/rathaus/monat?monat=2027-02`)).html, '11:10–18:00: 0 statt 3 Schalter – Weiberfastnacht');
  });
});
