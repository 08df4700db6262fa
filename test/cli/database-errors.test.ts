import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/schalter.js');

describe('starting without a reachable database', () => {
  it('says in one line what is wrong and which setting to check, without a stack trace, and exits 1', () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const run = spawnSync(process.execPath, [BIN, 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'postgres://root@127.0.0.1:1/schalter', SCHALTER_DEBUG: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('der Datenbankserver ist nicht erreichbar / the database server refuses connections');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
