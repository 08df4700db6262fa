import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTokenCommand, runUserCommand, type StaffCliIo } from '../../src/cli/staff-commands.ts';
import { runOperation } from '../../src/http/control/control-operations.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { addStaff, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createThreeTownFixture, OFFICE_B, TOWN_A, TOWN_B } from '../helpers/staff-towns.ts';
import { testDbKind } from '../helpers/test-db.ts';

const run = promisify(execFile);

/** Runs a command in-process against the fixture's database and collects what it prints. */
function terminal(f: Fixture, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: StaffCliIo = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readStdin: async () => stdin,
    execute: (operation, input) => runOperation(f.ctx, operation, input, 'cli'),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('schalter user / token with wrong arguments (real process, no database touched)', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a role that does not exist',
      ['user', 'add', '--email', 'a@b.de', '--role', 'boss', '--office', 'mitte'],
      /--role must be one of clerk, teamlead, admin, not "boss"/,
    ],
    ['a clerk without office', ['user', 'add', '--email', 'a@b.de', '--role', 'clerk'], /a clerk needs at least one --office/],
    ['no email', ['user', 'add', '--role', 'clerk', '--office', 'mitte'], /--email is required/],
    ['an unknown option', ['user', 'add', '--emial', 'a@b.de'], /Unknown option '--emial'/],
    [
      'an admin limited to an office',
      ['token', 'create', '--name', 'x', '--role', 'admin', '--office', 'mitte'],
      /admins work for every office/,
    ],
    ['a token without name', ['token', 'create', '--role', 'clerk', '--office', 'mitte'], /--name is required/],
    ['an unknown token command', ['token', 'delete', 'x'], /unknown token command "delete"/],
    ['disable without email', ['user', 'disable'], /--email is required/],
    ['reset-2fa with a stray option', ['user', 'reset-2fa', '--email', 'a@b.de', '--role', 'clerk'], /Unknown option '--role'/],
    [
      'an unknown user command',
      ['user', 'delete', '--email', 'a@b.de'],
      /unknown user command "delete" \(known: add, list, town, disable, enable, reset-password, reset-2fa, reset\)/,
    ],
    [
      'a clerk of the whole Kreis',
      ['user', 'add', '--email', 'a@b.de', '--role', 'clerk', '--office', 'x', '--kreis'],
      /only an admin belongs to the whole Kreis/,
    ],
    ['user town without a town', ['user', 'town', '--email', 'a@b.de'], /user town needs --municipality ID or --kreis/],
  ];
  it.each(cases)('%s: clear message, exit code 2', async (_label, args, message) => {
    const result = await run('node', ['bin/schalter.js', ...args], {
      env: { ...process.env, SCHALTER_DATA_DIR: '/nonexistent/never-created' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result && result.code).toBe(2);
    expect((result as { stderr: string }).stderr).toMatch(message);
  });
});

