import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEntries, readJournalFile } from '../../src/sync/journal-file.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { BRANCH_CLERK, centralOps, startCentral, tempDir, type Central } from './sync-fixture.ts';

// SIGKILL of the branch's journal writer at random points — while appending, right after an
// acknowledgement, in the middle of an upload — 200 times on one journal file and one central
// server: every acknowledged entry survives, the file stays gapless, the central server holds a
// prefix of it with no op twice, and a final upload brings it all across exactly once.

const ITERATIONS = 200;
type Life = { acked: { seq: number; opId: string }[]; output: string; code: number | null; signal: NodeJS.Signals | null };
const MARKERS = ['appending', 'ack', 'upload-sent', 'upload-done'] as const;

describe(`SIGKILL of the branch journal writer (central on ${testDbKind})`, () => {
  let central: Central;
  let dir: string;
  let script: string;

  beforeAll(async () => {
    central = await startCentral();
    dir = tempDir('schalter-sigkill-');
    script = path.join(dir, 'journal-child.mjs');
    // One bundle, so each of the 200 lives starts a plain Node process in tens of milliseconds.
    await build({
      entryPoints: [path.join(import.meta.dirname, 'journal-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
    });
  }, 120_000);

  afterAll(async () => {
    await central?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const live = (env: Record<string, string>, killOn: ((line: string) => boolean) | null, killAfterMs: number | null): Promise<Life> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        env: {
          PATH: process.env.PATH ?? '',
          JOURNAL_FILE: path.join(dir, 'journal.log'),
          CENTRAL_URL: central.url,
          BRANCH_ID: central.branchId,
          BRANCH_TOKEN: central.token,
          BRANCH_ACTOR: BRANCH_CLERK,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const acked: Life['acked'] = [];
      let output = '';
      let pending = '';
      const kill = () => child.kill('SIGKILL');
      const guard = setTimeout(kill, 20_000); // a hung child is killed too, and then fails the checks below
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          output += `${line}\n`;
          const [word, seq, opId] = line.split(' ');
          if (word === 'ack') acked.push({ seq: Number(seq), opId: opId! });
          if (word === 'ready' && killAfterMs !== null) setTimeout(kill, killAfterMs);
          if (killOn?.(line)) kill();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(guard);
        resolve({ acked, output, code, signal });
      });
    });

  const fileEntries = () => liveEntries(readJournalFile(path.join(dir, 'journal.log')).records);

  it(`loses no acknowledged entry and duplicates none across ${ITERATIONS} kills`, { timeout: 240_000 }, async () => {
    let random = 20261127;
    const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const everAcked = new Map<number, string>();
    const kills: Record<string, number> = {};
    for (let i = 0; i < ITERATIONS; i++) {
      const marker = MARKERS[Math.floor(i / 2) % MARKERS.length]!;
      const nth = 1 + Math.floor(next() * 6);
      let seen = 0;
      // Half the lives die at the n-th marker of a kind, half after a random time.
      const byMarker = i % 2 === 0;
      const life = await live(
        { OPS: String(1 + Math.floor(next() * 16)) },
        byMarker ? (line) => line.startsWith(marker) && ++seen === nth : null,
        byMarker ? null : Math.floor(next() * 40),
      );
      kills[life.signal ? (byMarker ? marker : 'timer') : 'finished'] =
        (kills[life.signal ? (byMarker ? marker : 'timer') : 'finished'] ?? 0) + 1;
      if (!life.signal) expect(life.code, life.output).toBe(0);
      for (const a of life.acked) everAcked.set(a.seq, a.opId);

      const entries = fileEntries();
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, k) => k + 1)); // gapless, in order
      const bySeq = new Map(entries.map((e) => [e.seq, e.opId]));
      for (const [seq, opId] of everAcked) expect(bySeq.get(seq), `acknowledged entry ${seq} lost (life ${i})`).toBe(opId);
      if (i % 20 === 19) {
        const applied = await centralOps(central);
        expect(applied.map((a) => a.opId)).toEqual(entries.slice(0, applied.length).map((e) => e.opId));
      }
    }
    // The office PC comes back for good: everything goes across, once.
    const last = await live({ OPS: '0', DRAIN: '1' }, null, null);
    expect(last.code, last.output).toBe(0);
    const entries = fileEntries();
    const applied = await centralOps(central);
    expect(applied.map((a) => a.opId)).toEqual(entries.map((e) => e.opId));
    expect(new Set(applied.map((a) => a.opId)).size).toBe(entries.length);
    expect(entries.length).toBeGreaterThanOrEqual(everAcked.size);
    // Every kind of death happened (the marker kills are deterministic; timers land wherever).
    for (const marker of MARKERS) expect(kills[marker] ?? 0, JSON.stringify(kills)).toBeGreaterThan(0);
  });
});
