import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../src/app/shared/context.ts';
import { enrollBranch } from '../src/sync/central-apply.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/schalter.js');
// The launcher's `#!/usr/bin/env -S node …` flags: the branch starts here as it starts installed.
const LAUNCHER_FLAGS = fs.readFileSync(BIN, 'utf8').split('\n', 1)[0]!.split(/\s+/).slice(3);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

type Life = { child: ChildProcess; listeningMs: number; readyMs: number };

/** Starts `schalter serve` as a branch and times it until it listens and until `/readyz` is 200. */
async function startBranch(env: Record<string, string>, port: number): Promise<Life> {
  const started = performance.now();
  const child = spawn(process.execPath, [...LAUNCHER_FLAGS, BIN, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeningMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`branch did not start within 120 s:\n${output}`)), 120_000);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    child.once('exit', (code) => reject(new Error(`branch exited with ${code}:\n${output}`)));
  });
  child.removeAllListeners('exit');
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (res?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, listeningMs, readyMs: performance.now() - started };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * A branch PC's power cut, `kills` times (#18 item 3, aim: ready again within 3 s): a real branch
 * process on its own data folder is SIGKILLed while its pages are being asked for, then started
 * again on the same folder. The first start (empty folder, office loaded from the feed) is reported
 * apart: it needs the central server, a restart does not.
 */
export async function measureBranchRestart(centralCtx: AppContext, centralUrl: string, officeId: string, kills = 5) {
  const { branchId, token } = await enrollBranch(centralCtx, { officeId, actor: 'bench' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-bench-restart-'));
  const env = {
    SCHALTER_DATA_DIR: dataDir,
    SCHALTER_ROLE: 'branch',
    SCHALTER_CENTRAL_URL: centralUrl,
    SCHALTER_OFFICE: officeId,
    SCHALTER_BRANCH_ID: branchId,
    SCHALTER_BRANCH_TOKEN: token,
    SCHALTER_RATE_LIMIT: 'off',
  };
  const port = await freePort();
  const restarts: { listeningMs: number; readyMs: number }[] = [];
  let life = await startBranch(env, port);
  const firstStart = { listeningMs: Math.round(life.listeningMs), readyMs: Math.round(life.readyMs) };
  try {
    for (let i = 0; i < kills; i++) {
      // Killed in the middle of requests, as a power cut finds a branch that is serving the office.
      const load = Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/api/v1/branch/status`).catch(() => null));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await killHard(life.child);
      await Promise.all(load);
      life = await startBranch(env, port);
      restarts.push({ listeningMs: life.listeningMs, readyMs: life.readyMs });
    }
  } finally {
    await killHard(life.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const ready = restarts.map((r) => r.readyMs).sort((a, b) => a - b);
  return {
    firstStart,
    kills,
    restartReadyMsP50: Math.round(ready[Math.floor(ready.length / 2)]!),
    restartReadyMsMax: Math.round(ready.at(-1)!),
    restartListeningMsMax: Math.round(Math.max(...restarts.map((r) => r.listeningMs))),
  };
}
