import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRestoreCommand } from '../../src/cli/backup-commands.ts';
import type { Config } from '../../src/config.ts';
import { unpackBackup } from '../../src/db/backup-archive.ts';
import { takeBackup } from '../../src/db/backup-snapshot.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

// The branch rule of docs/operations.md, enforced by `schalter restore`: a branch node's backup, with
// its journal, is restored only on the operator's explicit --branch; the journal file and table
// come back as they were, unsent operations included.
describe('backup and restore of a branch node', () => {
  let root: string;
  let database: Database;
  let backupFile: string;
  const branch = { centralUrl: 'http://central.example', officeId: 'rathaus', branchId: 'rathaus-1a2b3c4d', token: 'x' };
  const journalLine = (seq: number) => `0123456789abcdef {"k":"op","e":{"seq":${seq}}}\n`;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-backup-branch-'));
    database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    for (const seq of [1, 2, 3]) {
      await sql`INSERT INTO branch_journal (seq, op_id, branch_id, hlc, office_id, type, command, recorded_at)
        VALUES (${seq}, ${randomUUID()}, ${branch.branchId}, ${`hlc-${seq}`}, 'rathaus', 'call', '{}'::jsonb, now())`.execute(database.db);
    }
    await sql`INSERT INTO branch_sync_state (branch_id, office_id, acked_seq) VALUES (${branch.branchId}, 'rathaus', 1)`.execute(
      database.db,
    );
    fs.mkdirSync(path.join(root, 'live', 'journal'), { recursive: true });
    fs.writeFileSync(path.join(root, 'live', 'journal', 'journal.log'), [1, 2, 3].map(journalLine).join(''));
    const { file } = await takeBackup(database, { dataDir: path.join(root, 'live'), role: 'branch', branch });
    backupFile = path.join(root, 'zweigstelle.tar');
    fs.writeFileSync(backupFile, file);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const restore = async (dataDir: string, args: string[] = []) => {
    let err = '';
    const code = await runRestoreCommand([backupFile, ...args], { dataDir, databaseUrl: undefined } as unknown as Config, {
      err: (text) => (err += text),
    });
    return { code, err };
  };

  it('the manifest names the branch and counts the operations the central server had not confirmed', () => {
    const { manifest, parts } = unpackBackup(fs.readFileSync(backupFile));
    expect(manifest).toMatchObject({
      role: 'branch',
      office: 'rathaus',
      branchId: 'rathaus-1a2b3c4d',
      journal: { lastSeq: 3, ackedSeq: 1, unsent: 2 },
    });
    expect([...parts.keys()]).toEqual(['database.tar.gz', 'journal/journal.log']);
  });

  it('refuses a branch backup without --branch, saying how many operations are unsent and what to do instead', async () => {
    const refused = await restore(path.join(root, 'ohne'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Die Sicherung ist die einer Zweigstelle (Standort rathaus, rathaus-1a2b3c4d)');
    expect(refused.err).toContain('Sie enthält 2 Vorgänge, die die Zentrale beim Sichern noch nicht bestätigt hatte');
    expect(refused.err).toContain('start it on an empty data folder');
    expect(fs.existsSync(path.join(root, 'ohne'))).toBe(false);
  });

  it('with --branch restores database and journal file as they were', async () => {
    const target = path.join(root, 'mit');
    const restored = await restore(target, ['--branch']);
    expect(restored.err).toContain('Zurückgespielt nach / restored into');
    expect(restored.code).toBe(0);
    expect(fs.readFileSync(path.join(target, 'journal', 'journal.log'), 'utf8')).toBe([1, 2, 3].map(journalLine).join(''));
    const reopened = await openDatabase({ dataDir: path.join(target, 'pglite') });
    try {
      const rows = await sql<{ seq: string }>`SELECT seq::text FROM branch_journal ORDER BY seq`.execute(reopened.db);
      expect(rows.rows.map((r) => r.seq)).toEqual(['1', '2', '3']);
      const state = await sql<{ acked_seq: string }>`SELECT acked_seq::text FROM branch_sync_state`.execute(reopened.db);
      expect(state.rows).toEqual([{ acked_seq: '1' }]);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
