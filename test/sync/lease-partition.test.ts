import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import type { Database } from '../../src/db/connection.ts';
import { formatReference } from '../../src/domain/reference.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { startFeedPuller, type FeedPuller } from '../../src/sync/feed-puller.ts';
import { fixedClock } from '../helpers/fixture.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { BRANCH_CLERK, centralOps, embeddedDb, startCentral, tempDir, until, type Central } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Issue #6, test 5: during a partition the central server books up to its last seat while the branch
// gives walk-in slots from its lease. After the line heals no capacity unit is overbooked in either
// pool, every branch operation is applied exactly once, and the slot given beyond the lease stands
// (the citizen was served) as a Klärfall.

const DAY = '2026-11-25';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+01:00`);
// 10:00–11:00: twelve units, two counters each; half of the day's seats leased (one per unit).
const HOUR_STARTS = Array.from({ length: 6 }, (_, i) => at('10:00') + i * 10 * 60_000);

describe(`branch lease under a partition (central on ${testDbKind})`, () => {
  let central: Central;
  let branchDb: Database;
  let branchCtx: AppContext;
  let proxy: TcpProxy;
  let puller: FeedPuller;
  let node: BranchNode;
  const branchClock = fixedClock(at('08:00'));

  beforeAll(async () => {
    central = await startCentral({ settings: { branchLeaseShare: 0.5 } });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: central.port });
    branchDb = await embeddedDb();
    branchCtx = { ...contextWithDatabase(central.f.ctx, branchDb.db), now: branchClock.now };
    await branchDb.db.insertInto('branch_sync_state').values({ branch_id: central.branchId, office_id: 'test' }).execute();
    puller = startFeedPuller({
      db: branchDb.db,
      branchId: central.branchId,
      officeId: 'test',
      centralUrl: proxy.url,
      token: central.token,
      now: branchClock.now,
      intervalMs: 600_000,
      requestTimeoutMs: 3_000,
    });
    await puller.pullNow();
    node = await startBranchNode(branchCtx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-lease-'),
      centralUrl: proxy.url,
      token: central.token,
      uploader: { idleMs: 50, batchSize: 5, probeMinMs: 10, probeMaxMs: 100, requestTimeoutMs: 3_000 },
    });
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await puller?.stop();
    await proxy?.close();
    await branchDb?.close();
    await central?.close();
  });

  const units = (db: Database['db']) =>
    db
      .selectFrom('capacity_unit')
      .select(['starts_at', 'capacity', 'load', 'leased', 'lease_load'])
      .where('office_id', '=', 'test')
      .where('starts_at', '>=', new Date(at('10:00')))
      .where('starts_at', '<', new Date(at('11:00')))
      .orderBy('starts_at')
      .execute();

  const bookCentrally = (start: number) =>
    bookAppointment(central.f.ctx, {
      officeId: 'test',
      start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Zentral Gebucht', phone: '0201 123456' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'test',
    });

  const bookAtBranch = (start: number) =>
    node.journal.execute({
      type: 'walkin.book_slot',
      officeId: 'test',
      payload: {
        appointmentId: newEntityId(branchCtx),
        reference: formatReference(branchCtx.randomBytes(6)),
        serviceId: 'short',
        startsAt: new Date(start).toISOString(),
      },
      actor: BRANCH_CLERK,
      at: new Date(branchClock.now()).toISOString(),
    });

  it('the branch learns its lease from the change feed', async () => {
    const local = await units(branchDb.db);
    expect(local).toHaveLength(12);
    expect(local.every((u) => u.capacity === 2 && u.leased === 1 && u.load === 0)).toBe(true);
    const feed = await branchDb.db.selectFrom('branch_sync_state').select('feed_position').executeTakeFirstOrThrow();
    expect(feed.feed_position).toBe(`c:${/^c:(\d+)/.exec(feed.feed_position)![1]}:${DAY}`);
  });

  it(
    'central books to its last seat while the branch uses its lease; after the heal nothing is overbooked',
    { timeout: 90_000 },
    async () => {
      proxy.setMode('drop');

      // Interleaved, as it happens: a phone booking centrally, a walk-in slot at the branch, per 10 minutes.
      const outcomes = [];
      for (const start of HOUR_STARTS) {
        await bookCentrally(start);
        branchClock.advance(60_000);
        outcomes.push(await bookAtBranch(start));
      }
      expect(outcomes.every((o) => o.walkinSlot?.withinLease === true)).toBe(true);

      // The central pool is full although every unit still has a (leased) seat: no central channel gets it.
      const centralUnits = await units(central.f.ctx.db);
      expect(centralUnits.every((u) => u.load === 1 && u.capacity === 2 && u.leased === 1)).toBe(true);
      await expect(bookCentrally(at('10:20'))).rejects.toMatchObject({ code: 'slot_unavailable' });

      // The branch's lease is used up too; one more walk-in still gets a slot, flagged beyond the lease.
      branchClock.advance(60_000);
      const beyond = await bookAtBranch(at('10:20'));
      expect(beyond.walkinSlot).toMatchObject({ withinLease: false });
      expect((await units(branchDb.db)).every((u) => u.lease_load === 1 && u.load <= u.capacity)).toBe(true);
      await until('an upload failing while cut off', async () => (await node.uploader.status()).failures > 0);
      expect((await node.banner()).emergency).toBe(true);

      proxy.setMode('pass');
      await node.uploader.drain(60_000);

      const journal = await branchDb.db.selectFrom('branch_journal').select(['op_id', 'seq']).orderBy('seq').execute();
      const applied = await centralOps(central);
      expect(applied.map((a) => a.opId)).toEqual(journal.map((j) => j.op_id));
      expect(new Set(applied.map((a) => a.opId)).size).toBe(7);
      expect(applied.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'conflict']);

      // Both pools are exactly full, neither beyond: load <= capacity, the central pool within capacity - leased.
      const after = await units(central.f.ctx.db);
      for (const u of after) {
        expect(u.load).toBeLessThanOrEqual(u.capacity);
        expect(u.lease_load).toBeLessThanOrEqual(u.leased);
        expect(u.load - u.lease_load).toBeLessThanOrEqual(u.capacity - u.leased);
      }
      expect(after.map((u) => u.load)).toEqual(Array(12).fill(2));
      expect(await central.f.ctx.db.selectFrom('lease_booking').select(['within_lease']).orderBy('booked_at').execute()).toEqual([
        ...Array(6).fill({ within_lease: true }),
        { within_lease: false },
      ]);
      expect(
        await central.f.ctx.db
          .selectFrom('appointment')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('source', '=', 'counter')
          .executeTakeFirstOrThrow(),
      ).toEqual({ n: '7' });

      const items = await central.f.ctx.db.selectFrom('sync_work_item').select(['kind', 'message', 'op_id']).execute();
      expect(items).toEqual([
        {
          kind: 'lease_exceeded',
          message: expect.stringContaining('über das Kontingent der Zweigstelle hinaus'),
          op_id: journal[6]!.op_id,
        },
      ]);

      // Sent again (a lost answer): the same outcomes, nothing applied twice.
      const resent = await central.f.app.request(`/api/v1/sync/branches/${central.branchId}/journal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${central.token}` },
        body: JSON.stringify({
          entries: (
            await branchDb.db.selectFrom('branch_journal').select(['op_id', 'branch_id', 'seq', 'hlc', 'command']).orderBy('seq').execute()
          ).map((r) => ({ opId: r.op_id, branchId: r.branch_id, seq: Number(r.seq), hlc: r.hlc, command: r.command })),
        }),
      });
      expect(resent.status).toBe(200);
      expect(((await resent.json()) as { results: { status: string }[] }).results.every((r) => r.status === 'duplicate')).toBe(true);
      expect((await units(central.f.ctx.db)).map((u) => u.load)).toEqual(Array(12).fill(2));

      // A later feed page (the central plan has not changed) leaves the branch's own lease use standing.
      await puller.pullNow();
      const local = await units(branchDb.db);
      expect(local.map((u) => [u.leased, u.lease_load])).toEqual(Array(12).fill([1, 1]));
    },
  );

  it('a changed plan comes down the feed, and a new day brings the window’s plan once more', { timeout: 60_000 }, async () => {
    const friday = new Date('2026-11-27T09:00:00+01:00');
    const leasedAt = async (db: Database['db'], at: Date) =>
      (await db.selectFrom('capacity_unit').select('leased').where('office_id', '=', 'test').where('starts_at', '=', at).executeTakeFirst())
        ?.leased;
    expect(await leasedAt(branchDb.db, friday)).toBe(1);
    // The lease of one unit changes centrally (as a new share or plan would do it).
    await central.f.ctx.db
      .updateTable('capacity_unit')
      .set({ leased: 2 })
      .where('office_id', '=', 'test')
      .where('starts_at', '=', friday)
      .execute();
    await puller.pullNow();
    expect(await leasedAt(branchDb.db, friday)).toBe(2);

    // Monday is beyond Wednesday's window (Wed–Sun); on Thursday the window reaches it.
    const monday = new Date('2026-11-30T09:00:00+01:00');
    expect(await leasedAt(branchDb.db, monday)).toBeUndefined();
    central.f.clock.set(Date.parse('2026-11-26T07:30:00+01:00'));
    expect(await puller.pullNow()).toBeGreaterThan(0);
    expect(await leasedAt(branchDb.db, monday)).toBe(1);
    const feed = await branchDb.db.selectFrom('branch_sync_state').select('feed_position').executeTakeFirstOrThrow();
    expect(feed.feed_position).toMatch(/^c:\d+:2026-11-26$/);
    // Read once per day only: the next pull brings nothing new.
    expect(await puller.pullNow()).toBe(0);
  });
});
