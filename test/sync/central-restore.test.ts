import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { serve, type ServerType } from '@hono/node-server';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import type { Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { enrollBranch } from '../../src/sync/central-apply.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { addBranchClerk, BRANCH_CLERK, officeFixture, tempDir, until } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// The Kreis data centre restores the central database from last night's backup: everything the
// branch sent after the backup is gone centrally. The branch sees the high-water mark go back,
// sends those entries again, and both ends end up with the same office day.
// (The central server runs on PGlite here on both test databases: its dump is the backup.)

async function pgliteDatabase(pglite: PGlite): Promise<Database> {
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'pglite', close: async () => void (await db.destroy(), await pglite.close()) };
}

async function listen(f: Fixture | { ctx: Fixture['ctx']; database: Database }): Promise<{ server: ServerType; port: number }> {
  const app = createHttpApp({ ctx: f.ctx, dbKind: 'pglite', rateLimitPerMinute: null, log: () => {} });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: ServerType) =>
  new Promise((resolve) => {
    server.close(resolve);
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  });

describe('central server restored from an older backup', () => {
  let central: Fixture;
  let restored: Database | null = null;
  let branch: Fixture;
  let proxy: TcpProxy;
  let node: BranchNode;
  const servers: ServerType[] = [];
  let pglite: PGlite;

  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    central = await officeFixture({
      openDb: async () => {
        const database = await pgliteDatabase(pglite);
        await migrateToLatest(database.db);
        return database;
      },
    });
    await addBranchClerk(central);
    const enrolled = await enrollBranch(central.ctx, { officeId: 'test', actor: 'test' });
    const { server, port } = await listen(central);
    servers.push(server);
    proxy = await startTcpProxy({ host: '127.0.0.1', port });
    branch = await officeFixture({ embedded: true });
    node = await startBranchNode(branch.ctx, {
      branchId: enrolled.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-restore-'),
      centralUrl: proxy.url,
      token: enrolled.token,
      uploader: { idleMs: 50, batchSize: 20, probeMinMs: 10, probeMaxMs: 100, requestTimeoutMs: 3_000 },
    });
  }, 180_000);

  afterAll(async () => {
    await node?.stop();
    await proxy?.close();
    for (const s of servers) await close(s);
    await branch?.close();
    await restored?.close();
    await central?.close().catch(() => {});
  });

  const walkins = async (n: number) => {
    for (let i = 0; i < n; i++) {
      branch.clock.advance(60_000);
      await node.journal.execute({
        type: 'walkin.issue',
        officeId: 'test',
        payload: { serviceId: 'short', ticketId: newEntityId(branch.ctx) },
        actor: BRANCH_CLERK,
        at: new Date(branch.clock.now()).toISOString(),
      });
    }
  };
  const tickets = (db: Kysely<DB>) => db.selectFrom('ticket').select(['id', 'label', 'state']).orderBy('id').execute();

  it('the branch sends again what the restored central server lost, and the two converge', { timeout: 120_000 }, async () => {
    await walkins(20);
    await node.uploader.drain(30_000);
    const backup = await pglite.dumpDataDir('none'); // last night's backup: 20 entries
    await walkins(30);
    await node.uploader.drain(30_000);
    expect(Number((await central.ctx.db.selectFrom('sync_branch').select('high_water').executeTakeFirstOrThrow()).high_water)).toBe(50);

    // The data centre loses the database and restores the backup on a new server behind the same address.
    await close(servers[0]!);
    const fresh = await PGlite.create({ loadDataDir: backup });
    restored = await pgliteDatabase(fresh);
    const restoredCtx = contextWithDatabase(central.ctx, restored.db);
    expect(Number((await restored.db.selectFrom('sync_branch').select('high_water').executeTakeFirstOrThrow()).high_water)).toBe(20);
    const { server, port } = await listen({ ctx: restoredCtx, database: restored });
    servers.push(server);
    proxy.retarget({ host: '127.0.0.1', port });

    await until('the branch noticed the central server went back', async () => (await node.uploader.status()).rewinds > 0, 30_000);
    await node.uploader.drain(30_000);
    const applied = await restored.db.selectFrom('sync_applied_op').select(['seq', 'op_id']).orderBy('seq').execute();
    const local = await branch.ctx.db.selectFrom('branch_journal').select(['seq', 'op_id']).orderBy('seq').execute();
    expect(applied).toEqual(local);
    expect(await tickets(restored.db)).toEqual(await tickets(branch.ctx.db));
  });
});
