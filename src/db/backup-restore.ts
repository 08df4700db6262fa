import fs from 'node:fs';
import path from 'node:path';
import { BackupFileError, DATABASE_PART, JOURNAL_PART, unpackBackup, type Manifest } from './backup-archive.ts';
import { JOURNAL_FILE } from './backup-snapshot.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrationProvider } from './migrations/index.ts';

/** A restore refused before anything was written, worded for the operator (German / English). */
export class RestoreRefusedError extends Error {}

/** Files a data folder may hold and still count as empty: the lock's info file is our own. */
const IGNORED = new Set(['schalter.lock', 'lost+found']);

/** Reads the backup and checks everything that can be checked before the data folder is touched. */
export async function checkBackup(file: Uint8Array, options: { allowBranch: boolean }): Promise<ReturnType<typeof unpackBackup>> {
  const backup = unpackBackup(file);
  const known = new Set(Object.keys(await migrationProvider.getMigrations()));
  const unknown = backup.manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupFileError(
      `Die Sicherung stammt von einer neueren Version von Schalter (${backup.manifest.schalterVersion}); diese Version kennt ${unknown.length === 1 ? 'die Migration' : 'die Migrationen'} ${unknown.join(', ')} nicht. ` +
        `Installieren Sie mindestens Version ${backup.manifest.schalterVersion} und spielen Sie die Sicherung damit zurück. / ` +
        `The backup comes from a newer Schalter (${backup.manifest.schalterVersion}) whose database has migrations this version does not know: restore it with that version or a newer one.`,
    );
  }
  if (backup.manifest.role === 'branch' && !options.allowBranch) throw new RestoreRefusedError(branchRefusal(backup.manifest));
  return backup;
}

/**
 * docs/operations.md, "Restoring a branch node": a branch is rebuilt from the central server, not from
 * a backup. A restored branch counts its journal on from the backup's last entry; if the office's PC
 * sent more after the backup, the central server already holds those numbers and the branch's new
 * operations would never be sent. So the command refuses, and says why and what to do instead.
 */
function branchRefusal(manifest: Manifest): string {
  const unsent = manifest.journal?.unsent ?? 0;
  const unsentDe =
    unsent === 0
      ? 'Sie enthält keine ungesendeten Vorgänge'
      : `Sie enthält ${unsent === 1 ? 'einen Vorgang' : `${unsent} Vorgänge`}, die die Zentrale beim Sichern noch nicht bestätigt hatte`;
  const unsentEn =
    unsent === 0
      ? 'It holds no unsent operations'
      : `It holds ${unsent} operation${unsent === 1 ? '' : 's'} the central server had not confirmed when it was taken`;
  return (
    `Die Sicherung ist die einer Zweigstelle (Standort ${manifest.office ?? '?'}, ${manifest.branchId ?? '?'}). ${unsentDe}. ` +
    'Eine Zweigstelle wird nicht aus einer Sicherung zurückgespielt: starten Sie sie mit leerem Datenordner, sie lädt ihren Standort von der Zentrale. ' +
    'Nur wenn der alte PC nach der Sicherung nichts mehr an die Zentrale gesendet hat (sonst gehen neue Vorgänge verloren), spielen Sie sie mit --branch zurück. / ' +
    `The backup is a branch node's. ${unsentEn}. A branch is rebuilt, not restored: start it on an empty data folder and it loads its office ` +
    'from the central server. Only if the old PC sent nothing to the central server after the backup was taken (otherwise new operations are lost), restore it with --branch.'
  );
}

/**
 * Restores a checked backup into `dataDir`, which must be missing or empty. Everything is written into
 * a folder beside the final places and opened once by PGlite (so a dump it cannot read fails here, not
 * at the next start); only then are `pglite/` and `journal/` renamed into place. A failure or a kill
 * midway leaves the data folder as empty as it was, apart from `.restore-*` (removed on the next try).
 */
export async function restoreBackup(
  dataDir: string,
  backup: ReturnType<typeof unpackBackup>,
  log: (line: string) => void = () => {},
): Promise<void> {
  refuseNonEmpty(dataDir, false);
  // Holds the folder against a server starting on it meanwhile (and refuses while one runs).
  const unlock = await lockDataDir(dataDir);
  const staging = path.join(dataDir, `.restore-${process.pid}`);
  try {
    refuseNonEmpty(dataDir, true);
    fs.mkdirSync(staging);
    const pgliteDir = path.join(staging, 'pglite');
    log('Datenbank wird entpackt und geprüft / unpacking and checking the database …');
    const { PGlite } = await import('@electric-sql/pglite');
    const blob = new Blob([Buffer.from(backup.parts.get(DATABASE_PART)!)], { type: 'application/x-gzip' });
    const pglite = await PGlite.create(pgliteDir, { loadDataDir: blob });
    try {
      const { rows } = await pglite.query<{ count: number }>('SELECT count(*)::int AS count FROM kysely_migration');
      if (rows[0]?.count !== backup.manifest.migrations.length) throw new Error('the restored database does not match its manifest');
    } finally {
      await pglite.close();
    }
    const journal = backup.parts.get(JOURNAL_PART);
    if (journal) {
      fs.mkdirSync(path.join(staging, 'journal'));
      fs.writeFileSync(path.join(staging, JOURNAL_FILE), journal, { mode: 0o600 });
    }
    if (journal) fs.renameSync(path.join(staging, 'journal'), path.join(dataDir, 'journal'));
    // The database last: a folder with pglite/ is a restored one.
    fs.renameSync(pgliteDir, path.join(dataDir, 'pglite'));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

/** Refuses a data folder with anything in it (exported so the command says so before reading a large file). */
export function refuseNonEmpty(dataDir: string, isLocked = false): void {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  // Leftovers of an interrupted restore are ours to clear once we hold the folder.
  if (isLocked)
    for (const name of names.filter((n) => n.startsWith('.restore-')))
      fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  const found = names.filter((name) => !IGNORED.has(name) && !name.startsWith('.restore-'));
  if (found.length > 0) {
    throw new RestoreRefusedError(
      `Der Datenordner ${dataDir} ist nicht leer (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}). Zurückgespielt wird nur in einen leeren oder neuen Ordner: ` +
        'verschieben Sie den alten Ordner zur Seite oder wählen Sie mit SCHALTER_DATA_DIR einen anderen. / ' +
        `The data folder ${dataDir} is not empty. A backup is restored only into an empty or missing folder: move the old one aside or choose another with SCHALTER_DATA_DIR.`,
    );
  }
}
