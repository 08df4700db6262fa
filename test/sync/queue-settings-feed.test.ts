import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import type { Database } from '../../src/db/connection.ts';
import { createHttpApp } from '../../src/http/app.ts';
import type { BranchNode } from '../../src/sync/branch-node.ts';
import type { FeedPuller } from '../../src/sync/feed-puller.ts';
import { bookConfirmed } from '../helpers/counter.ts';
import { fixedClock, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_BRANCH_PIN } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { BRANCH_CLERK, centralOps, startCentral, startProxiedBranch, until, type Central } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Issue #18, item 1, the story: the team lead sets a walk-in quota of 3 and a wider check-in window
// on the central server. Before the queue settings were in the change feed, the branch went on with
// its own defaults: it gave 5 walk-in tickets, the central server counted 3 on replay and opened two
// Klärfälle, and the branch refused check-ins the team lead's window allowed. Now the branch works by
// the team lead's rules, also cut off, and the replay agrees with every one of its decisions.

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);
const SETTINGS = { walkinQuota: 3, walkinMinutes: 15, checkinEarlyMinutes: 90, checkinLateMinutes: 15 };

describe(`queue settings set centrally hold at the branch, also cut off (central on ${testDbKind})`, () => {
  let central: Central;
  let proxy: TcpProxy;
  let branchDb: Database;
  let branchCtx: AppContext;
  let puller: FeedPuller;
  let node: BranchNode;
  let teamlead: string;
  const branchClock = fixedClock(at('08:00'));

  beforeAll(async () => {
    central = await startCentral();
    teamlead = await addToken(central.f, { role: 'teamlead', officeIds: ['test'] });
    await addStaff(central.f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const branch = await startProxiedBranch(central, { now: branchClock.now, journalPrefix: 'schalter-queue-settings-' });
    ({ proxy, ctx: branchCtx, puller, node } = branch);
    branchDb = branch.db;
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await puller?.stop();
    await proxy?.close();
    await branchDb?.close();
    await central?.close();
  });

  const putCentrally = (settings: typeof SETTINGS) =>
    central.f.app.request('/api/v1/staff/offices/test/queue-settings', {
      method: 'PUT',
      headers: { ...bearer(teamlead), 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
  const atBranch = <T extends CounterCommand['type']>(type: T, payload: Extract<CounterCommand, { type: T }>['payload']) =>
    node.journal.execute({
      type,
      officeId: 'test',
      payload,
      actor: BRANCH_CLERK,
      at: new Date(branchClock.now()).toISOString(),
    } as CounterCommand);
  const walkin = () => {
    branchClock.advance(60_000);
    return atBranch('walkin.issue', { serviceId: 'short', ticketId: newEntityId(branchCtx) });
  };
  const localSettings = () =>
    branchDb.db
      .selectFrom('office_queue_settings')
      .select(['walkin_quota', 'checkin_early_minutes', 'checkin_late_minutes'])
      .where('office_id', '=', 'test')
      .executeTakeFirst();

  it(
    'walk-in quota 3 and a 90-minute check-in window set centrally: cut off, the branch gives three tickets, refuses the fourth, checks in 80 minutes early; the replay opens no Klärfall',
    { timeout: 90_000 },
    async () => {
      const appointment = await bookConfirmed(central.f, '2026-11-25T09:20:00+01:00', { name: 'Frühe Kundin' });
      expect((await putCentrally(SETTINGS)).status).toBe(200);
      await puller.pullNow();
      expect(await localSettings()).toEqual({ walkin_quota: 3, checkin_early_minutes: 90, checkin_late_minutes: 15 });

      // The central server dies (every connection to it dropped); the office goes on.
      proxy.setMode('drop');
      const labels = [];
      for (let i = 0; i < 3; i++) labels.push((await walkin()).ticket?.label);
      expect(labels).toEqual(['S-001', 'S-002', 'S-003']);
      await expect(walkin()).rejects.toMatchObject({ code: 'walkin_quota_exhausted', details: { quota: 3 } });
      // 08:03 for a 09:20 appointment: outside the default 30 minutes, inside the team lead's 90.
      const checkIn = await atBranch('appointment.check_in', { reference: appointment.reference, ticketId: newEntityId(branchCtx) });
      expect(checkIn.ticket?.label).toBe('T-001');
      await until('an upload failing while cut off', async () => (await node.uploader.status()).failures > 0);
      expect(await node.banner()).toMatchObject({ emergency: true, unsynced: 4 });

      proxy.setMode('pass');
      await node.uploader.drain(60_000);
      expect((await centralOps(central)).map((o) => o.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      expect(await central.f.ctx.db.selectFrom('sync_work_item').selectAll().execute()).toEqual([]);
      const walkins = await central.f.ctx.db.selectFrom('ticket').select('label').where('kind', '=', 'walkin').orderBy('label').execute();
      expect(walkins.map((t) => t.label)).toEqual(labels);
      expect(await central.f.ctx.db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirst()).toEqual(
        { status: 'checked_in' },
      );
    },
  );

  it(
    'a change of the settings arrives with the next page; removed centrally, both sides follow the staffing plan again',
    { timeout: 60_000 },
    async () => {
      expect((await putCentrally({ ...SETTINGS, walkinQuota: 5, checkinLateMinutes: 5 })).status).toBe(200);
      expect(await puller.pullNow()).toBeGreaterThanOrEqual(1);
      expect(await localSettings()).toEqual({ walkin_quota: 5, checkin_early_minutes: 90, checkin_late_minutes: 5 });
      await central.f.ctx.db.deleteFrom('office_queue_settings').where('office_id', '=', 'test').execute();
      await puller.pullNow();
      expect(await localSettings()).toBeUndefined();
    },
  );

  it('the branch does not change them itself: the central server replays by its own settings', async () => {
    const branch = {
      app: createHttpApp({ ctx: branchCtx, dbKind: 'pglite', rateLimitPerMinute: null, log: () => {} }),
    } as unknown as Fixture;
    const lead = new StaffBrowser(branch);
    expect((await lead.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_BRANCH_PIN })).status).toBe(303);
    await lead.page('/staff/schalter');
    const res = await lead.putJson('/api/v1/staff/offices/test/queue-settings', SETTINGS, { 'x-csrf-token': lead.csrf! });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'set_centrally' } });
    expect(await localSettings()).toBeUndefined();
  });

  it('a Klärfall says Notbetrieb only when the branch was cut off', { timeout: 90_000 }, async () => {
    expect((await putCentrally({ ...SETTINGS, walkinQuota: 10 })).status).toBe(200);
    await puller.pullNow();
    // The team lead lowers the quota to the three already given; the branch has not pulled it yet.
    expect((await putCentrally(SETTINGS)).status).toBe(200);
    const journalBefore = Number(
      (
        await branchDb.db
          .selectFrom('branch_journal')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirstOrThrow()
      ).seq,
    );
    await until('the branch in contact with the central server', () => !node.uploader.isCutOff());
    await walkin();
    await node.uploader.drain(30_000);
    proxy.setMode('drop');
    await until('the branch cut off', () => node.uploader.isCutOff());
    await walkin();
    proxy.setMode('pass');
    await node.uploader.drain(60_000);

    const recorded = await branchDb.db
      .selectFrom('branch_journal')
      .select('cut_off')
      .where('seq', '>', String(journalBefore))
      .orderBy('seq')
      .execute();
    expect(recorded).toEqual([{ cut_off: false }, { cut_off: true }]);
    const items = await central.f.ctx.db.selectFrom('sync_work_item').select(['kind', 'message']).orderBy('created_at').execute();
    expect(items.map((i) => i.kind)).toEqual(['walkin_quota_exhausted', 'walkin_quota_exhausted']);
    expect(items[0]!.message).toMatch(/^Spontankunde angenommen am Standort um \d\d:\d\d \(mit Verbindung zur Zentrale\); zentral um/);
    expect(items[1]!.message).toMatch(/^Spontankunde angenommen am Standort um \d\d:\d\d \(Notbetrieb\); zentral um/);
  });
});
