import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SsoConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { freePort } from '../helpers/server-process.ts';
import { addStaff, auditRows, STAFF_PASSWORD } from '../helpers/staff.ts';

// Issue #23 item 4: staff log in through the town's identity provider (OpenID Connect), here a real
// one (oidc-provider) on a loopback port. Role and offices come from its groups at every login;
// local accounts keep working.

const RETURN = 'http://schalter.test/staff/sso/zurueck';
const accounts: Record<string, Record<string, unknown>> = {
  'u-weber': { email: 'Maria.Weber@stadt.example', name: 'Maria Weber', groups: ['schalter-sachbearbeitung', 'schalter-standort-test'] },
  'u-nobody': { email: 'gast@stadt.example', name: 'Gast', groups: ['alle-mitarbeitenden'] },
  'u-lokal': { email: 'lokal@stadt.example', name: 'Lena Lokal', groups: ['schalter-teamleitung', 'schalter-standort-test'] },
  'u-aus': { email: 'aus@stadt.example', name: 'Ausgeschieden', groups: ['schalter-sachbearbeitung', 'schalter-standort-test'] },
};

describe('staff single sign-on through OpenID Connect', () => {
  let f: Fixture;
  let server: Server;
  let sso: SsoConfig;
  let app: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'schalter', client_secret: 'ein-langes-geheimnis-fuer-den-test', redirect_uris: [RETURN] }],
      claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
      cookies: { keys: ['test-cookie-key'] },
      findAccount: async (_ctx, id) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
    });
    server = provider.listen(port);
    f = await createFixture();
    sso = {
      issuer,
      clientId: 'schalter',
      clientSecret: 'ein-langes-geheimnis-fuer-den-test',
      mapping: {
        groupsClaim: 'groups',
        roleGroups: { admin: 'schalter-admin', teamlead: 'schalter-teamleitung', clerk: 'schalter-sachbearbeitung' },
        officePrefix: 'schalter-standort-',
        townPrefix: 'schalter-stadt-',
        kreisGroup: 'schalter-kreis',
      },
    };
    app = createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, sso });
  });

  afterAll(async () => {
    server?.close();
    await f?.close();
  });

  /** A browser: our app answers through app.request, the provider over HTTP; each keeps its cookies. */
  async function logIn(accountId: string, options: { abort?: boolean; dropFlowCookie?: boolean } = {}) {
    const ours = new Map<string, string>();
    const theirs = new Map<string, string>();
    const keep = (jar: Map<string, string>, res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = pair!.split('=');
        if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name!);
        else jar.set(name!, value!);
      }
    };
    const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const askOurs = async (path: string) => {
      const res = await app.request(path, { headers: { cookie: header(ours) } });
      keep(ours, res);
      return res;
    };
    let res = await askOurs('/staff/sso');
    expect(res.status).toBe(303);
    if (options.dropFlowCookie) ours.delete('schalter_sso');
    let url = new URL(res.headers.get('location')!);
    for (let step = 0; step < 20; step++) {
      if (url.href.startsWith('http://schalter.test/')) return { res: await askOurs(url.pathname + url.search), cookies: header(ours) };
      res = await fetch(url, { headers: { cookie: header(theirs) }, redirect: 'manual' });
      keep(theirs, res);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url);
        continue;
      }
      // An interaction page of the provider: the login form, then the consent form.
      const html = await res.text();
      const action = new URL(/action="([^"]+)"/.exec(html)![1]!, url);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)![1]!;
      if (options.abort) {
        url = new URL(`${action.pathname}/abort`, url);
        continue;
      }
      const body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'egal' } : { prompt });
      res = await fetch(action, {
        method: 'POST',
        headers: { cookie: header(theirs), 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
      keep(theirs, res);
      url = new URL(res.headers.get('location')!, action);
    }
    throw new Error('the login did not come back to Schalter');
  }

  const account = (email: string) => f.ctx.db.selectFrom('staff_user').selectAll().where('email', '=', email).executeTakeFirst();
  const officesOf = async (userId: string) =>
    (await f.ctx.db.selectFrom('staff_user_office').select('office_id').where('user_id', '=', userId).execute()).map((r) => r.office_id);

  it('offers the button on the login page only where single sign-on is set up', async () => {
    expect(await (await app.request('/staff/login')).text()).toContain('Mit dem Konto der Verwaltung anmelden');
    expect(await (await f.app.request('/staff/login')).text()).not.toContain('Mit dem Konto der Verwaltung anmelden');
    expect((await f.app.request('/staff/sso')).status).toBe(404);
  });

  it('creates the account from the groups and logs the clerk in without a second factor of its own', async () => {
    const { res, cookies } = await logIn('u-weber');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/tagesplan');
    const page = await app.request('/staff/tagesplan', { headers: { cookie: cookies } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('maria.weber@stadt.example');
    const user = (await account('maria.weber@stadt.example'))!;
    expect(user).toMatchObject({ role: 'clerk', oidc_subject: `${sso.issuer} u-weber`, password_hash: '!', totp_secret: null });
    expect(await officesOf(user.id)).toEqual(['test']);
    const created = (await auditRows(f, 'staff_user.create')).find((r) => r.entity_id === user.id)!;
    expect(created.details).toMatchObject({ via: 'sso', role: 'clerk', officeIds: ['test'] });
    // No local password: the password form does not let anyone in with the placeholder.
    const local = await app.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'maria.weber@stadt.example', password: '!' }).toString(),
    });
    expect(local.status).toBe(401);
  });

  it('follows the provider: a new group makes the clerk a team lead at the next login, audited', async () => {
    accounts['u-weber']!.groups = ['schalter-teamleitung', 'schalter-standort-test'];
    const { res } = await logIn('u-weber');
    expect(res.headers.get('location')).toBe('/staff/tagesplan');
    const user = (await account('maria.weber@stadt.example'))!;
    expect(user.role).toBe('teamlead');
    const change = (await auditRows(f, 'staff_user.change')).find((r) => r.entity_id === user.id)!;
    expect(change.details).toMatchObject({ via: 'sso', before: { role: 'clerk' }, after: { role: 'teamlead' } });
  });

  it('links an existing local account by its address; its password keeps working', async () => {
    const { userId } = await addStaff(f, { email: 'lokal@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const { res } = await logIn('u-lokal');
    expect(res.headers.get('location')).toBe('/staff/tagesplan');
    const user = (await account('lokal@stadt.example'))!;
    expect(user.id).toBe(userId);
    expect(user.oidc_subject).toBe(`${sso.issuer} u-lokal`);
    const local = await app.request('/staff/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'lokal@stadt.example', password: STAFF_PASSWORD }).toString(),
    });
    // The password login of a team lead still asks for her own second factor.
    expect(local.headers.get('location')).toBe('/staff/code');
  });

  it('refuses someone the provider gives no Schalter role, in German, and creates nothing', async () => {
    const { res } = await logIn('u-nobody');
    expect(res.headers.get('location')).toBe('/staff/login?sso=no_role');
    const page = await (await app.request('/staff/login?sso=no_role')).text();
    expect(page).toContain('Ihr Konto bei der Verwaltung ist für Schalter nicht freigegeben');
    expect(await account('gast@stadt.example')).toBeUndefined();
  });

  it('refuses a deactivated account although the provider still knows the person', async () => {
    await logIn('u-aus');
    await f.ctx.db.updateTable('staff_user').set({ disabled_at: new Date() }).where('email', '=', 'aus@stadt.example').execute();
    const { res } = await logIn('u-aus');
    expect(res.headers.get('location')).toBe('/staff/login?sso=account_disabled');
  });

  it('does not log in a browser that did not start the login (no flow cookie), nor one that cancelled', async () => {
    const stolen = await logIn('u-weber', { dropFlowCookie: true });
    expect(stolen.res.headers.get('location')).toBe('/staff/login?sso=expired');
    expect(stolen.cookies).not.toContain('schalter_staff');
    const cancelled = await logIn('u-weber', { abort: true });
    expect(cancelled.res.headers.get('location')).toBe('/staff/login?sso=cancelled');
    expect(await (await app.request('/staff/login?sso=cancelled')).text()).toContain('Die Anmeldung wurde abgebrochen.');
  });

  it('refuses a made-up code: the provider does not confirm it', async () => {
    const start = await app.request('/staff/sso');
    const flow = start.headers
      .getSetCookie()
      .find((c) => c.startsWith('schalter_sso='))!
      .split(';')[0]!;
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await app.request(`/staff/sso/zurueck?code=ausgedacht&state=${state}&iss=${encodeURIComponent(sso.issuer)}`, {
      headers: { cookie: flow },
    });
    expect(res.headers.get('location')).toBe('/staff/login?sso=provider_error');
  });
});
