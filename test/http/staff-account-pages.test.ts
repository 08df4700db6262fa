import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19 item 3: /staff/verwaltung/konten for admins (every account) and team leads (the clerks of
// their own offices), as a browser without JavaScript uses it.

const BASE = '/staff/verwaltung/konten';

async function loggedIn(f: Fixture, client: string, account: { email: string; totpSecret: string | null }, office?: string) {
  const b = new StaffBrowser(f, client);
  await b.post('/staff/login', { email: account.email, password: STAFF_PASSWORD });
  if (account.totpSecret) {
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(account.totpSecret, f.clock.now()) });
  }
  await b.page('/staff/standort');
  if (office) await b.post('/staff/standort', { office });
  return b;
}

const userIdOf = async (f: Fixture, email: string) =>
  (await f.ctx.db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe(`staff accounts pages (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture();
    await addOfficeNord(f);
    admin = await loggedIn(f, 'admin', await addStaff(f, { email: 'it@stadt.example', role: 'admin', officeIds: [] }));
    lead = await loggedIn(f, 'lead', await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] }), 'test');
    await addStaff(f, { email: 'nord@stadt.example', role: 'clerk', officeIds: ['nord'] });
  });
  afterAll(async () => f?.close());

  it('the admin creates a clerk (one-time password shown once), changes role and offices; the list shows role, offices, last login, second factor', async () => {
    const form = await admin.page(`${BASE}/neu`);
    contains(form.html, 'Neues Konto anlegen', 'Sachbearbeitung', 'Teamleitung', 'Administration', 'Testamt', 'Bürgerbüro Nord');
    const incomplete = await admin.post(`${BASE}/neu`, { email: 'kein-at', role: 'clerk' });
    expect(incomplete.status).toBe(422);
    contains(await incomplete.text(), 'Bitte eine E-Mail-Adresse eintragen', 'Bitte mindestens einen Standort wählen.', 'href="#offices"');

    const created = await admin.post(`${BASE}/neu`, {
      email: 'Maria.Weber@stadt.example',
      name: 'Maria Weber',
      role: 'clerk',
      office: 'test',
    });
    expect(created.status).toBe(201);
    const page = await created.text();
    contains(page, 'Das Konto für maria.weber@stadt.example ist angelegt.', 'Einmalpasswort', 'nur jetzt angezeigt');
    const password = /class="staff-one-time-password"><code>([^<]+)<\/code>/.exec(page)![1]!;
    const clerk = new StaffBrowser(f, 'maria');
    expect((await clerk.post('/staff/login', { email: 'maria.weber@stadt.example', password })).headers.get('location')).toBe(
      '/staff/passwort',
    );
    const twice = await admin.post(`${BASE}/neu`, { email: 'maria.weber@stadt.example', role: 'clerk', office: 'test' });
    expect(twice.status).toBe(422);
    contains(await twice.text(), 'Für diese E-Mail-Adresse gibt es schon ein Konto.');

    const list = (await admin.page(BASE)).html;
    contains(
      list,
      'Konten der Mitarbeitenden',
      'Zuletzt angemeldet',
      'Zweiter Faktor',
      'maria.weber@stadt.example',
      'Maria Weber',
      'nord@stadt.example',
      'it@stadt.example',
    );
    // The admin logged in at 08:00 on Wednesday 25 November (Berlin): „Mi., 25.11.2026, 08:00“; Maria never.
    contains(list, 'Mi., 25.11.2026, 08:00', 'noch nie', 'alle Standorte');
    contains((await admin.page(`${BASE}?lang=en`)).html, 'Staff accounts', 'Last login', 'Wed, 25 Nov 2026, 08:00', 'never');
    await admin.page(`${BASE}?lang=de`);

    const id = await userIdOf(f, 'maria.weber@stadt.example');
    const detail = await admin.page(`${BASE}/${id}`);
    contains(detail.html, 'Konto maria.weber@stadt.example', 'Rolle und Standorte', 'Passwort zurücksetzen', 'Konto deaktivieren');
    const changed = await admin.post(`${BASE}/${id}`, { role: 'teamlead', office: ['test', 'nord'] });
    expect(changed.headers.get('location')).toBe(`${BASE}/${id}?ok=geaendert`);
    contains((await admin.page(`${BASE}/${id}?ok=geaendert`)).html, 'Rolle und Standorte sind gespeichert.', 'Bürgerbüro Nord, Testamt');
    const audit = await f.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'staff_user.change')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      before: { role: 'clerk', officeIds: ['test'] },
      after: { role: 'teamlead', officeIds: ['nord', 'test'] },
    });
    expect(audit.actor).toMatch(/^staff:/);
    // Back to a clerk of Testamt for the next test.
    await admin.post(`${BASE}/${id}`, { role: 'clerk', office: 'test' });
  });

  it('deactivating asks first; then the clerk’s next click is refused and lands on the login page with a message', async () => {
    const { userId } = await addStaff(f, { email: 'geht@stadt.example', role: 'clerk', officeIds: ['test'] });
    const clerk = await loggedIn(f, 'geht', { email: 'geht@stadt.example', totpSecret: null });
    expect((await clerk.page('/staff/tagesplan')).status).toBe(200);

    const confirm = await admin.page(`${BASE}/${userId}/deaktivieren`);
    contains(confirm.html, 'Konto geht@stadt.example deaktivieren?', 'Offene Sitzungen enden sofort', 'Ja, deaktivieren', 'Abbrechen');
    expect(
      (await f.ctx.db.selectFrom('staff_user').select('disabled_at').where('id', '=', userId).executeTakeFirstOrThrow()).disabled_at,
    ).toBeNull();
    // Without the form's CSRF token nothing happens.
    expect((await admin.post(`${BASE}/${userId}/deaktivieren`, {}, { csrf: false })).status).toBe(403);
    const done = await admin.post(`${BASE}/${userId}/deaktivieren`, {});
    expect(done.headers.get('location')).toBe(`${BASE}/${userId}?ok=deaktiviert`);
    contains(
      (await admin.page(`${BASE}/${userId}?ok=deaktiviert`)).html,
      'Das Konto geht@stadt.example ist deaktiviert; seine Sitzungen sind beendet.',
      'deaktiviert',
    );

    const click = await clerk.post('/staff/standort', { office: 'test' });
    expect(click.status).toBe(303);
    expect(click.headers.get('location')).toBe('/staff/login?beendet');
    contains((await clerk.page('/staff/login?beendet')).html, 'Ihre Sitzung ist abgelaufen oder wurde beendet.');
    const again = await clerk.post('/staff/login', { email: 'geht@stadt.example', password: STAFF_PASSWORD });
    expect(again.status).toBe(403);
    contains(await again.text(), 'Dieses Konto ist deaktiviert.');

    // Deactivated by mistake: reactivated after a confirmation, the same password works again.
    contains((await admin.page(`${BASE}/${userId}`)).html, 'Konto wieder aktivieren');
    contains((await admin.page(`${BASE}/${userId}/aktivieren`)).html, 'Konto geht@stadt.example wieder aktivieren?');
    expect((await admin.post(`${BASE}/${userId}/aktivieren`, {})).headers.get('location')).toBe(`${BASE}/${userId}?ok=aktiviert`);
    contains((await admin.page(`${BASE}/${userId}?ok=aktiviert`)).html, 'Das Konto geht@stadt.example ist wieder aktiv.');
    expect((await clerk.post('/staff/login', { email: 'geht@stadt.example', password: STAFF_PASSWORD })).status).toBe(303);
    expect(
      (
        await f.ctx.db
          .selectFrom('audit_log')
          .select('details')
          .where('action', '=', 'staff_user.disable')
          .where('entity_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).details,
    ).toMatchObject({
      before: { disabled: false },
      after: { disabled: true },
    });
  });

  it('resetting the password shows a new one-time password; resetting the second factor makes the next login enrol anew', async () => {
    const account = await addStaff(f, { email: 'vergesslich@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const person = await loggedIn(f, 'vergesslich', account, 'test');
    contains(
      (await admin.page(`${BASE}/${account.userId}/zwei-faktor`)).html,
      'Zweiten Faktor von vergesslich@stadt.example zurücksetzen?',
    );
    const reset = await admin.post(`${BASE}/${account.userId}/zwei-faktor`, {});
    expect(reset.headers.get('location')).toBe(`${BASE}/${account.userId}?ok=zwei-faktor`);
    expect((await person.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/login?beendet');
    const next = new StaffBrowser(f, 'vergesslich-2');
    expect((await next.post('/staff/login', { email: account.email, password: STAFF_PASSWORD })).headers.get('location')).toBe(
      '/staff/zwei-faktor',
    );

    contains((await admin.page(`${BASE}/${account.userId}/passwort`)).html, 'Passwort von vergesslich@stadt.example zurücksetzen?');
    const pw = await admin.post(`${BASE}/${account.userId}/passwort`, {});
    expect(pw.status).toBe(200);
    const password = /class="staff-one-time-password"><code>([^<]+)<\/code>/.exec(await pw.text())![1]!;
    expect(
      (await new StaffBrowser(f, 'vergesslich-3').post('/staff/login', { email: account.email, password })).headers.get('location'),
    ).toBe('/staff/passwort');
    const actions = (
      await f.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', account.userId)
        .where('action', 'like', 'staff_user.reset%')
        .orderBy('id')
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(['staff_user.reset_second_factor', 'staff_user.reset_password']);
  });

  it('a team lead sees only the clerks of their offices and can neither create nor elevate a team lead or admin, nor touch another office', async () => {
    const page = (await lead.page(BASE)).html;
    contains(page, 'maria.weber@stadt.example', 'Sie sehen die Konten der Sachbearbeitung Ihrer Standorte.');
    const list = /<table[\s\S]*<\/table>/.exec(page)![0];
    for (const other of ['nord@stadt.example', 'it@stadt.example', 'leitung@stadt.example', 'vergesslich@stadt.example'])
      expect(list).not.toContain(other);
    const form = (await lead.page(`${BASE}/neu`)).html;
    expect(form).not.toContain('value="teamlead"');
    expect(form).not.toContain('value="admin"');
    expect(form).not.toContain('Bürgerbüro Nord');

    // Forged posts are refused and change nothing.
    const forged: Record<string, string>[] = [
      { email: 'chef@stadt.example', role: 'admin' },
      { email: 'chef@stadt.example', role: 'teamlead', office: 'test' },
      { email: 'chef@stadt.example', role: 'clerk', office: 'nord' },
    ];
    for (const fields of forged) {
      const res = await lead.post(`${BASE}/neu`, fields);
      expect(res.status).toBe(403);
      contains(await res.text(), 'Dafür fehlt Ihnen die Berechtigung.');
    }
    expect(
      await f.ctx.db.selectFrom('staff_user').select('id').where('email', '=', 'chef@stadt.example').executeTakeFirst(),
    ).toBeUndefined();

    const maria = await userIdOf(f, 'maria.weber@stadt.example');
    expect((await lead.post(`${BASE}/${maria}`, { role: 'teamlead', office: 'test' })).status).toBe(403);
    expect((await lead.post(`${BASE}/${maria}`, { role: 'clerk', office: 'nord' })).status).toBe(403);
    const nord = await userIdOf(f, 'nord@stadt.example');
    const admin = await userIdOf(f, 'it@stadt.example');
    for (const id of [nord, admin]) {
      expect((await lead.page(`${BASE}/${id}`)).status).toBe(404);
      expect((await lead.page(`${BASE}/${id}/deaktivieren`)).status).toBe(404);
      expect((await lead.post(`${BASE}/${id}/deaktivieren`, {})).status).toBe(404);
      expect((await lead.post(`${BASE}/${id}/passwort`, {})).status).toBe(404);
    }
    const rows = await f.ctx.db
      .selectFrom('staff_user')
      .select(['email', 'role', 'disabled_at'])
      .where('id', 'in', [maria, nord, admin])
      .orderBy('email')
      .execute();
    expect(rows).toEqual([
      { email: 'it@stadt.example', role: 'admin', disabled_at: null },
      { email: 'maria.weber@stadt.example', role: 'clerk', disabled_at: null },
      { email: 'nord@stadt.example', role: 'clerk', disabled_at: null },
    ]);

    // Their own clerk they may manage: a lead creates one for Testamt.
    const created = await lead.post(`${BASE}/neu`, { email: 'azubi@stadt.example', role: 'clerk', office: 'test' });
    expect(created.status).toBe(201);
  });

  it('at a branch node the accounts pages say that accounts are managed on the central server', async () => {
    const settings = { ...f.ctx.settings, branchNode: { centralUrl: 'http://zentrale.test' } };
    const app = createHttpApp({ ctx: { ...f.ctx, settings }, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {} });
    const atBranch = await loggedIn(
      { ...f, app },
      'branch-lead',
      await addStaff(f, { email: 'filiale@stadt.example', role: 'teamlead', officeIds: ['test'] }),
      'test',
    );
    const res = await atBranch.page(BASE);
    expect(res.status).toBe(409);
    contains(res.html, 'Das wird auf dem zentralen Server eingestellt');
    expect((await atBranch.post(`${BASE}/neu`, { email: 'x@stadt.example', role: 'clerk', office: 'test' })).status).toBe(409);
  });

  it('„Verwaltung“ is in the navigation of team leads and admins; a clerk gets 403 on the accounts page', async () => {
    contains((await lead.page('/staff/tagesplan')).html, `href="${BASE}"`, '>Verwaltung<');
    // On an account's page the navigation still says where one is.
    const maria = await userIdOf(f, 'maria.weber@stadt.example');
    expect((await lead.page(`${BASE}/${maria}`)).html).toMatch(new RegExp(`href="${BASE}"[^>]*aria-current="true"`));
    const clerk = await loggedIn(f, 'clerk', await addStaff(f, { email: 'schalter@stadt.example', role: 'clerk', officeIds: ['test'] }));
    const plan = (await clerk.page('/staff/tagesplan')).html;
    expect(plan).not.toContain(BASE);
    expect((await clerk.page(BASE)).status).toBe(403);
    expect((await clerk.post(`${BASE}/neu`, { email: 'x@stadt.example', role: 'clerk', office: 'test' })).status).toBe(403);
  });
});
