import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAUNCHER_NODE_FLAGS } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/schalter.js');

/** Heap limit (MB) of a process started as `command args`, read by a preload before the CLI runs. */
function heapLimitMb(command: string, args: string[]): number {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-heap-'));
  const preload = path.join(folder, 'heap.cjs');
  fs.writeFileSync(
    preload,
    "process.stderr.write(`heap-limit-mb=${Math.round(require('v8').getHeapStatistics().heap_size_limit / 1048576)}\\n`);\n",
  );
  try {
    const run = spawnSync(command, args, {
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const match = /heap-limit-mb=(\d+)/.exec(run.stderr);
    if (!match) throw new Error(`no heap limit reported: ${run.stderr}`);
    return Number(match[1]);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describe('the launcher caps the V8 heap at 1 GB (it decides how far the heap grows between collections)', () => {
  it('applies when the installed command is run directly, through its #! line', () => {
    expect(LAUNCHER_NODE_FLAGS).toEqual(['--max-old-space-size=1024']);
    // The heap limit also counts the young generation: about 1,072 MB for a 1,024 MB old generation.
    const limit = heapLimitMb(BIN, ['--help']);
    expect(limit).toBeGreaterThanOrEqual(1024);
    expect(limit).toBeLessThan(1200);
  });

  it('applies to npm start, which passes the same flags', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`node ${LAUNCHER_NODE_FLAGS.join(' ')} bin/schalter.js serve`);
  });
});
