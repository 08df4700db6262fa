import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, auditRows, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The municipality's wording of the closure notice (#5): previewed in German and English for a
// sample appointment, refused with unknown placeholders, saved, and used by the next closure.

const INTRO_DE = 'wegen {reason} bleibt das {office} geschlossen. Ihr Termin am {date} entfällt leider.';
const SMS_DE = '{office} geschlossen ({reason}). Ersatz: {held}. Antwort: {offer}';
// The closure notice is one kind of the texts pages (#19); its first address still takes the form.
const PAGE = '/staff/verwaltung/texte/schliessung';

describe(`message text pages (${testDbKind})`, () => {
  let f: Fixture;
  let lead: StaffBrowser;
  let admin: StaffBrowser;
  const fields = (over: Record<string, string> = {}) => ({
    'intro-de': INTRO_DE,
    'sms-de': SMS_DE,
    'intro-en': '',
    'sms-en': '',
    grund: 'Stromausfall',
    aktion: 'vorschau',
    ...over,
  });

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none', closures: { smsEnabled: true } } });
    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    lead = new StaffBrowser(f, 'lead');
    await lead.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
    await lead.page('/staff/code');
    await lead.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    const adminAccount = await addStaff(f, { email: 'it@kreis.example', role: 'admin', officeIds: [] });
    admin = new StaffBrowser(f, 'admin');
    await admin.post('/staff/login', { email: 'it@kreis.example', password: STAFF_PASSWORD });
    await admin.page('/staff/code');
    await admin.post('/staff/code', { code: totpCodeAt(adminAccount.totpSecret!, f.clock.now()) });
  });
  afterAll(async () => f?.close());

  it('shows the built-in texts and previews them for a sample appointment in German and English', async () => {
    const { status, html } = await lead.page(PAGE);
    expect(status).toBe(200);
    contains(
      html,
      'Text: Absage wegen Schließung',
      'href="/staff/verwaltung/texte"',
      'leider müssen wir Ihren Termin am {date} im {office} absagen.',
      'Guten Tag Erika Mustermann,',
      'Hello Erika Mustermann,',
      'Grund: technische Störung',
      'Testamt',
    );
    expect(html).toContain('lang="en"');
  });

  it('previews a changed text without saving it', async () => {
    const res = await lead.post(PAGE, fields());
    expect(res.status).toBe(200);
    const html = await res.text();
    contains(
      html,
      'wegen Stromausfall bleibt das Testamt geschlossen. Ihr Termin am ',
      'Testamt geschlossen (Stromausfall). Ersatz: ',
      '/angebot/BEISPIEL',
    );
    expect(html).not.toContain('{reason}</pre>');
    expect(await f.ctx.db.selectFrom('message_template').selectAll().execute()).toEqual([]);
  });

  it('refuses unknown placeholders and an SMS without the link, next to the field', async () => {
    const res = await admin.post(
      PAGE,
      fields({ 'intro-de': 'Ihr Termin am {datum} fällt aus.', 'sms-en': 'Closed, sorry.', aktion: 'speichern' }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    contains(html, 'Unbekannte Platzhalter: {datum}', 'Der Pflicht-Platzhalter {offer} fehlt.', 'href="#intro-de"', 'href="#sms-en"');
    expect(await f.ctx.db.selectFrom('message_template').selectAll().execute()).toEqual([]);
  });

  it('refuses a save without the CSRF token, and clerks altogether', async () => {
    expect((await admin.post('/staff/vorlagen', fields({ aktion: 'speichern' }), { csrf: false })).status).toBe(403);
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    const clerk = new StaffBrowser(f, 'clerk');
    await clerk.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    const page = await clerk.page(PAGE);
    expect(page.status).toBe(403);
    expect((await clerk.page('/staff/tagesplan')).html).not.toContain('/staff/verwaltung/texte');
    expect((await clerk.post('/staff/vorlagen', fields({ aktion: 'speichern' }))).status).toBe(403);
    expect(await f.ctx.db.selectFrom('message_template').selectAll().execute()).toEqual([]);
  });

  it('team leads try texts and preview them, but the town-wide wording is saved only by an admin (403 for a team lead, nothing stored)', async () => {
    const { html } = await lead.page(PAGE);
    contains(html, 'Den Text der Kommune ändern Administratorinnen und Administratoren.', 'value="vorschau"');
    expect(html).not.toContain('value="speichern"');
    const refused = await lead.post('/staff/vorlagen', fields({ aktion: 'speichern' }));
    expect(refused.status).toBe(403);
    contains(await refused.text(), 'Dafür fehlt Ihnen die Berechtigung.');
    expect(await f.ctx.db.selectFrom('message_template').selectAll().execute()).toEqual([]);
    expect((await lead.post(PAGE, fields())).status).toBe(200);
    const forAdmin = await admin.page(PAGE);
    expect(forAdmin.html).toContain('value="speichern"');
    expect(forAdmin.html).not.toContain('Den Text der Kommune ändern Administratorinnen');
  });

  it('saves the German text (English stays built-in); the closure preview and the next closure use it', async () => {
    // Posted to the page's first address (#5), as a form opened before the move would.
    const res = await admin.post('/staff/vorlagen', fields({ aktion: 'speichern' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${PAGE}?ok=1`);
    contains((await admin.page(res.headers.get('location')!)).html, 'Der Text ist gespeichert.', INTRO_DE);
    const rows = await f.ctx.db.selectFrom('message_template').select(['language', 'intro', 'sms']).orderBy('language').execute();
    expect(rows).toEqual([{ language: 'de', intro: INTRO_DE, sms: SMS_DE }]);
    expect(await auditRows(f, 'message_template.save')).toHaveLength(1);

    // The closure form's preview shows the message with the real reason.
    const preview = await (
      await lead.post('/staff/schliessungen/vorschau', {
        umfang: 'amt',
        zeitraum: 'day',
        datum: '2026-11-26',
        grund: 'Wasserschaden',
        benachrichtigen: '1',
        ersatz: '1',
      })
    ).text();
    contains(
      preview,
      'So lautet die Nachricht (Beispiel)',
      'wegen Wasserschaden bleibt das Testamt geschlossen.',
      'we are sorry, but we have to cancel your appointment',
    );

    const book = (time: string, citizen: { email?: string; phone?: string }, language: 'de' | 'en') =>
      bookAppointment(f.ctx, {
        officeId: 'test',
        start: Date.parse(`2026-11-26T${time}:00+01:00`),
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: 'Kim', email: citizen.email ?? null, phone: citizen.phone ?? null },
        language,
        channel: 'phone',
      });
    await book('09:00', { email: 'kim@example.org' }, 'de');
    await book('09:10', { phone: '0151 2345 6789' }, 'de');
    await book('09:20', { email: 'kim.en@example.org' }, 'en');
    const opened = await openClosure(f.ctx, {
      officeId: 'test',
      from: Date.parse('2026-11-26T00:00:00+01:00'),
      to: Date.parse('2026-11-27T00:00:00+01:00'),
      reason: 'Wasserschaden',
      counters: null,
      notify: true,
      offerReplacements: true,
      actor: 'cli',
    });
    await runClosure(f.ctx, opened.closure.id);
    const notices = await f.ctx.db
      .selectFrom('outbox')
      .select(['recipient', 'channel', 'body_text'])
      .where('dedupe_key', 'like', `closure:${opened.closure.id}:%`)
      .execute();
    const body = (to: string) => notices.find((n) => n.recipient === to)!.body_text;
    expect(body('kim@example.org')).toContain('wegen Wasserschaden bleibt das Testamt geschlossen. Ihr Termin am ');
    expect(body('kim@example.org')).toContain('Guten Tag Kim,');
    const sms = notices.find((n) => n.channel === 'sms')!.body_text;
    expect(sms).toMatch(/^Testamt geschlossen \(Wasserschaden\)\. Ersatz: .+Antwort: http:\/\/schalter\.test\/angebot\/[A-Za-z0-9_-]{43}$/);
    expect(body('kim.en@example.org')).toContain('we are sorry, but we have to cancel your appointment');
  });
});
