import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { createStaffUser } from '../../src/app/staff/staff-accounts.ts';
import { verifyPassword } from '../../src/app/staff/staff-secrets.ts';
import type { Database } from '../../src/db/connection.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { enrollBranch, revokeBranch } from '../../src/sync/central-apply.ts';
import type { FeedPage } from '../../src/sync/change-feed.ts';
import { feedUrl, startFeedPuller, type FeedPuller } from '../../src/sync/feed-puller.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, STAFF_BRANCH_PIN, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { embeddedDb, startCentral, tempDir, type Central } from './sync-fixture.ts';

// Issue 15, item 1 (docs/decisions/0009-branch-credentials.md): the change feed used to hand every
// branch the argon2 password hash and the TOTP secret of every admin of the town and every person of
// the office. Now a branch learns only who works at its office and the hash of their branch PIN, a
// secret chosen centrally that the central login never accepts. The morning the central server is
// gone, a clerk still logs in at the office PC with it, and what she does arrives centrally in her
// name, through the branch.

const NEW_PASSWORD = 'Kaffee am Schalter um sieben';
const CLERK_PIN = '583920';

describe(`branch credentials (central on ${testDbKind})`, () => {
  let central: Central;
  let proxy: TcpProxy;
  let branchDb: Database;
  let branchCtx: AppContext;
  let puller: FeedPuller;
  let node: BranchNode;
  let branch: Fixture;
  let clerk: { userId: string; oneTimePassword: string };

  beforeAll(async () => {
    central = await startCentral();
    await addOfficeNord(central.f);
    await addStaff(central.f, { email: 'admin@stadt.example', role: 'admin', officeIds: [] });
    await addStaff(central.f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    await addStaff(central.f, { email: 'nord@stadt.example', role: 'teamlead', officeIds: ['nord'] });
    const created = await createStaffUser(central.f.ctx, { email: 'neu@stadt.example', role: 'clerk', officeIds: ['test'], actor: 'test' });
    clerk = { userId: created.userId, oneTimePassword: created.oneTimePassword! };

    proxy = await startTcpProxy({ host: '127.0.0.1', port: central.port });
    branchDb = await embeddedDb();
    branchCtx = {
      ...contextWithDatabase(central.f.ctx, branchDb.db),
      settings: { ...central.f.ctx.settings, branchNode: { centralUrl: central.url } },
    };
    await branchDb.db.insertInto('branch_sync_state').values({ branch_id: central.branchId, office_id: 'test' }).execute();
    puller = startFeedPuller({
      db: branchDb.db,
      branchId: central.branchId,
      officeId: 'test',
      centralUrl: proxy.url,
      token: central.token,
      now: branchCtx.now,
      intervalMs: 600_000,
      requestTimeoutMs: 3_000,
    });
    node = await startBranchNode(branchCtx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-credentials-'),
      centralUrl: proxy.url,
      token: central.token,
      uploader: { idleMs: 50, probeMinMs: 10, probeMaxMs: 100, requestTimeoutMs: 3_000 },
    });
    // As `schalter serve --role branch` wires it (src/sync/branch-role.ts, src/serve.ts).
    branchCtx.afterCounterCommand = node.journal.afterApply;
    const app = createHttpApp({
      ctx: branchCtx,
      dbKind: 'pglite',
      rateLimitPerMinute: null,
      log: () => {},
      branchStatus: () => node.banner(),
    });
    branch = { app } as unknown as Fixture;
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await puller?.stop();
    await proxy?.close();
    await branchDb?.close();
    await central?.close();
  });

  const login = (f: Fixture, email: string, password: string) => new StaffBrowser(f).post('/staff/login', { email, password });
  const opens = async (f: Fixture, email: string, password: string) => (await login(f, email, password)).status === 303;

  it('the first central login of a clerk of an office with a branch ends with choosing a branch PIN', async () => {
    const b = new StaffBrowser(central.f);
    await b.post('/staff/login', { email: 'neu@stadt.example', password: clerk.oneTimePassword });
    await b.page('/staff/passwort');
    expect(
      (await b.post('/staff/passwort', { current: clerk.oneTimePassword, new: NEW_PASSWORD, repeat: NEW_PASSWORD })).headers.get(
        'location',
      ),
    ).toBe('/staff');
    expect((await b.get('/staff')).headers.get('location')).toBe('/staff/zweigstellen-pin');
    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/zweigstellen-pin');

    const form = await b.page('/staff/zweigstellen-pin');
    expect(form.html).toContain('PIN für die Zweigstelle festlegen');
    const simple = await b.post('/staff/zweigstellen-pin', { password: NEW_PASSWORD, pin: '123456', repeat: '123456' });
    expect(simple.status).toBe(422);
    expect(await simple.text()).toContain('keine Folge wie 123456');
    const wrongPassword = await b.post('/staff/zweigstellen-pin', { password: 'nicht mein Passwort', pin: CLERK_PIN, repeat: CLERK_PIN });
    expect(wrongPassword.status).toBe(422);
    const saved = await b.post('/staff/zweigstellen-pin', { password: NEW_PASSWORD, pin: CLERK_PIN, repeat: CLERK_PIN });
    expect(saved.headers.get('location')).toBe('/staff');
    expect((await b.page('/staff/tagesplan')).status).toBe(200);
  });

  it('the change feed of the office carries no password hash, no TOTP secret, and nobody who does not work there', async () => {
    const records: FeedPage['records'] = [];
    let since = '0';
    for (let more = true; more;) {
      const res = await fetch(feedUrl(central.url, 'test', since), { headers: { authorization: `Bearer ${central.token}` } });
      const page = (await res.json()) as FeedPage;
      records.push(...page.records);
      ({ next: since, hasMore: more } = page);
    }
    // Whatever the entity is called: the records that describe people.
    const people = records.filter((r) => r.data && 'display_name' in r.data).map((r) => r.data!);
    expect(people.map((p) => p.email).sort()).toEqual(['leitung@stadt.example', 'neu@stadt.example', 'zweigstelle@test.example']);
    const secrets = await central.f.ctx.db.selectFrom('staff_user').select(['password_hash', 'totp_secret']).execute();
    const text = JSON.stringify(records);
    for (const s of secrets) {
      expect(text).not.toContain(s.password_hash);
      if (s.totp_secret) expect(text).not.toContain(s.totp_secret);
    }
    for (const p of people) {
      expect(p).not.toHaveProperty('password_hash');
      expect(p).not.toHaveProperty('totp_secret');
    }
  });

  it('after a sync the branch database holds no central password hash and no TOTP secret', async () => {
    await puller.pullNow();
    const local = await branchDb.db
      .selectFrom('staff_user')
      .select(['email', 'role', 'password_hash', 'totp_secret', 'disabled_at'])
      .orderBy('email')
      .execute();
    expect(local.map((u) => u.email)).toEqual(['leitung@stadt.example', 'neu@stadt.example', 'zweigstelle@test.example']);
    const centralHashes = (await central.f.ctx.db.selectFrom('staff_user').select('password_hash').execute()).map((u) => u.password_hash);
    for (const u of local) {
      expect(u.totp_secret).toBeNull();
      expect(centralHashes).not.toContain(u.password_hash);
      for (const password of [STAFF_PASSWORD, NEW_PASSWORD]) expect(await verifyPassword(u.password_hash, password)).toBe(false);
    }
    expect(local.map((u) => u.role)).toEqual(['teamlead', 'clerk', 'clerk']);
  });

  it('what opens the office PC does not open the central server', async () => {
    for (const [email, candidates] of [
      ['neu@stadt.example', [NEW_PASSWORD, CLERK_PIN]],
      ['leitung@stadt.example', [STAFF_PASSWORD, STAFF_BRANCH_PIN]],
    ] as const) {
      const atBranch = [];
      for (const secret of candidates) if (await opens(branch, email, secret)) atBranch.push(secret);
      expect(atBranch, email).toHaveLength(1);
      expect(await opens(central.f, email, atBranch[0]!), email).toBe(false);
    }
    const page = await new StaffBrowser(branch).page('/staff/login');
    expect(page.html).toContain('PIN für die Zweigstelle');
    expect(page.html).toContain(`${central.url}/staff/zweigstellen-pin`);
  });

  it(
    'with the central server gone, the clerk logs in at the office PC and works; it arrives in her name, through the branch',
    { timeout: 60_000 },
    async () => {
      proxy.setMode('drop');
      const b = new StaffBrowser(branch);
      const res = await b.post('/staff/login', { email: 'neu@stadt.example', password: CLERK_PIN });
      expect(res.headers.get('location')).toBe('/staff/tagesplan');
      await b.page('/staff/schalter/1');
      expect((await b.post('/staff/schalter/1/oeffnen', {})).status).toBe(303);
      const journal = await branchDb.db.selectFrom('branch_journal').select(['type', 'command']).execute();
      expect(journal.map((j) => [j.type, (j.command as { actor: string }).actor])).toEqual([['counter.open', `staff:${clerk.userId}`]]);
      // Neither PIN nor password can be changed here: the next feed page would undo it.
      expect((await b.post('/staff/passwort', { current: CLERK_PIN, new: NEW_PASSWORD, repeat: NEW_PASSWORD })).status).toBe(403);

      proxy.setMode('pass');
      await node.uploader.drain(30_000);
      const audit = await central.f.ctx.db
        .selectFrom('audit_log')
        .select(['actor', 'branch_id'])
        .where('action', '=', 'counter.open')
        .execute();
      expect(audit).toEqual([{ actor: `staff:${clerk.userId}`, branch_id: central.branchId }]);
    },
  );

  it('a team lead logs in at the office PC with the PIN alone and pairs a kiosk there', async () => {
    const b = new StaffBrowser(branch);
    const res = await b.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_BRANCH_PIN });
    expect(res.headers.get('location')).toBe('/staff/tagesplan');
    expect((await b.page('/staff/geraete')).status).toBe(200);
  });

  it('revoking the branch of a stolen office PC voids its token and the PINs it held; a new branch asks for new ones', async () => {
    const { clearedPins } = await revokeBranch(central.f.ctx, { branchId: central.branchId, actor: 'test' });
    expect(clearedPins).toBe(2);
    const feed = await fetch(feedUrl(central.url, 'test', '0'), { headers: { authorization: `Bearer ${central.token}` } });
    expect(feed.status).toBe(401);

    await enrollBranch(central.f.ctx, { officeId: 'test', actor: 'test' });
    const b = new StaffBrowser(central.f);
    await b.post('/staff/login', { email: 'neu@stadt.example', password: NEW_PASSWORD });
    expect((await b.get('/staff')).headers.get('location')).toBe('/staff/zweigstellen-pin');
  });
});
