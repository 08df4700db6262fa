import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Issue 23, item 7: `npm start` runs `sh -c "node … serve"`; a SIGTERM that reaches npm alone ended
// npm and its shell, and the server ran on without a parent, holding its port and the data folder.

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, condition: () => boolean, timeoutMs: number, output: () => string): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

describe('npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-npm-start-'));
  let npm: ChildProcess | undefined;
  let serverPid: number | undefined;
  afterAll(() => {
    for (const pid of [serverPid, npm?.pid]) if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops within 10 s when SIGTERM reaches the npm process alone', { timeout: 180_000 }, async () => {
    const port = await freePort();
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SCHALTER_DATA_DIR: dataDir,
        SCHALTER_DEMO: 'off',
        DATABASE_URL: '',
        SCHALTER_ROLE: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.on('data', (chunk) => (output += chunk));
    npm.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(
      'the server says it is running',
      () => output.includes('is running'),
      150_000,
      () => output,
    );
    // The server names itself in control.json: npm → sh → node, and node is what must go.
    serverPid = (JSON.parse(fs.readFileSync(path.join(dataDir, 'control.json'), 'utf8')) as { pid: number }).pid;
    expect(serverPid).not.toBe(npm.pid);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const npmPid = npm.pid!;
    process.kill(npmPid, 'SIGTERM');
    const took = await waitFor(
      'npm and the server have ended',
      () => !isAlive(npmPid) && !isAlive(serverPid!),
      10_000,
      () => output,
    );
    expect(took).toBeLessThan(10_000);
    expect(output).toContain('fahre herunter / shutting down');
    // It shut down in order: the data folder's lock is gone, so the next start may open it.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