describe(`schalter user / token on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f.close());

  it('user add prints a one-time password on stdout alone; it works once and must be changed', async () => {
    const t = terminal(f);
    expect(await runUserCommand(['add', '--email', 'Clerk@Stadt.example', '--role', 'clerk', '--office', 'test'], t.io)).toBe(0);
    const password = t.out().trim();
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect(t.err()).toContain('clerk@stadt.example');
    const user = await f.ctx.db.selectFrom('staff_user').selectAll().where('email', '=', 'clerk@stadt.example').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'clerk', must_change_password: true });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const login = await f.app.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'clerk@stadt.example', password }),
    });
    expect(login.headers.get('location')).toBe('/staff/passwort');
  });

  it('user add --password-stdin takes the password from stdin and prints no secret', async () => {
    const t = terminal(f, 'Pferd Batterie Heftklammer\n');
    expect(
      await runUserCommand(['add', '--email', 'lead@stadt.example', '--role', 'teamlead', '--office', 'test', '--password-stdin'], t.io),
    ).toBe(0);
    expect(t.out()).toBe('');
  });

  it('user add refuses an office that does not exist (exit 2) and a second account for one email (exit 1)', async () => {
    const unknown = terminal(f);
    expect(await runUserCommand(['add', '--email', 'x@stadt.example', '--role', 'clerk', '--office', 'atlantis'], unknown.io)).toBe(2);
    // In the words of the pages, German and English, and the office on its own line — not a JSON dump.
    expect(unknown.err()).toBe('schalter: Diesen Standort gibt es nicht. / This office does not exist.\n  Unknown office: atlantis\n');
    const twice = terminal(f);
    expect(await runUserCommand(['add', '--email', 'clerk@stadt.example', '--role', 'clerk', '--office', 'test'], twice.io)).toBe(1);
    expect(twice.err()).toContain('already exists');
  });

  it('user reset gives a new one-time password and clears the second factor, the branch PIN and the sessions; user list shows who needs one', async () => {
    const created = terminal(f);
    await runUserCommand(['add', '--email', 'vergessen@stadt.example', '--role', 'teamlead', '--office', 'test'], created.io);
    const before = created.out().trim();
    await f.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: 'JBSWY3DPEHPK3PXP', branch_pin_hash: '$argon2id$pin', password_hash: '!revoked' })
      .where('email', '=', 'vergessen@stadt.example')
      .execute();
    const listed = terminal(f);
    expect(await runUserCommand(['list'], listed.io)).toBe(0);
    expect(listed.out()).toContain('vergessen@stadt.example\tteamlead\ttest\tneeds_reset\ttotp\tnever\t-\n');

    const t = terminal(f);
    expect(await runUserCommand(['reset', '--email', 'Vergessen@Stadt.example'], t.io)).toBe(0);
    const password = t.out().trim();
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect(password).not.toBe(before);
    const user = await f.ctx.db
      .selectFrom('staff_user')
      .selectAll()
      .where('email', '=', 'vergessen@stadt.example')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ must_change_password: true, totp_secret: null, branch_pin_hash: null });
    const login = await f.app.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'vergessen@stadt.example', password }),
    });
    expect(login.headers.get('location')).toBe('/staff/passwort');

    const unknown = terminal(f);
    expect(await runUserCommand(['reset', '--email', 'niemand@stadt.example'], unknown.io)).toBe(1);
    expect(unknown.out()).toBe('');
  });

  it('user disable, reset-password and reset-2fa: each one operation, sessions end, unknown email exit 1 (#19 item 1)', async () => {
    const { userId, totpSecret } = await addStaff(f, { email: 'weg@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const lead = new StaffBrowser(f, 'cli-lead');
    await lead.post('/staff/login', { email: 'weg@stadt.example', password: STAFF_PASSWORD });
    await lead.page('/staff/code');
    await lead.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    expect((await lead.get('/staff/tagesplan')).status).toBe(200);
    const listed = terminal(f);
    await runUserCommand(['list'], listed.io);
    expect(listed.out()).toContain(`weg@stadt.example\tteamlead\ttest\tactive\ttotp\t${new Date(f.clock.now()).toISOString()}\t-\n`);

    // reset-2fa: the factor goes, the password stays; the next login enrols anew.
    const twoFa = terminal(f);
    expect(await runUserCommand(['reset-2fa', '--email', 'Weg@Stadt.example'], twoFa.io)).toBe(0);
    expect(twoFa.out()).toBe('');
    expect(twoFa.err()).toContain('Zweiter Faktor entfernt');
    expect((await lead.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/login?beendet');
    const again = new StaffBrowser(f, 'cli-lead-2');
    expect((await again.post('/staff/login', { email: 'weg@stadt.example', password: STAFF_PASSWORD })).headers.get('location')).toBe(
      '/staff/zwei-faktor',
    );

    // reset-password: a one-time password on stdout alone, to be replaced at the next login.
    const pw = terminal(f);
    expect(await runUserCommand(['reset-password', '--email', 'weg@stadt.example'], pw.io)).toBe(0);
    const oneTime = pw.out().trim();
    expect(oneTime).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect((await again.get('/staff/zwei-faktor')).headers.get('location')).toBe('/staff/login?beendet');
    const third = new StaffBrowser(f, 'cli-lead-3');
    expect((await third.post('/staff/login', { email: 'weg@stadt.example', password: STAFF_PASSWORD })).status).toBe(401);
    expect((await third.post('/staff/login', { email: 'weg@stadt.example', password: oneTime })).headers.get('location')).toBe(
      '/staff/passwort',
    );

    // disable: sessions end at once, the login is refused with its own message.
    const off = terminal(f);
    expect(await runUserCommand(['disable', '--email', 'weg@stadt.example'], off.io)).toBe(0);
    expect(off.err()).toContain('Konto deaktiviert');
    expect((await third.get('/staff/passwort')).headers.get('location')).toBe('/staff/login?beendet');
    const refused = await new StaffBrowser(f, 'cli-lead-4').post('/staff/login', { email: 'weg@stadt.example', password: oneTime });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Dieses Konto ist deaktiviert.');
    const state = terminal(f);
    await runUserCommand(['list'], state.io);
    expect(state.out()).toMatch(/weg@stadt\.example\tteamlead\ttest\tdisabled\t-\t/);
    const on = terminal(f);
    expect(await runUserCommand(['enable', '--email', 'weg@stadt.example'], on.io)).toBe(0);
    expect(on.err()).toContain('Konto wieder aktiv');
    expect((await new StaffBrowser(f, 'cli-lead-5').post('/staff/login', { email: 'weg@stadt.example', password: oneTime })).status).toBe(
      303,
    );
    await runUserCommand(['disable', '--email', 'weg@stadt.example'], terminal(f).io);
    const audited = await f.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('entity_id', '=', userId)
      .where('action', 'like', 'staff_user.%')
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.action)).toEqual([
      'staff_user.create',
      'staff_user.reset_second_factor',
      'staff_user.reset_password',
      'staff_user.disable',
      'staff_user.enable',
      'staff_user.disable',
    ]);
    expect(audited[3]).toMatchObject({ actor: 'cli', details: { before: { disabled: false }, after: { disabled: true } } });

    for (const command of ['disable', 'enable', 'reset-password', 'reset-2fa', 'reset']) {
      const unknown = terminal(f);
      expect(await runUserCommand([command, '--email', 'niemand@stadt.example'], unknown.io)).toBe(1);
      expect(unknown.err()).toContain('Kein Konto mit dieser E-Mail-Adresse');
      expect(unknown.out()).toBe('');
    }
  });

  it('token create prints a bearer token once; token revoke ends it', async () => {
    const t = terminal(f);
    expect(await runTokenCommand(['create', '--name', 'callcenter', '--role', 'clerk', '--office', 'test'], t.io)).toBe(0);
    const token = t.out().trim();
    expect(token).toMatch(/^sch_[A-Za-z0-9_-]{43}$/);
    const stored = await f.ctx.db.selectFrom('api_token').selectAll().where('name', '=', 'callcenter').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4));
    expect((await json(f.app.request('/api/v1/staff/me', { headers: bearer(token) }))).principal).toMatchObject({
      kind: 'token',
      label: 'callcenter',
      officeIds: ['test'],
    });

    const list = terminal(f);
    expect(await runTokenCommand(['list'], list.io)).toBe(0);
    expect(list.out()).toContain('callcenter\tclerk\tactive');
    expect(list.out()).not.toContain(token);

    expect(await runTokenCommand(['revoke', 'callcenter'], terminal(f).io)).toBe(0);
    expect((await f.app.request('/api/v1/staff/me', { headers: bearer(token) })).status).toBe(401);
    expect(await runTokenCommand(['revoke', 'callcenter'], terminal(f).io)).toBe(1);
    const audited = await f.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'api_token')
      .orderBy('id')
      .execute();
    expect(audited).toEqual([
      { action: 'api_token.create', actor: 'cli' },
      { action: 'api_token.revoke', actor: 'cli' },
    ]);
  });
});

describe(`schalter user in a Kreis of three towns (issue #20, ${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createThreeTownFixture();
  });
  afterAll(async () => f.close());

  it('user add --municipality, --kreis, the grant, and user town; a clerk’s office of another town is refused in both languages', async () => {
    const foreign = terminal(f);
    expect(
      await runUserCommand(
        ['add', '--email', 'x@castrop.example', '--role', 'clerk', '--office', OFFICE_B, '--municipality', TOWN_A],
        foreign.io,
      ),
    ).toBe(2);
    expect(foreign.err()).toContain(
      'schalter: Ein gewählter Standort gehört zu einer anderen Stadt. Ein Konto arbeitet nur für Standorte seiner eigenen Stadt. / An office chosen belongs to another town.',
    );
    const unsaid = terminal(f);
    expect(await runUserCommand(['add', '--email', 'it@kreis.example', '--role', 'admin'], unsaid.io)).toBe(2);
    expect(unsaid.err()).toContain('Im Kreis gehört jedes Administrationskonto zu einer Stadt oder ausdrücklich zum ganzen Kreis.');
    const kreis = terminal(f);
    expect(await runUserCommand(['add', '--email', 'it@kreis.example', '--role', 'admin', '--kreis'], kreis.io)).toBe(0);
    expect(kreis.err()).toContain('(admin, ganzer Kreis / whole Kreis, alle Standorte / all offices)');
    const town = terminal(f);
    expect(await runUserCommand(['add', '--email', 'it@datteln.example', '--role', 'admin', '--municipality', TOWN_B], town.io)).toBe(0);
    expect(town.err()).toContain('(admin, Stadt / town datteln, alle Standorte / all offices)');
    const grant = terminal(f);
    expect(await runUserCommand(['town', '--email', 'it@kreis.example', '--kreis', '--personal-data', 'yes'], grant.io)).toBe(0);
    expect(grant.err()).toContain('personenbezogene Daten / personal data: ja / yes');
    const move = terminal(f);
    expect(await runUserCommand(['town', '--email', 'it@datteln.example', '--municipality', 'dorsten'], move.io)).toBe(2);
    expect(move.err()).toContain('Diese Stadt gibt es im Kreis nicht.');
    const rows = await f.ctx.db.selectFrom('staff_user').select(['email', 'municipality_id', 'personal_data']).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'it@datteln.example', municipality_id: TOWN_B, personal_data: false },
      { email: 'it@kreis.example', municipality_id: null, personal_data: true },
    ]);
  });
});
