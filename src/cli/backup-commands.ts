import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { BackupFileError } from '../db/backup-archive.ts';
import { checkBackup, refuseNonEmpty, restoreBackup, RestoreRefusedError } from '../db/backup-restore.ts';
import { takeBackup } from '../db/backup-snapshot.ts';
import { openDatabase } from '../db/connection.ts';
import { DataDirLockedError, lockDataDir } from '../db/data-dir-lock.ts';
import { downloadFromServer } from './control-client.ts';
import { formatDateTime } from '../app/messaging/appointment-messages.ts';

const ROLE_WORDS = {
  standalone: 'Einzelserver / single server',
  central: 'Zentrale / central server',
  branch: 'Zweigstelle / branch node',
};

/** „Mo., 07.12.2026, 16:45 Uhr“ in this machine's time zone: an operator reads it, not a program. */
const backupTime = (iso: string, language: 'de' | 'en') =>
  formatDateTime(new Date(iso), Intl.DateTimeFormat().resolvedOptions().timeZone, language);

// `schalter backup FILE` and `schalter restore FILE` for the embedded database (issue 23 item 5,
// docs/operations.md "Backup and restore"). With a server running, the backup is taken by the
// server (it holds the data folder) and streamed over the control listener; without one, this
// process opens the folder itself. Either way the file appears whole under its name or not at all.

export const BACKUP_HELP = `  backup FILE        (embedded database) write a consistent backup of the data folder — database and
                     branch journal — to FILE, also while the server runs
  restore FILE [--branch]
                     (embedded database) restore a backup into an empty or missing data folder;
                     --branch: a branch node's backup (see docs/operations.md first)
`;

export type BackupIo = { err(text: string): void };

/** Exit codes: 0 done, 1 refused or failed (message on stderr), 2 wrong arguments. */
export async function runBackupCommand(args: string[], config: Config, io: BackupIo): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) return usage(io, 'backup', 'backup needs exactly one FILE');
  if (config.databaseUrl) return onPostgres(io, 'backup');
  const target = path.resolve(positionals[0]!);
  const writer = atomicWriter(target);
  try {
    const progress = progressReporter(io);
    const local = await backupInProcess(config);
    if ('file' in local) {
      await writer.write(local.file);
    } else {
      await downloadFromServer(config.dataDir, local.holderPid, 'backup', {
        log: (line) => io.err(`${line}\n`),
        onSize: progress.size,
        onChunk: async (chunk) => {
          await writer.write(chunk);
          progress.add(chunk.byteLength);
        },
        timeoutMs: 30 * 60_000,
      });
    }
    await writer.commit();
    io.err(`Sicherung geschrieben / backup written: ${target} (${formatBytes(writer.bytes())})\n`);
    return 0;
  } catch (error) {
    await writer.abort();
    if (!(error instanceof BackupCommandError)) throw error;
    io.err(`schalter: ${error.message}\n`);
    return 1;
  }
}

/** A refusal or failure of `backup` worded for the operator (German / English): exit 1. */
class BackupCommandError extends Error {}

/** The backup taken by this process when no server holds the folder, or who holds it. */
async function backupInProcess(config: Config): Promise<{ file: Uint8Array } | { holderPid: number | null }> {
  const pgliteDir = path.join(config.dataDir, 'pglite');
  // Checked before the lock, which would create a mistyped folder.
  if (!fs.existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
    throw new BackupCommandError(
      `In ${config.dataDir} gibt es keine Datenbank (pglite/ fehlt): nichts zu sichern. Stimmt SCHALTER_DATA_DIR? / ` +
        `There is no database in ${config.dataDir}: nothing to back up. Is SCHALTER_DATA_DIR right?`,
    );
  }
  let unlock: () => void;
  try {
    unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    return { holderPid: error.pid };
  }
  try {
    const database = await openDatabase({ dataDir: pgliteDir });
    try {
      return { file: (await takeBackup(database, config)).file };
    } finally {
      await database.close();
    }
  } finally {
    unlock();
  }
}

