import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openRuntime } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { DataDirLockedError, lockDataDir } from '../db/data-dir-lock.ts';
import { openDatabase, type Database } from '../db/connection.ts';
import { TownArchiveError, unpackTownArchive } from '../db/town-archive.ts';
import { exportTown, UnknownTownError } from '../db/town-export.ts';
import { importTown, TownImportRefusedError } from '../db/town-import.ts';
import { DomainError } from '../domain/errors.ts';
import { downloadFromServer } from './control-client.ts';
import { formatDateTime } from '../app/messaging/appointment-messages.ts';

// `schalter export --municipality ID FILE` and `schalter import FILE` (issue 20: a town can leave;
// docs/town-export.md). Export works while the server runs: on PostgreSQL it reads one snapshot
// itself, on the embedded database the server that holds the folder writes the archive and sends it
// over the control listener, as for `schalter backup`. Import needs the embedded folder to itself.

export const TOWN_HELP = `  export --municipality ID FILE
                     write everything of one town — set-up, appointments, history, audit log, staff —
                     to FILE (docs/town-export.md), also while the server runs
  import FILE        read a town's export into this installation in one transaction; refused when
                     the schema version differs or any of its ids exists here already
`;

export type TownIo = { err(text: string): void };

/** Exit codes (both commands): 0 done, 1 refused or failed (message on stderr), 2 wrong arguments. */
export async function runExportCommand(args: string[], config: Config, io: TownIo): Promise<number> {
  let values: { municipality?: string | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: { municipality: { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (error) {
    return usage(io, 'export', (error as Error).message);
  }
  if (!values.municipality) return usage(io, 'export', 'export needs --municipality ID (the id of the town in its town file)');
  if (positionals.length !== 1) return usage(io, 'export', 'export needs exactly one FILE');
  const municipality = values.municipality;
  const target = path.resolve(positionals[0]!);
  const progress = (name: string, rows: number) => io.err(`  ${name}: ${rows} ${rows === 1 ? 'Zeile / row' : 'Zeilen / rows'}\n`);
  try {
    let file: Uint8Array;
    if (config.databaseUrl) {
      file = await withDatabase(await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 }), async (database) => {
        return (await exportTown(database.db, municipality, { onTable: progress })).file;
      });
    } else {
      file = await exportEmbedded(config, municipality, progress, io);
    }
    writeWhole(target, file);
    io.err(`Stadt ${municipality} exportiert / town exported: ${target} (${formatBytes(file.byteLength)})\n`);
    return 0;
  } catch (error) {
    if (error instanceof TownCommandError || error instanceof UnknownTownError) {
      io.err(`schalter: ${error.message}\n`);
      return 1;
    }
    if (error instanceof DomainError && error.code === 'not_found') {
      io.err(`schalter: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The embedded database: read here when the folder is free, else by the server that holds it. */
async function exportEmbedded(
  config: Config,
  municipality: string,
  progress: (name: string, rows: number) => void,
  io: TownIo,
): Promise<Uint8Array> {
  const pgliteDir = path.join(config.dataDir, 'pglite');
  // Checked before the lock, which would create a mistyped folder.
  if (!fs.existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
    throw new TownCommandError(
      `In ${config.dataDir} gibt es keine Datenbank (pglite/ fehlt). Stimmt SCHALTER_DATA_DIR? / There is no database in ${config.dataDir}: is SCHALTER_DATA_DIR right?`,
    );
  }
  let unlock: () => void;
  try {
    unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const chunks: Uint8Array[] = [];
    await downloadFromServer(config.dataDir, error.pid, `town-export?municipality=${encodeURIComponent(municipality)}`, {
      log: (line) => io.err(`${line}\n`),
      onSize: () => {},
      onChunk: (chunk) => void chunks.push(chunk),
      timeoutMs: 30 * 60_000,
    });
    const file = Buffer.concat(chunks);
    // The server wrote it; the per-table lines come from its manifest (which also checks it arrived whole).
    for (const table of unpackTownArchive(file).manifest.tables) progress(table.name, table.rows);
    return file;
  }
  try {
    return await withDatabase(await openDatabase({ dataDir: pgliteDir }), async (database) => {
      return (await exportTown(database.db, municipality, { onTable: progress })).file;
    });
  } finally {
    unlock();
  }
}

export async function runImportCommand(args: string[], config: Config, io: TownIo): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true }));
  } catch (error) {
    return usage(io, 'import', (error as Error).message);
  }
  if (positionals.length !== 1) return usage(io, 'import', 'import needs exactly one FILE');
  const source = path.resolve(positionals[0]!);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(source);
  } catch (error) {
    io.err(
      `schalter: ${source} ist nicht lesbar / cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
    );
    return 1;
  }
  try {
    const archive = unpackTownArchive(bytes);
    const { municipality } = archive.manifest;
    io.err(
      `Export der Stadt ${municipality.name} (${municipality.id}) vom ${exportTime(archive.manifest.createdAt, 'de')}, Schalter ${archive.manifest.schalterVersion} / ` +
        `export of ${exportTime(archive.manifest.createdAt, 'en')}\n`,
    );
    // Opening migrates an empty installation to this version's schema, as the server's first start would.
    const runtime = await openRuntime(config, (line) => io.err(`${line}\n`));
    try {
      const report = await importTown(runtime.database.db, archive, {
        onTable: (name, rows) => io.err(`  ${name}: ${rows} ${rows === 1 ? 'Zeile / row' : 'Zeilen / rows'}\n`),
      });
      for (const table of report.tables.filter((t) => t.renumberedBy > 0)) {
        io.err(`  ${table.name}: Nummern um ${table.renumberedBy} verschoben (hier schon vergeben) / numbers moved up (taken here)\n`);
      }
    } finally {
      await runtime.shutdown();
    }
    io.err(`Stadt ${municipality.id} eingelesen / town imported. Starten Sie den Server neu, falls er läuft / restart a running server.\n`);
    return 0;
  } catch (error) {
    if (error instanceof TownArchiveError || error instanceof TownImportRefusedError) {
      io.err(`schalter: ${error.message}\n`);
      return 1;
    }
    if (error instanceof DataDirLockedError) {
      io.err(
        `schalter: Der Server hält den Datenordner ${config.dataDir}. Stoppen Sie ihn für den Import und starten Sie ihn danach wieder. / ` +
          'The server holds the data folder: stop it for the import and start it again afterwards.\n',
      );
      return 1;
    }
    throw error;
  }
}

/** „Mo., 07.12.2026, 16:45 Uhr“ in this machine's time zone, as `schalter restore` names a backup's time. */
const exportTime = (iso: string, language: 'de' | 'en') =>
  formatDateTime(new Date(iso), Intl.DateTimeFormat().resolvedOptions().timeZone, language);

/** A refusal of `export` worded for the operator (German / English): exit 1. */
class TownCommandError extends Error {}

async function withDatabase<T>(database: Database, work: (database: Database) => Promise<T>): Promise<T> {
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** Beside the target, fsynced, renamed: a reader sees the old file or the whole new one, never half of one. */
function writeWhole(target: string, file: Uint8Array): void {
  const temporary = `${target}.${process.pid}.partial`;
  try {
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      fs.writeSync(fd, file);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const { code } = error as NodeJS.ErrnoException;
    if (!code) throw error;
    throw new TownCommandError(
      `${target} kann nicht geschrieben werden (${code}); es bleibt keine halbe Datei zurück. / ${target} cannot be written; no partial file is left.`,
    );
  }
}

function usage(io: TownIo, command: string, message: string): number {
  io.err(`schalter ${command}: ${message}\n${TOWN_HELP}`);
  return 2;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}
