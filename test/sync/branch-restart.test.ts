import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/bootstrap.ts';
import type { Config } from '../../src/config.ts';
import { startBranchRole, type BranchRole } from '../../src/sync/branch-role.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { officeFixture, startCentral, tempDir, until, type Central } from './sync-fixture.ts';

// Issue #18 item 3: a branch PC that comes back after a power cut while the line to the central
// server drops every packet serves its office at once. It used to wait for the change feed's first
// page before listening — up to the request's 15 s timeout, with the counters dark meanwhile.

describe(`a branch restarting while the central server does not answer (central on ${testDbKind})`, () => {
  let central: Central;
  let branch: Fixture;
  let proxy: TcpProxy;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    central = await startCentral();
    branch = await officeFixture({ embedded: true });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: central.port });
    dataDir = tempDir('schalter-branch-restart-');
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await central?.close();
    await branch?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (): Promise<BranchRole> => {
    const runtime = {
      config: { dataDir, retentionDays: 30 } as Config,
      database: branch.database,
      ctx: branch.ctx,
      shutdown: async () => {},
    } satisfies Runtime;
    return startBranchRole(runtime, { centralUrl: proxy.url, officeId: 'test', branchId: central.branchId, token: central.token }, (line) =>
      lines.push(line),
    );
  };

  it('serves its office without waiting for the feed, and stops without waiting for it either', async () => {
    // The office is loaded already (the fixture's own set-up): this is a restart, not a first start.
    proxy.setMode('drop');
    const started = performance.now();
    const role = await start();
    const startMs = performance.now() - started;
    const stopping = performance.now();
    await role.stop();
    const stopMs = performance.now() - stopping;
    // Far below the feed's 15 s request timeout, which the old start waited out.
    expect(startMs).toBeLessThan(5_000);
    expect(stopMs).toBeLessThan(5_000);
    expect(lines.join('\n')).not.toMatch(/Datensätze von der Zentrale geladen/);
  }, 60_000);

  it('still loads from the central server in the background once the line answers', async () => {
    proxy.setMode('pass');
    const role = await start();
    try {
      await until('the background pull logged its records', () => lines.some((l) => /Datensätze von der Zentrale geladen/.test(l)));
    } finally {
      await role.stop();
    }
  }, 60_000);
});
