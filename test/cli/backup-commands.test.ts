import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackupCommand, runRestoreCommand } from '../../src/cli/backup-commands.ts';
import type { Config } from '../../src/config.ts';
import { unpackBackup } from '../../src/db/backup-archive.ts';
import { takeBackup } from '../../src/db/backup-snapshot.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

// The branch rule of docs/operations.md, enforced by `schalter restore`: a branch node's backup, with
// its journal, is restored only on the operator's explicit --branch; the journal file and table
// come back as they were, unsent operations included. And `schalter backup` with no server running,
// its refusals, and both commands on PostgreSQL. (With a running server: backup-restore.test.ts.)
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

  const configFor = (dataDir: string, databaseUrl?: string) => ({ dataDir, databaseUrl, role: 'branch', branch }) as unknown as Config;
  const restore = async (dataDir: string, args: string[] = []) => {
    let err = '';
    const code = await runRestoreCommand([backupFile, ...args], configFor(dataDir), { err: (text) => (err += text) });
    return { code, err };
  };
  const backup = async (dataDir: string, args: string[], databaseUrl?: string) => {
    let err = '';
    const code = await runBackupCommand(args, configFor(dataDir, databaseUrl), { err: (text) => (err += text) });
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
    // When and what, as an operator reads it: no ISO time, no role code.
    expect(restored.err).toMatch(
      /^Sicherung vom \p{L}{2}\., \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr \/ backup of .+ \(Schalter .+, Zweigstelle \/ branch node, Standort \/ office rathaus\)$/mu,
    );
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

  it('a backup taken while transactions write the journal holds the same entries in the table and the file', async () => {
    const live = path.join(root, 'live');
    // As decision 0006 journals: the row and the file line inside one transaction.
    const record = (seq: number) =>
      database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO branch_journal (seq, op_id, branch_id, hlc, office_id, type, command, recorded_at)
          VALUES (${seq}, ${randomUUID()}, ${branch.branchId}, ${`hlc-${seq}`}, 'rathaus', 'call', '{}'::jsonb, now())`.execute(trx);
        fs.appendFileSync(path.join(live, 'journal', 'journal.log'), journalLine(seq));
      });
    const writes = Array.from({ length: 20 }, (_, i) => record(4 + i));
    const taken = takeBackup(database, { dataDir: live, role: 'branch', branch });
    const more = Array.from({ length: 20 }, (_, i) => record(24 + i));
    await Promise.all([...writes, ...more]);
    const backupOf = unpackBackup((await taken).file);
    const lines = Buffer.from(backupOf.parts.get('journal/journal.log')!).toString('utf8').trim().split('\n');
    expect(backupOf.manifest.journal!.lastSeq).toBe(lines.length);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.length).toBeLessThan(43);
  }, 60_000);

  it('without a server the command opens the folder itself; a backup that cannot be written leaves no file', async () => {
    const target = path.join(root, 'mit');
    const again = path.join(root, 'wieder.tar');
    const written = await backup(target, [again]);
    expect(written.err).toContain('Sicherung geschrieben / backup written');
    expect(written.code).toBe(0);
    expect(unpackBackup(fs.readFileSync(again)).manifest.journal).toEqual({ lastSeq: 3, ackedSeq: 1, unsent: 2 });
    expect(fs.readdirSync(target).sort()).toEqual(['journal', 'pglite']);

    const nowhere = await backup(target, [path.join(root, 'fehlt', 'x.tar')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain('Die Sicherung kann nicht geschrieben werden (ENOENT');
    expect(fs.readdirSync(root).filter((name) => name.includes('partial'))).toEqual([]);

    const empty = await backup(path.join(root, 'vertippt'), [path.join(root, 'y.tar')]);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('gibt es keine Datenbank');
    expect(fs.existsSync(path.join(root, 'vertippt'))).toBe(false);
  }, 60_000);

  it('on PostgreSQL both commands name the tools to use instead; wrong arguments are refused as elsewhere', async () => {
    const postgres = 'postgres://schalter@127.0.0.1:1/schalter';
    const onBackup = await backup(path.join(root, 'pg'), [path.join(root, 'x.tar')], postgres);
    let err = '';
    const onRestore = await runRestoreCommand([backupFile], configFor(path.join(root, 'pg'), postgres), { err: (text) => (err += text) });
    for (const [code, text] of [
      [onBackup.code, onBackup.err],
      [onRestore, err],
    ] as const) {
      expect(code).toBe(1);
      expect(text).toContain('pg_dump');
      expect(text).toContain('pgBackRest');
      expect(text).toContain('Mit DATABASE_URL liegen die Daten in PostgreSQL');
    }
    expect(fs.existsSync(path.join(root, 'x.tar'))).toBe(false);

    const none = await backup(path.join(root, 'mit'), []);
    expect(none.code).toBe(2);
    expect(none.err).toContain('backup needs exactly one FILE');
    // An unknown option is parseArgs' error: the CLI prints it with the help and exits 2, as for every command.
    await expect(restore(path.join(root, 'mit'), ['--force'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });
});
