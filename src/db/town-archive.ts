import { z } from 'zod';
import { BackupFileError, packTar, readTar, sha256Hex } from './backup-archive.ts';

// The file `schalter export --municipality ID FILE` writes and `schalter import FILE` reads
// (docs/town-export.md): the same plain ustar as a backup (src/db/backup-archive.ts), holding
//   manifest.json            what the archive is, with rows, bytes and SHA-256 of every table file
//   tables/<table>.jsonl     one JSON object per row, in the table's primary-key order
// Rows are plain JSON, not a database dump: any tool can read a town's data, and the importing
// installation may run PGlite or PostgreSQL of another version.

export const TOWN_FORMAT = 'schalter-town-export';
export const TOWN_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';

const TableEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  file: z.string().regex(/^tables\/[a-z][a-z0-9_]*\.jsonl$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Column names and their PostgreSQL types, in the table's order: what each field of a row is. */
  columns: z.array(z.strictObject({ name: z.string(), type: z.string() })),
});

export const TownManifestSchema = z.strictObject({
  format: z.literal(TOWN_FORMAT),
  /** Raised only when an older `import` could not read the file correctly; a newer one is refused. */
  formatVersion: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  schalterVersion: z.string(),
  /** Every migration the exporting database had run: import refuses unless its own are the same. */
  migrations: z.array(z.string()),
  municipality: z.strictObject({ id: z.string(), name: z.string() }),
  /** In insert order (src/db/town-tables.ts). */
  tables: z.array(TableEntrySchema),
});

export type TownManifest = z.infer<typeof TownManifestSchema>;
export type TownTableData = { name: string; columns: { name: string; type: string }[]; lines: string[] };

/** Why a file is not a town export this version can import, worded for the operator (German / English). */
export class TownArchiveError extends Error {}

export function packTownArchive(manifest: Omit<TownManifest, 'tables'>, tables: readonly TownTableData[]): Buffer {
  const files = tables.map((table) => {
    const data = Buffer.from(table.lines.map((line) => `${line}\n`).join(''), 'utf8');
    return { table, name: `tables/${table.name}.jsonl`, data };
  });
  const full: TownManifest = {
    ...manifest,
    tables: files.map(({ table, name, data }) => ({
      name: table.name,
      file: name,
      rows: table.lines.length,
      bytes: data.byteLength,
      sha256: sha256Hex(data),
      columns: table.columns,
    })),
  };
  return packTar(
    [{ name: MANIFEST, data: Buffer.from(`${JSON.stringify(full, null, 2)}\n`) }, ...files.map(({ name, data }) => ({ name, data }))],
    manifest.createdAt,
  );
}

/** Reads and checks an archive: a tar of our making, a manifest this version understands, every table file whole. */
export function unpackTownArchive(file: Uint8Array): { manifest: TownManifest; tables: TownTableData[] } {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readTar(file, notAnExport);
  } catch (error) {
    if (error instanceof BackupFileError) throw new TownArchiveError(error.message);
    throw error;
  }
  const manifestBytes = entries.get(MANIFEST);
  if (!manifestBytes) throw new TownArchiveError(notAnExport('manifest.json fehlt / is missing'));
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch {
    throw new TownArchiveError(notAnExport('manifest.json ist kein JSON / is not JSON'));
  }
  const { format, formatVersion } = (json ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (format === TOWN_FORMAT && typeof formatVersion === 'number' && formatVersion > TOWN_FORMAT_VERSION) {
    throw new TownArchiveError(
      `Die Datei hat das Format ${formatVersion}; diese Version von Schalter kennt nur Format ${TOWN_FORMAT_VERSION}. Lesen Sie sie mit der Version ein, die sie geschrieben hat, oder einer neueren. / ` +
        `The file has format ${formatVersion}; this version knows format ${TOWN_FORMAT_VERSION} only: import it with the version that wrote it, or a newer one.`,
    );
  }
  const parsed = TownManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TownArchiveError(notAnExport(`manifest.json: ${issue?.path.join('.')} ${issue?.message}`));
  }
  const manifest = parsed.data;
  const tables = manifest.tables.map((entry) => {
    const data = entries.get(entry.file);
    const lines = data ? Buffer.from(data).toString('utf8').split('\n').slice(0, -1) : [];
    if (!data || data.byteLength !== entry.bytes || sha256Hex(data) !== entry.sha256 || lines.length !== entry.rows) {
      throw new TownArchiveError(
        `Die Datei ist beschädigt: ${entry.file} ${data ? 'stimmt nicht mit Größe, Prüfsumme oder Zeilenzahl im Manifest überein' : 'fehlt'}. / ` +
          `The file is damaged: ${entry.file} ${data ? 'does not match its size, checksum or row count in the manifest' : 'is missing'}.`,
      );
    }
    return { name: entry.name, columns: entry.columns, lines };
  });
  return { manifest, tables };
}

function notAnExport(why: string): string {
  return `Die Datei ist kein Export einer Stadt von schalter export (${why}). / The file is not a town export written by schalter export.`;
}
