import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { AppSettings } from '../../src/app/shared/settings.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { enrollBranch } from '../../src/sync/central-apply.ts';
import { startFeedPuller, type FeedPuller } from '../../src/sync/feed-puller.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { addCounters } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';

/** The branch's own database: always embedded, as on the office PC. */
export async function embeddedDb() {
  const database = await openDatabase({ memory: true });
  await migrateToLatest(database.db);
  return database;
}

/** The test town with three counters and room for many walk-ins, on either database. */
export async function officeFixture(
  options: { embedded?: boolean; openDb?: () => Promise<Database>; settings?: Partial<AppSettings> } = {},
): Promise<Fixture> {
  const openDb = options.openDb ?? (options.embedded ? embeddedDb : undefined);
  const f = await createFixture({
    counters: 2,
    poolSize: 8,
    ...(openDb ? { openDb } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  await addCounters(f, 'test', 3);
  await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5000, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
  return f;
}

export type Central = { f: Fixture; url: string; port: number; branchId: string; token: string; close(): Promise<void> };

/** The central server on a loopback port (the test's database: PGlite or PostgreSQL) with one enrolled branch. */
export async function startCentral(options: { settings?: Partial<AppSettings> } = {}): Promise<Central> {
  const f = await officeFixture(options);
  await addBranchClerk(f);
  const { branchId, token } = await enrollBranch(f.ctx, { officeId: 'test', actor: 'test' });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    f,
    url: `http://127.0.0.1:${port}`,
    port,
    branchId,
    token,
    close: async () => {
      await new Promise((resolve) => {
        server.close(resolve);
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await f.close();
    },
  };
}

/** The clerk of office `test` in whose name the tests' branch operations are recorded (the central server applies only the office's staff). */
export const BRANCH_CLERK_ID = '00000000-0000-4000-8000-00000000b0c1';
export const BRANCH_CLERK = `staff:${BRANCH_CLERK_ID}`;

/** Adds the branch clerk to a central database (no password: these tests never log her in). */
export async function addBranchClerk(f: Fixture, officeId = 'test'): Promise<string> {
  await f.ctx.db
    .insertInto('staff_user')
    .values({
      id: BRANCH_CLERK_ID,
      email: 'zweigstelle@test.example',
      display_name: 'Zweigstelle Test',
      role: 'clerk',
      password_hash: '!',
      must_change_password: false,
    })
    .execute();
  await f.ctx.db.insertInto('staff_user_office').values({ user_id: BRANCH_CLERK_ID, office_id: officeId }).execute();
  return BRANCH_CLERK;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Polls `check` until it holds; fails after `timeoutMs` with `what`. Waits on an outcome, never on a fixed delay. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Central rows of one branch in seq order. */
export async function centralOps(central: Central) {
  const rows = await central.f.ctx.db
    .selectFrom('sync_applied_op')
    .select(['op_id', 'seq', 'outcome'])
    .where('branch_id', '=', central.branchId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ opId: r.op_id, seq: Number(r.seq), status: (r.outcome as { status: string }).status }));
}

export type ProxiedBranch = { db: Database; ctx: AppContext; puller: FeedPuller; node: BranchNode; proxy: TcpProxy; stop(): Promise<void> };

/**
 * A branch node of office `test` on its own embedded database, reaching the central server through a
 * TCP proxy the test can cut (`proxy.setMode('drop')`): the feed loaded once, the uploader probing
 * fast, the journal hooked into the counter commands.
 */
export async function startProxiedBranch(central: Central, options: { now: () => number; journalPrefix: string }): Promise<ProxiedBranch> {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: central.port });
  const db = await embeddedDb();
  const ctx: AppContext = {
    ...contextWithDatabase(central.f.ctx, db.db),
    now: options.now,
    settings: { ...central.f.ctx.settings, branchNode: { centralUrl: central.url } },
  };
  await db.db.insertInto('branch_sync_state').values({ branch_id: central.branchId, office_id: 'test' }).execute();
  const puller = startFeedPuller({
    db: db.db,
    branchId: central.branchId,
    officeId: 'test',
    centralUrl: proxy.url,
    token: central.token,
    now: options.now,
    intervalMs: 600_000,
    requestTimeoutMs: 3_000,
  });
  const node = await startBranchNode(ctx, {
    branchId: central.branchId,
    officeId: 'test',
    journalDir: tempDir(options.journalPrefix),
    centralUrl: proxy.url,
    token: central.token,
    uploader: { idleMs: 50, probeMinMs: 10, probeMaxMs: 100, requestTimeoutMs: 3_000 },
  });
  ctx.afterCounterCommand = node.journal.afterApply;
  return {
    db,
    ctx,
    puller,
    node,
    proxy,
    stop: async () => {
      await node.stop();
      await puller.stop();
      await proxy.close();
      await db.close();
    },
  };
}
