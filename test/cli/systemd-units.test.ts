import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 23, item 7: systemd units for the central server and the branch node, hardened, checked with
// `systemd-analyze verify` where that exists.

const DIR = path.resolve(import.meta.dirname, '../../deploy/systemd');
const UNITS = ['schalter-central.service', 'schalter-branch.service'];
const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const hasAnalyze = analyze.status === 0;

/** `Key=value` lines of a unit file; a key given twice keeps all its values. */
function directives(file: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.join(DIR, file), 'utf8').split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) map.set(match[1]!, [...(map.get(match[1]!) ?? []), match[2]!]);
  }
  return map;
}

describe('systemd units in deploy/systemd', () => {
  it.each(UNITS)('%s restarts always, stops within 10 s and is hardened', (unit) => {
    const d = directives(unit);
    const one = (key: string) => d.get(key)?.at(-1);
    expect(one('Restart')).toBe('always');
    expect(Number(one('TimeoutStopSec'))).toBeLessThanOrEqual(10);
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('MemoryMax')).toMatch(/^\d+[MG]$/);
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('User')).toBe('schalter');
    // The data folder is the one place it writes; its environment names the same folder.
    expect(one('ReadWritePaths')!.split(/\s+/)).toContain('/var/lib/schalter');
    expect(one('Environment')).toContain('SCHALTER_DATA_DIR=/var/lib/schalter');
    // Node itself, not npm: the stop signal reaches the server.
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/node --max-old-space-size=\d+ \/opt\/schalter\/bin\/schalter\.js serve$/);
  });

  it('set the role each is for', () => {
    expect(directives('schalter-central.service').get('Environment')!.join(' ')).toContain('SCHALTER_ROLE=central');
    expect(directives('schalter-branch.service').get('Environment')!.join(' ')).toContain('SCHALTER_ROLE=branch');
  });

  it.skipIf(!hasAnalyze)('pass `systemd-analyze verify` without a warning (skipped: systemd-analyze is not installed here)', () => {
    // The units name /usr/bin/node; verify checks that it exists, so where Node lives elsewhere the
    // copies checked here name this Node instead. Nothing else is changed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-units-'));
    try {
      const files = UNITS.map((unit) => {
        const copy = path.join(dir, unit);
        fs.writeFileSync(copy, fs.readFileSync(path.join(DIR, unit), 'utf8').replaceAll('/usr/bin/node ', `${process.execPath} `));
        return copy;
      });
      const run = spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8' });
      expect({ status: run.status, output: `${run.stdout}${run.stderr}`.trim() }).toEqual({ status: 0, output: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
