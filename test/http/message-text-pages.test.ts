import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES } from '../../src/app/messaging/message-templates.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createMailTransport } from '../../src/notify/mail-transport.ts';
import { sendDueMessages } from '../../src/notify/outbox-worker.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, auditRows, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// „Texte“ (#19): every citizen mail and SMS, shown as the text sent now, previewed for a sample in
// German and English; team leads preview, admins save, clerks do not see it. A text that lost its
// required placeholder is refused, and a saved confirmation text is what the next booking's mail says.

const PAGE = '/staff/verwaltung/texte/buchung-bestaetigen';
const OWN_DE = 'schön, dass Sie kommen! Bitte bestätigen Sie bis {deadline} hier:\n{confirm}\n\nIhr Code: {code}';

describe(`message texts pages (${testDbKind})`, () => {
  let f: Fixture;
  let lead: StaffBrowser;
  let admin: StaffBrowser;
  let clerk: StaffBrowser;
  const dir = mkdtemp(join(tmpdir(), 'schalter-texts-'));
  const fields = (over: Record<string, string> = {}) => ({
    'intro-de': BUILT_IN_TEMPLATES.booking_confirmation.de.intro,
    'intro-en': BUILT_IN_TEMPLATES.booking_confirmation.en.intro,
    aktion: 'vorschau',
    ...over,
  });
  const stored = () => f.ctx.db.selectFrom('message_template').select(['kind', 'language', 'intro', 'sms']).orderBy('language').execute();

  const login = async (email: string, role: 'admin' | 'teamlead' | 'clerk') => {
    const account = await addStaff(f, { email, role, officeIds: role === 'admin' ? [] : ['test'] });
    const browser = new StaffBrowser(f, role);
    await browser.post('/staff/login', { email, password: STAFF_PASSWORD });
    if (account.totpSecret) {
      await browser.page('/staff/code');
      await browser.post('/staff/code', { code: totpCodeAt(account.totpSecret, f.clock.now()) });
    }
    return browser;
  };

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    lead = await login('leitung@stadt.example', 'teamlead');
    admin = await login('it@kreis.example', 'admin');
    clerk = await login('sb@stadt.example', 'clerk');
  });
  afterAll(async () => {
    await f?.close();
    await rm(await dir, { recursive: true, force: true });
  });

  it('lists every citizen message in the administration section, each with its built-in text', async () => {
    const { status, html } = await lead.page('/staff/verwaltung/texte');
    expect(status).toBe(200);
    contains(
      html,
      '<h1 class="kern-heading-large">Texte der Nachrichten</h1>',
      'aria-current="page">Texte</a>',
      'Buchung bestätigen (E-Mail mit Bestätigungslink)',
      'Termin bestätigt',
      'Erinnerung an den Termin',
      'Dokument abholbereit',
      'Absage wegen Schließung',
      'Warteliste: Termin frei geworden',
      'Ersatztermin: Erinnerung vor Ablauf',
      `href="${PAGE}"`,
    );
    expect(html.match(/eingebauter Text/g)).toHaveLength(7);
    // The section's other pages link it too.
    contains((await admin.page('/staff/verwaltung/konten')).html, 'href="/staff/verwaltung/texte"');
  });

  it('shows the text sent now as the starting text, and previews it for a sample in German and English', async () => {
    const { status, html } = await lead.page(PAGE);
    expect(status).toBe(200);
    contains(
      html,
      'Text: Buchung bestätigen (E-Mail mit Bestätigungslink)',
      'wir haben einen Termin für Sie reserviert. Gebucht ist er erst, wenn Sie ihn bestätigen: Öffnen Sie bitte bis {deadline} den folgenden Link',
      'Termin bestätigen:\n{confirm}',
      '<code>{confirm}</code> Link zum Bestätigen (Pflicht)',
      'Muss {confirm} enthalten.',
      'Guten Tag Erika Mustermann,',
      'Hello Erika Mustermann,',
      'http://schalter.test/termin/BEISPIEL/bestaetigen?code=123456',
    );
    expect(html).not.toContain('name="sms-de"');
    // An SMS kind shows the length counter: characters and parts.
    contains((await lead.page('/staff/verwaltung/texte/erinnerung')).html, 'name="sms-de"', 'Muss {cancel} enthalten.', ' Zeichen, 1 SMS');
  });

  it('refuses a text that lost its required placeholder, naming it next to the field, in German and English', async () => {
    const res = await admin.post(PAGE, fields({ 'intro-de': 'Bitte bestätigen Sie Ihren Termin am {date}.', aktion: 'speichern' }));
    expect(res.status).toBe(422);
    contains(await res.text(), 'Der Pflicht-Platzhalter {confirm} fehlt.', 'href="#intro-de"', 'aria-invalid="true"');
    const en = await admin.post(`${PAGE}?lang=en`, fields({ 'intro-en': 'Please confirm {datum}.', aktion: 'speichern' }));
    expect(en.status).toBe(422);
    contains(await en.text(), 'The required placeholder {confirm} is missing.');
    const unknown = await admin.post(`${PAGE}?lang=de`, fields({ 'intro-de': 'Bestätigen: {confirm} am {datum}', aktion: 'speichern' }));
    contains(await unknown.text(), 'Unbekannte Platzhalter: {datum}');
    expect(await stored()).toEqual([]);
  });

  it('team leads preview a changed text but cannot save it; clerks get 403 and no link', async () => {
    const { html } = await lead.page(PAGE);
    contains(html, 'Den Text der Kommune ändern Administratorinnen und Administratoren.', 'value="vorschau"');
    expect(html).not.toContain('value="speichern"');
    const preview = await lead.post(PAGE, fields({ 'intro-de': OWN_DE }));
    expect(preview.status).toBe(200);
    contains(await preview.text(), 'Guten Tag Erika Mustermann,\n\nschön, dass Sie kommen! Bitte bestätigen Sie bis ', 'Ihr Code: 123456');
    const refused = await lead.post(PAGE, fields({ 'intro-de': OWN_DE, aktion: 'speichern' }));
    expect(refused.status).toBe(403);
    expect((await clerk.page('/staff/verwaltung/texte')).status).toBe(403);
    expect((await clerk.page(PAGE)).status).toBe(403);
    expect((await clerk.post(PAGE, fields({ 'intro-de': OWN_DE, aktion: 'speichern' }))).status).toBe(403);
    expect((await clerk.page('/staff/tagesplan')).html).not.toContain('/staff/verwaltung/texte');
    expect((await admin.post(PAGE, fields({ 'intro-de': OWN_DE, aktion: 'speichern' }), { csrf: false })).status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it('an admin saves the confirmation text: audited with before and after, and the next booking’s mail says it', async () => {
    const res = await admin.post(PAGE, fields({ 'intro-de': OWN_DE, aktion: 'speichern' }));
    expect(res.status).toBe(303);
    const saved = await admin.page(res.headers.get('location')!);
    contains(saved.html, 'Der Text ist gespeichert.', 'schön, dass Sie kommen!');
    // English was left at the built-in text: nothing stored for it.
    expect(await stored()).toEqual([{ kind: 'booking_confirmation', language: 'de', intro: OWN_DE, sms: null }]);
    const audits = await auditRows(f, 'message_template.save');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      entity_id: 'booking_confirmation:de',
      details: { before: { intro: null, sms: null }, after: { intro: OWN_DE, sms: null } },
    });
    contains((await lead.page('/staff/verwaltung/texte')).html, 'eigener Text');
    // The audit log viewer shows the change in words.
    contains((await admin.page('/staff/verwaltung/protokoll')).html, 'Text an Bürgerinnen und Bürger geändert', 'E-Mail-Absatz: ');

    const booked = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: '2026-11-26T09:00:00+01:00',
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Kim Beispiel', email: 'kim@example.org' },
      language: 'de',
    });
    expect(booked.status).toBe(201);
    const { appointment } = await json(booked);
    const outboxDir = join(await dir, 'outbox');
    const transport = createMailTransport({ outboxDir, from: 'Bürgerbüro <termine@example.org>' });
    const { sent } = await sendDueMessages({ db: f.ctx.db, transport, now: new Date(f.clock.now()), batchSize: 10 });
    expect(sent).toBe(1);
    const [file] = await readdir(outboxDir);
    const mail = await simpleParser(await readFile(join(outboxDir, file!)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('kim@example.org');
    expect(mail.subject).toBe(`Bitte bestätigen Sie Ihren Termin ${appointment.reference}`);
    const confirmUrl = /^http:\/\/schalter\.test\/termin\/[A-Za-z0-9_-]+\/bestaetigen\?code=\d{6}$/m.exec(mail.text!)?.[0];
    expect(confirmUrl).toBeDefined();
    const paragraphs = mail.text!.split('\n\n');
    expect(paragraphs.slice(0, 3)).toEqual([
      'Guten Tag Kim Beispiel,',
      `schön, dass Sie kommen! Bitte bestätigen Sie bis Mi., 25.11.2026, 08:30 Uhr hier:\n${confirmUrl}`,
      `Ihr Code: ${confirmUrl!.slice(-6)}`,
    ]);
    expect(mail.text).not.toContain('Termin bestätigen:');
    expect(paragraphs[3]).toMatch(/^Buchungsnummer: /);
    expect(mail.html).toContain(`<a href="${confirmUrl}" style="font-weight:bold">${confirmUrl}</a>`);
    // The link in the mail confirms the appointment.
    const token = /termin\/([^/]+)\/bestaetigen/.exec(confirmUrl!)![1]!;
    expect((await postJson(f.app, `/api/v1/appointments/${token}/confirm`, { code: confirmUrl!.slice(-6) })).status).toBe(200);
  });

  it('keeps the closure notice’s first address: /staff/vorlagen leads to its page', async () => {
    const res = await lead.get('/staff/vorlagen?lang=en');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/staff/verwaltung/texte/schliessung?lang=en');
    expect((await lead.page('/staff/verwaltung/texte/unbekannt')).status).toBe(404);
  });
});
