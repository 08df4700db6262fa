import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { SCHALTER_VERSION } from '../version.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DATABASE_PART,
  JOURNAL_PART,
  packBackup,
  type Manifest,
  type Part,
} from './backup-archive.ts';
import type { Database } from './connection.ts';

export const JOURNAL_FILE = path.join('journal', 'journal.log');

/**
 * One consistent backup of the embedded database and the branch journal (docs/operations.md, "Backup
 * and restore"). PGlite is one connection behind a pool of one: while this holds it, no transaction
 * of the app runs, and a journal entry is appended inside its transaction (decision 0006), so the
 * database dump and the journal file copied here show the same moment. CHECKPOINT first writes the
 * shared buffers to the files, so the restored folder starts without replaying WAL.
 */
export async function takeBackup(
  database: Database,
  options: { dataDir: string; role: Config['role']; branch: Config['branch']; now?: () => Date },
): Promise<{ file: Buffer; manifest: Omit<Manifest, 'parts'> }> {
  const dump = database.dumpDataDir;
  if (!dump) throw new Error('takeBackup: only the embedded database can be dumped');
  const { branch } = options;
  const snapshot = await database.db.connection().execute(async (connection) => {
    const migrations = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(connection);
    const journal = branch
      ? await sql<{ last_seq: string | null; acked_seq: string | null }>`
          SELECT (SELECT max(seq) FROM branch_journal) AS last_seq,
                 (SELECT acked_seq FROM branch_sync_state WHERE branch_id = ${branch.branchId}) AS acked_seq`.execute(connection)
      : null;
    await sql`CHECKPOINT`.execute(connection);
    const databaseDump = await dump();
    const journalFile = readIfExists(path.join(options.dataDir, JOURNAL_FILE));
    return { migrations: migrations.rows.map((r) => r.name), journal: journal?.rows[0], databaseDump, journalFile };
  });
  const lastSeq = Number(snapshot.journal?.last_seq ?? 0);
  const ackedSeq = Number(snapshot.journal?.acked_seq ?? 0);
  const manifest: Omit<Manifest, 'parts'> = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    schalterVersion: SCHALTER_VERSION,
    database: 'pglite',
    migrations: snapshot.migrations,
    role: options.role,
    office: branch?.officeId ?? null,
    branchId: branch?.branchId ?? null,
    journal: branch ? { lastSeq, ackedSeq, unsent: Math.max(0, lastSeq - ackedSeq) } : null,
  };
  const parts: Part[] = [{ name: DATABASE_PART, data: snapshot.databaseDump }];
  if (snapshot.journalFile) parts.push({ name: JOURNAL_PART, data: snapshot.journalFile });
  return { file: packBackup(manifest, parts), manifest };
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
