import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/schalter.js');
const LOCK_MODULE = path.resolve(import.meta.dirname, '../../src/db/data-dir-lock.ts');

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A process that takes the lock, says so, and then only waits — to be killed. */
function holdInChild(dir: string) {
  const code = `const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)}); await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (status) => reject(new Error(`child exited with ${status}`)));
  });
  return { child, locked };
}

describe('the data folder lock is released by the operating system with its process', () => {
  it('a lock file naming a live process that is not Schalter (pid 1) does not keep the office PC from starting', async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, 'schalter.lock'), '1');
    const unlock = await lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'schalter.lock'), 'utf8')).toBe(String(process.pid));
    unlock();
  });

  it('a second process is refused while the first holds the folder, and is told which process that is', async () => {
    const dir = dataDir();
    const { child, locked } = holdInChild(dir);
    try {
      await locked;
      const refused = await lockDataDir(dir).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as DataDirLockedError).pid).toBe(child.pid);
      expect((refused as Error).message).toContain(`von Prozess ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('after SIGKILL the folder is free at once, whatever the lock file says', async () => {
    const dir = dataDir();
    const { child, locked } = holdInChild(dir);
    await locked;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // The dead holder's pid is still in the file; that no longer matters.
    expect(fs.readFileSync(path.join(dir, 'schalter.lock'), 'utf8')).toBe(String(child.pid));
    const unlock = await lockDataDir(dir);
    unlock();
  });

  it('`schalter migrate` with "1" in DIR/schalter.lock runs and exits 0', () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, 'schalter.lock'), '1\n');
    const run = spawnSync(process.execPath, [BIN, 'migrate'], {
      env: { ...process.env, SCHALTER_DATA_DIR: dir, DATABASE_URL: '', SCHALTER_ROLE: '' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(run.stderr).not.toContain('bereits');
    expect(run.status).toBe(0);
  });
});
