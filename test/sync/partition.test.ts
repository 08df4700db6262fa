import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { startTcpProxy, type ProxyMode, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { officeDay } from './office-day-driver.ts';
import { BRANCH_CLERK, centralOps, officeFixture, startCentral, tempDir, until, type Central } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Invariant 4: an operation recorded at a branch is applied centrally exactly once, however often it
// is sent, and none is lost. The line to the central server is cut in every way a TCP proxy can cut it.

describe(`branch journal over a broken line (central on ${testDbKind})`, () => {
  let central: Central;
  let branch: Fixture;
  let proxy: TcpProxy;
  let node: BranchNode;

  beforeAll(async () => {
    central = await startCentral();
    branch = await officeFixture({ embedded: true });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: central.port });
    node = await startBranchNode(branch.ctx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-journal-'),
      centralUrl: proxy.url,
      token: central.token,
      uploader: { idleMs: 50, batchSize: 20, probeMinMs: 10, probeMaxMs: 100, requestTimeoutMs: 3_000 },
    });
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await proxy?.close();
    await central?.close();
    await branch?.close();
  });

  const journalled = async () =>
    (await branch.ctx.db.selectFrom('branch_journal').select(['op_id', 'seq']).orderBy('seq').execute()).map((r) => ({
      opId: r.op_id,
      seq: Number(r.seq),
    }));

  it('300 operations through drops, resets and lost answers arrive exactly once, in order', { timeout: 120_000 }, async () => {
    const step = officeDay(branch, (command) => node.journal.execute(command));
    const phases: [ProxyMode, number][] = [
      ['pass', 40],
      ['drop', 60],
      ['pass', 30],
      ['reset', 60],
      ['lose_response', 50],
      ['drop', 30],
      ['pass', 30],
    ];
    let done = 0;
    for (const [mode, count] of phases) {
      proxy.setMode(mode);
      const failuresBefore = (await node.uploader.status()).failures;
      const target = done + count;
      while ((await journalled()).length < target) await step();
      done = target;
      // The cut must really have hit an upload before the line comes back (waits for an outcome, not a time).
      if (mode === 'drop' || mode === 'reset')
        await until(`an upload failing in ${mode}`, async () => (await node.uploader.status()).failures > failuresBefore);
      if (mode !== 'pass') expect((await node.banner()).emergency).toBe(true);
    }
    expect(done).toBe(300);

    proxy.setMode('pass');
    await node.uploader.drain(60_000);
    const banner = await node.banner();
    expect(banner).toMatchObject({ emergency: false, unsynced: 0 });

    const local = await journalled();
    const applied = await centralOps(central);
    expect(applied.map((a) => a.seq)).toEqual(local.map((l) => l.seq));
    expect(applied.map((a) => a.opId)).toEqual(local.map((l) => l.opId));
    expect(new Set(applied.map((a) => a.opId)).size).toBe(300);
    expect(applied.every((a) => a.status === 'applied')).toBe(true);

    // Same commands in the same order: the central office day looks exactly like the branch's.
    const tickets = async (f: Fixture) =>
      f.ctx.db.selectFrom('ticket').select(['id', 'label', 'state', 'counter_number', 'called_at', 'finished_at']).orderBy('id').execute();
    expect(await tickets(central.f)).toEqual(await tickets(branch));
    const payments = async (f: Fixture) =>
      f.ctx.db.selectFrom('counter_payment').select(['id', 'amount_cents', 'ticket_id']).orderBy('id').execute();
    expect(await payments(central.f)).toEqual(await payments(branch));
    expect(await central.f.ctx.db.selectFrom('sync_work_item').selectAll().execute()).toEqual([]);
  });

  it('answers lost after the central commit are sent again and deduplicated by op id', { timeout: 60_000 }, async () => {
    const before = (await centralOps(central)).length;
    const duplicatesBefore = (await node.uploader.status()).duplicates;
    proxy.setMode('lose_response');
    const start = (await journalled()).length;
    for (let i = 0; i < 5; i++) {
      branch.clock.advance(60_000);
      const at = new Date(branch.clock.now()).toISOString();
      await node.journal.execute({
        type: 'walkin.issue',
        officeId: 'test',
        payload: { serviceId: 'short', ticketId: newEntityId(branch.ctx) },
        actor: BRANCH_CLERK,
        at,
      });
    }
    // The central server has applied all five, the branch has heard of none.
    await until('central applied the five', async () => (await centralOps(central)).length === before + 5);
    const acked = await branch.ctx.db.selectFrom('branch_sync_state').select('acked_seq').executeTakeFirstOrThrow();
    expect(Number(acked.acked_seq)).toBeLessThan(start + 5);

    proxy.setMode('pass');
    await node.uploader.drain(30_000);
    const applied = await centralOps(central);
    expect(applied).toHaveLength(before + 5);
    expect(new Set(applied.map((a) => a.opId)).size).toBe(applied.length);
    expect((await node.uploader.status()).duplicates).toBeGreaterThan(duplicatesBefore);
  });
});
