import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/schalter.js');
/** The Node flags of the launcher's `#!/usr/bin/env -S node …` line: the server runs here as it runs installed. */
export const LAUNCHER_NODE_FLAGS = fs.readFileSync(BIN, 'utf8').split('\n', 1)[0]!.split(/\s+/).slice(3);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export type ServerProcess = { child: ChildProcess; url: string; output: () => string };

/** Starts `schalter serve` as a real process and resolves once it says it is listening. */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...LAUNCHER_NODE_FLAGS, ...nodeArgs, BIN, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SCHALTER_RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

export async function killHard(server: ServerProcess): Promise<void> {
  // A process ended by a signal has signalCode set and exitCode null: it will not exit again.
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}