export async function runRestoreCommand(args: string[], config: Config, io: BackupIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, options: { branch: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) return usage(io, 'restore', 'restore needs exactly one FILE');
  if (config.databaseUrl) return onPostgres(io, 'restore');
  const source = path.resolve(positionals[0]!);
  let bytes: Buffer;
  try {
    // The folder first: an operator should not wait for a large file to learn it was the wrong folder.
    refuseNonEmpty(config.dataDir);
    bytes = fs.readFileSync(source);
  } catch (error) {
    if (error instanceof RestoreRefusedError) {
      io.err(`schalter: ${error.message}\n`);
      return 1;
    }
    io.err(
      `schalter: ${source} ist nicht lesbar / cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
    );
    return 1;
  }
  try {
    const backup = await checkBackup(bytes, { allowBranch: values.branch === true });
    const { manifest } = backup;
    io.err(
      `Sicherung vom ${backupTime(manifest.createdAt, 'de')} / backup of ${backupTime(manifest.createdAt, 'en')} ` +
        `(Schalter ${manifest.schalterVersion}, ${ROLE_WORDS[manifest.role]}${manifest.office ? `, Standort / office ${manifest.office}` : ''})\n`,
    );
    await restoreBackup(config.dataDir, backup, (line) => io.err(`${line}\n`));
    io.err(`Zurückgespielt nach / restored into ${config.dataDir}. Starten Sie jetzt den Server / now start the server.\n`);
    if (manifest.role === 'branch') {
      io.err(
        `Die Zweigstelle sendet beim Start ${manifest.journal?.unsent ?? 0} ungesendete Vorgänge an die Zentrale und lädt ihren Standort neu. / ` +
          'At start the branch sends its unsent operations and reloads its office from the central server.\n',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupFileError || error instanceof RestoreRefusedError || error instanceof DataDirLockedError) {
      io.err(`schalter: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function usage(io: BackupIo, command: string, message: string): number {
  io.err(`schalter ${command}: ${message}\n${BACKUP_HELP}`);
  return 2;
}

function onPostgres(io: BackupIo, command: 'backup' | 'restore'): number {
  io.err(
    `schalter ${command}: Mit DATABASE_URL liegen die Daten in PostgreSQL; dafür ist dieser Befehl nicht gedacht. ` +
      'Sichern Sie mit den Werkzeugen von PostgreSQL: pg_dump / pg_restore für einzelne Sicherungen, pgBackRest oder WAL-G für fortlaufende Sicherung mit WAL-Archiv ' +
      '(docs/operations.md, „Central server“). / With DATABASE_URL the data lives in PostgreSQL and this command does not apply: ' +
      'use pg_dump / pg_restore for single backups, pgBackRest or WAL-G for continuous archiving.\n',
  );
  return 1;
}

/**
 * Writes beside the target (`FILE.<pid>.partial`), fsyncs and renames: a reader, a cron job's copy or
 * a crash sees the old file or the new one, never half of one. A failure removes the partial file.
 */
function atomicWriter(target: string) {
  const temporary = `${target}.${process.pid}.partial`;
  let fd: number | null = null;
  let written = 0;
  return {
    bytes: () => written,
    async write(chunk: Uint8Array) {
      writing(() => {
        fd ??= fs.openSync(temporary, 'w', 0o600);
        fs.writeSync(fd, chunk);
      });
      written += chunk.byteLength;
    },
    async commit() {
      writing(() => {
        fd ??= fs.openSync(temporary, 'w', 0o600);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = null;
        fs.renameSync(temporary, target);
        const dir = fs.openSync(path.dirname(target), 'r');
        try {
          fs.fsyncSync(dir);
        } finally {
          fs.closeSync(dir);
        }
      });
    },
    async abort() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
      fs.rmSync(temporary, { force: true });
    },
  };
}

/** A file system refusal (no such folder, no permission, disk full) as one line instead of a stack trace. */
function writing(step: () => void): void {
  try {
    step();
  } catch (error) {
    const { code, path: where } = error as NodeJS.ErrnoException;
    if (!code) throw error;
    throw new BackupCommandError(
      `Die Sicherung kann nicht geschrieben werden (${code}${where ? ` ${where}` : ''}); es bleibt keine halbe Datei zurück. / The backup cannot be written; no partial file is left.`,
    );
  }
}

/** Progress on stderr for files over 8 MB: every 10 % (a line each, so it reads in a log too). */
function progressReporter(io: BackupIo) {
  let total = 0;
  let done = 0;
  let shown = 0;
  return {
    size: (bytes: number) => {
      total = bytes;
    },
    add: (bytes: number) => {
      done += bytes;
      if (total < 8 * 1024 * 1024) return;
      const tenth = Math.floor((done / total) * 10);
      if (tenth > shown) {
        shown = tenth;
        io.err(`  ${tenth * 10} % (${formatBytes(done)} von / of ${formatBytes(total)})\n`);
      }
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}
