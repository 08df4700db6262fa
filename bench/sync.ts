import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { materializeCapacity } from '../src/app/booking/materialize-capacity.ts';
import { createAppContext } from '../src/app/app-context.ts';
import type { AppContext } from '../src/app/shared/context.ts';
import { seedDemo } from '../src/app/demo/seed-demo.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createHttpApp } from '../src/http/app.ts';
import { openBranchJournal } from '../src/sync/branch-journal.ts';
import { enrollBranch } from '../src/sync/central-apply.ts';
import { startFeedPuller } from '../src/sync/feed-puller.ts';
import { openJournalFile } from '../src/sync/journal-file.ts';
import { databaseSource, startUploader } from '../src/sync/uploader.ts';
import { benchDatabase } from './bench-town.ts';
import { measureResync } from './resync.ts';
import { measureBranchRestart } from './branch-restart.ts';
import { newEntityId } from '../src/app/shared/ids.ts';

/**
 * `npm run bench -- sync [--db postgres|pglite] [--ops 1000]`
 * A fresh branch loads its office (Musterstadt demo, office "rathaus") from the change feed; then it
 * records N walk-ins while cut off and replays them to the central server; 50 branches reconnect after
 * an outage; a branch process is SIGKILLed and started again. Prints one JSON line; the aim is under
 * 5 s for each figure and under 3 s for a restart.
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string', default: 'postgres' }, ops: { type: 'string', default: '1000' } },
  });
  const ops = Number(values.ops);
  const centralDb = await benchDatabase(values.db);
  const opened = await centralDb.open();
  const central = { db: opened.db, close: opened.close };
  await migrateToLatest(central.db);
  const ctx = (db: AppContext['db']): AppContext =>
    createAppContext({
      db,
      now: () => Date.now(),
      randomBytes: (n) => randomBytes(n),
      settings: {
        publicUrl: 'http://bench',
        confirmation: 'none',
        reservationMinutes: 30,
        capacityDays: 21,
        openAppointmentsPerContact: null,
      },
    });
  const centralCtx = ctx(central.db);
  await seedDemo(centralCtx, {});
  await materializeCapacity(centralCtx);
  // The central server applies a branch's operations only in the name of the office's staff (issue 15).
  const clerk = await central.db
    .insertInto('staff_user')
    .values({ email: 'bench@musterstadt.example', display_name: 'Bench', role: 'clerk', password_hash: '!', must_change_password: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  await central.db.insertInto('staff_user_office').values({ user_id: clerk.id, office_id: 'rathaus' }).execute();
  const { branchId, token } = await enrollBranch(centralCtx, { officeId: 'rathaus', actor: 'bench' });
  const app = createHttpApp({ ctx: centralCtx, dbKind: centralDb.kind, rateLimitPerMinute: null, log: () => {} });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const centralUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const branchDb = await openDatabase({ memory: true });
  await migrateToLatest(branchDb.db);
  const branchCtx = ctx(branchDb.db);
  await branchDb.db.insertInto('branch_sync_state').values({ branch_id: branchId, office_id: 'rathaus' }).execute();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-bench-sync-'));
  try {
    const puller = startFeedPuller({ db: branchDb.db, branchId, officeId: 'rathaus', centralUrl, token, intervalMs: 3_600_000 });
    let started = performance.now();
    const records = await puller.pullNow();
    const loadMs = performance.now() - started;
    await puller.stop();

    // Offline: the journal fills (each entry fsync'd), nothing is uploaded yet.
    const file = openJournalFile(path.join(dir, 'journal.log'));
    const journal = await openBranchJournal(branchCtx, { branchId, file });
    const service = await branchDb.db
      .selectFrom('office_service')
      .select('service_id')
      .where('office_id', '=', 'rathaus')
      .orderBy('service_id')
      .executeTakeFirstOrThrow();
    started = performance.now();
    // A day's mix: a walk-in draws a number, is called to a counter and served (three operations each).
    const counters = (await branchDb.db.selectFrom('counter').select('number').where('office_id', '=', 'rathaus').execute()).map(
      (c) => c.number,
    );
    const run = (type: string, payload: Record<string, unknown>) =>
      journal.execute({ type, officeId: 'rathaus', payload, actor: `staff:${clerk.id}`, at: new Date().toISOString() } as never);
    for (let i = 0; i < ops; i += 3) {
      const ticketId = newEntityId(branchCtx);
      const counterNumber = counters[(i / 3) % counters.length]!;
      await run('walkin.issue', { serviceId: service.service_id, ticketId, priority: true });
      if (i + 1 < ops) await run('ticket.call', { ticketId, counterNumber });
      if (i + 2 < ops) await run('ticket.served', { ticketId });
    }
    const recordMs = performance.now() - started;

    started = performance.now();
    const uploader = startUploader({ source: databaseSource(branchDb.db, branchId), centralUrl, branchId, token, idleMs: 10 });
    await uploader.drain(600_000);
    const replayMs = performance.now() - started;
    await uploader.stop();
    file.close();
    const applied = await central.db
      .selectFrom('sync_applied_op')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      JSON.stringify({
        scenario: 'sync',
        db: centralDb.kind,
        freshBranchLoad: { records, ms: Math.round(loadMs) },
        offlineRecording: { ops, ms: Math.round(recordMs), perOpMs: +(recordMs / ops).toFixed(2) },
        replay: { ops, applied: Number(applied.n), ms: Math.round(replayMs), perSecond: Math.round((ops / replayMs) * 1000) },
        // 50 branches reconnecting after a 5 s outage (bench -- resync for other sizes).
        resyncAfterOutage: await measureResync({ branches: 50, entries: 200, outageMs: 5_000 }),
        restartAfterKill: await measureBranchRestart(centralCtx, centralUrl, 'rathaus'),
      }),
    );
  } finally {
    server.close();
    await branchDb.close();
    await central.close();
    await centralDb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
