import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../src/app/staff/staff-accounts.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, auditRows, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

const NEW_PASSWORD = 'Kaffee am Schalter um sieben';

async function login(b: StaffBrowser, email: string, password = STAFF_PASSWORD) {
  return b.post('/staff/login', { email, password });
}

describe(`staff pages on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addOfficeNord(f);
  });
  afterAll(async () => f.close());

  it('a new clerk logs in with the one-time password, must replace it, then sees the day plan of their office', async () => {
    const { oneTimePassword } = await createStaffUser(f.ctx, {
      email: 'neu@stadt.example',
      role: 'clerk',
      officeIds: ['test'],
      actor: 'test',
    });
    const b = new StaffBrowser(f);
    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/login');
    const res = await login(b, 'neu@stadt.example', oneTimePassword!);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/passwort');
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // The cookie holds the session id; the database only its hash.
    const sessionId = /schalter_staff=([^;]+)/.exec(cookie)![1]!;
    expect(
      await f.ctx.db.selectFrom('staff_session').select('id_hash').where('id_hash', '=', sessionId).executeTakeFirst(),
    ).toBeUndefined();

    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/passwort');
    await b.page('/staff/passwort');
    const weak = await b.post('/staff/passwort', { current: oneTimePassword!, new: 'kurz', repeat: 'kurz' });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('mindestens 12 Zeichen');
    const changed = await b.post('/staff/passwort', { current: oneTimePassword!, new: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect(changed.headers.get('location')).toBe('/staff');
    const plan = await b.page('/staff/tagesplan?datum=2026-11-26');
    expect(plan.status).toBe(200);
    expect(plan.html).toContain('Tagesplan Testamt');
    // A clerk has no second factor, so no recovery codes either.
    expect((await b.page('/staff/wiederherstellungscodes')).status).toBe(404);
  });

  it('a team lead enrols TOTP from a QR code on first login and then needs a code at every login', async () => {
    const { oneTimePassword } = await createStaffUser(f.ctx, {
      email: 'lead@stadt.example',
      role: 'teamlead',
      officeIds: ['test', 'nord'],
      actor: 'test',
    });
    const b = new StaffBrowser(f);
    await login(b, 'lead@stadt.example', oneTimePassword!);
    await b.page('/staff/passwort');
    const changed = await b.post('/staff/passwort', { current: oneTimePassword!, new: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect(changed.headers.get('location')).toBe('/staff');
    expect((await b.get('/staff')).headers.get('location')).toBe('/staff/zwei-faktor');
    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/zwei-faktor');

    const enrol = await b.page('/staff/zwei-faktor');
    expect(enrol.html).toContain('src="data:image/svg+xml;base64,');
    const secret = /<code class="staff-key">([A-Z2-7 ]+)<\/code>/.exec(enrol.html)![1]!.replace(/ /g, '');
    // A reload shows the same secret: the person may already have scanned it.
    expect((await b.page('/staff/zwei-faktor')).html).toContain(/<code class="staff-key">([A-Z2-7 ]+)<\/code>/.exec(enrol.html)![1]!);
    expect((await b.post('/staff/zwei-faktor', { code: '000000' })).status).toBe(422);
    const done = await b.post('/staff/zwei-faktor', { code: totpCodeAt(secret, f.clock.now()) });
    // #19 item 2: ten recovery codes, shown once, straight from the POST.
    expect(done.status).toBe(201);
    const shown = await done.text();
    contains(shown, 'Ihre Wiederherstellungscodes', 'Die Codes werden nur jetzt angezeigt.', 'href="/staff"');
    const recoveryCodes = [...shown.matchAll(/<li><code>([A-Z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(recoveryCodes).toHaveLength(10);
    expect((await b.get('/staff')).headers.get('location')).toBe('/staff/standort');

    // Next login: password, then the code; the code just used cannot be used again.
    const next = new StaffBrowser(f, 'browser-2');
    expect((await login(next, 'lead@stadt.example', NEW_PASSWORD)).headers.get('location')).toBe('/staff/code');
    expect((await next.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/code');
    await next.page('/staff/code');
    expect((await next.post('/staff/code', { code: totpCodeAt(secret, f.clock.now()) })).status).toBe(422);
    f.clock.advance(30_000);
    expect((await next.post('/staff/code', { code: totpCodeAt(secret, f.clock.now()) })).headers.get('location')).toBe('/staff');
    await next.page('/staff/standort');
    expect((await next.post('/staff/standort', { office: 'nord' })).headers.get('location')).toBe('/staff/tagesplan');
    expect((await next.page('/staff/tagesplan')).html).toContain('Bürgerbüro Nord');

    // No phone at hand: a recovery code instead of the code, once; the page says how many remain.
    const phoneless = new StaffBrowser(f, 'browser-2b');
    await login(phoneless, 'lead@stadt.example', NEW_PASSWORD);
    contains((await phoneless.page('/staff/code')).html, 'einen Ihrer Wiederherstellungscodes');
    const used = await phoneless.post('/staff/code', { code: recoveryCodes[0]!.toLowerCase() });
    expect(used.status).toBe(200);
    contains(await used.text(), 'Angemeldet mit einem Wiederherstellungscode', 'Sie haben noch 9 Wiederherstellungscodes.');
    expect((await phoneless.get('/staff')).headers.get('location')).toBe('/staff/standort');
    const again = new StaffBrowser(f, 'browser-2c');
    await login(again, 'lead@stadt.example', NEW_PASSWORD);
    await again.page('/staff/code?lang=en');
    const twice = await again.post('/staff/code', { code: recoveryCodes[0]! });
    expect(twice.status).toBe(422);
    contains(await twice.text(), 'The security code is wrong or has expired.');
    const english = await again.post('/staff/code', { code: recoveryCodes[1]! });
    contains(await english.text(), 'You have 8 recovery codes left.', 'href="/staff/wiederherstellungscodes"');
    await again.page('/staff/tagesplan?lang=de');

    // A new set, confirmed with a current code from the app, replaces the old one.
    contains((await again.page('/staff/wiederherstellungscodes')).html, 'Sie haben noch 8 Wiederherstellungscodes.', 'Neue Codes erzeugen');
    expect((await again.post('/staff/wiederherstellungscodes', { code: '000000' })).status).toBe(422);
    f.clock.advance(30_000);
    const renewed = await again.post('/staff/wiederherstellungscodes', { code: totpCodeAt(secret, f.clock.now()) });
    expect(renewed.status).toBe(201);
    const fresh = [...(await renewed.text()).matchAll(/<li><code>([A-Z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    const old = new StaffBrowser(f, 'browser-2d');
    await login(old, 'lead@stadt.example', NEW_PASSWORD);
    await old.page('/staff/code');
    expect((await old.post('/staff/code', { code: recoveryCodes[2]! })).status).toBe(422);
    contains(await (await old.post('/staff/code', { code: fresh[0]! })).text(), 'Sie haben noch 9 Wiederherstellungscodes.');
  });

  it('five wrong passwords lock the account for a while with a clear German message, the right one included', async () => {
    const { userId } = await addStaff(f, { email: 'vergesslich@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-3');
    for (let i = 0; i < 5; i++) expect((await login(b, 'vergesslich@stadt.example', 'falsch-falsch-falsch')).status).toBe(401);
    const locked = await login(b, 'vergesslich@stadt.example');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten');
    expect(b.hasSession()).toBe(false);
    const english = await f.app.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: new URLSearchParams({ email: 'vergesslich@stadt.example', password: STAFF_PASSWORD }),
    });
    expect(await english.text()).toContain('Too many failed login attempts. Please wait 15 minutes');
    f.clock.advance(15 * 60_000);
    expect((await login(b, 'vergesslich@stadt.example')).status).toBe(303);
    expect((await auditRows(f, 'session.login_failed')).filter((r) => r.entity_id === userId)).toHaveLength(5);
  });

  it("a staff form posted without the session's CSRF token is refused and changes nothing", async () => {
    await addStaff(f, { email: 'csrf@stadt.example', role: 'clerk', officeIds: ['test', 'nord'] });
    const b = new StaffBrowser(f, 'browser-4');
    await login(b, 'csrf@stadt.example');
    await b.page('/staff/standort');
    expect((await b.post('/staff/standort', { office: 'nord' }, { csrf: false })).status).toBe(403);
    const forged = new StaffBrowser(f, 'browser-5');
    await login(forged, 'csrf@stadt.example');
    forged.csrf = b.csrf; // a token of another session is no good either
    expect((await forged.post('/staff/standort', { office: 'nord' })).status).toBe(403);
  });

  it('a clerk books for a caller without email: confirmed, reference shown large; then cancels it from the detail page', async () => {
    await addStaff(f, { email: 'telefon@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-6');
    await login(b, 'telefon@stadt.example');
    const form = await b.page('/staff/telefon?service=counter-only&persons=1');
    const start = /name="start" value="([^"]+)" checked/.exec(form.html)![1]!;
    const missing = await b.post('/staff/telefon', { service: 'counter-only', persons: '1', start, name: 'Otto Anrufer' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Telefonnummer oder E-Mail-Adresse ist nötig.');
    const booked = await b.post('/staff/telefon', {
      service: 'counter-only',
      persons: '1',
      start,
      name: 'Otto Anrufer',
      phone: '0201 555',
    });
    expect(booked.status).toBe(201);
    const html = await booked.text();
    const reference = /<p class="staff-reference"[^>]*>([A-Z0-9-]{7})<\/p>/.exec(html)![1]!;
    expect(html).toContain('Die Buchungsnummer ist die einzige Bestätigung');
    // #22: spelt out for the phone, letters with DIN 5009's city names.
    const spelt = /Zum Buchstabieren: ([^<]+)<\/p>/.exec(html)![1]!.split(' · ');
    expect(spelt).toHaveLength(7);
    expect(spelt[3]).toBe('Strich');
    expect(spelt.every((part, i) => part === reference[i] || part.startsWith(`${reference[i]} wie `) || part === 'Strich')).toBe(true);
    const row = await f.ctx.db.selectFrom('appointment').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'confirmed', source: 'phone', citizen_phone: '0201 555' });

    const detail = await b.page(`/staff/termine/${row.id}`);
    expect(detail.html).toContain('Otto Anrufer');
    // #22: a confirmation step first; only bestaetigt=ja cancels.
    const asked = await b.post(`/staff/termine/${row.id}/absagen`, { reason: 'citizen' });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('wirklich absagen?');
    const cancelled = await b.post(`/staff/termine/${row.id}/stornieren`, { reason: 'citizen', bestaetigt: 'ja' });
    expect(cancelled.headers.get('location')).toBe(`/staff/termine/${row.id}?ok=storniert`);
    expect((await b.page(`/staff/termine/${row.id}?ok=storniert`)).html).toContain('Der Termin wurde abgesagt.');

    // #22 item 4: the history names the clerk, never an id, and speaks the page's language.
    await f.ctx.db.updateTable('staff_user').set({ display_name: 'Maria Weber' }).where('email', '=', 'telefon@stadt.example').execute();
    const history = (await b.page(`/staff/termine/${row.id}`)).html;
    expect(history).toContain('gebucht von Sachbearbeitung M. Weber</li>');
    expect(history).toContain('abgesagt von Sachbearbeitung M. Weber</li>');
    expect(history).not.toMatch(/staff:|\(cancelled|\(booked/);
    const english = (await b.page(`/staff/termine/${row.id}?lang=en`)).html;
    expect(english).toContain('booked by clerk M. Weber</li>');
    expect(english).toContain('cancelled by clerk M. Weber</li>');
    await b.page(`/staff/termine/${row.id}?lang=de`);

    // A clerk of Nord does not learn that this appointment exists.
    await addStaff(f, { email: 'nord@stadt.example', role: 'clerk', officeIds: ['nord'] });
    const nord = new StaffBrowser(f, 'browser-7');
    await login(nord, 'nord@stadt.example');
    expect((await nord.page(`/staff/termine/${row.id}`)).status).toBe(404);
    expect((await nord.page(`/staff/suche?q=${reference}`)).html).toContain('Keine Termine gefunden.');
  });

  it('the staff API also accepts the page session, but changes need the X-CSRF-Token header', async () => {
    const b = new StaffBrowser(f, 'browser-9');
    await login(b, 'telefon@stadt.example');
    await b.page('/staff/tagesplan');
    const me = await b.get('/api/v1/staff/me');
    expect(me.status).toBe(200);
    const [row] = await f.ctx.db.selectFrom('appointment').select('id').where('citizen_name', '=', 'Otto Anrufer').execute();
    const path = `/api/v1/staff/appointments/${row!.id}/reschedule`;
    const body = { start: '2026-11-27T09:00:00+01:00' };
    const withoutToken = await b.postJson(path, body);
    expect(withoutToken.status).toBe(403);
    expect((await json(withoutToken)).error.code).toBe('csrf_failed');
    // The appointment is cancelled, so the move itself is refused — but past the CSRF check.
    expect((await b.postJson(path, body, { 'x-csrf-token': b.csrf! })).status).toBe(409);
  });

  it('the day plan page offers search, print styles and a CSV download, and logging out ends the session', async () => {
    const b = new StaffBrowser(f, 'browser-8');
    await login(b, 'telefon@stadt.example');
    const plan = await b.page('/staff/tagesplan?datum=2026-11-25&q=Otto');
    expect(plan.html).toContain('Otto Anrufer');
    expect(plan.html).toMatch(/href="\/staff\/static\/staff\.[0-9a-f]{12}\.css"/);
    const css = await b.get(/href="(\/staff\/static\/staff\.[0-9a-f]{12}\.css)"/.exec(plan.html)![1]!);
    expect(await css.text()).toContain('@media print');
    const csv = await b.get('/staff/tagesplan.csv?datum=2026-11-25');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[1]).toContain(';Otto Anrufer;0201 555;;');
    await b.post('/staff/logout', {});
    expect(b.hasSession()).toBe(false);
    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/login');
  });
});
