import { createHash } from 'node:crypto';
import { z } from 'zod';

// The file `schalter backup` writes and `schalter restore` reads (docs/operations.md, "Backup and
// restore"): a plain POSIX tar (ustar), so `tar tvf` lists it and `tar xf` unpacks it anywhere,
// holding, in this order:
//   manifest.json        what the backup is (below), with the SHA-256 of every other part
//   database.tar.gz      PGlite's own dump of its data folder (dumpDataDir), a gzipped tar
//   journal/journal.log  a branch node's journal file, when it has one
// Written by us in a few lines rather than through a tar package: the format is 40 years old, and
// the reader below refuses anything it did not write (links, devices, paths with `..`).

export const BACKUP_FORMAT = 'schalter-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_PART = 'manifest.json';
export const DATABASE_PART = 'database.tar.gz';
export const JOURNAL_PART = 'journal/journal.log';

const PartSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  /** Raised only when an older `restore` could not read the file correctly; a newer one is refused. */
  formatVersion: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  schalterVersion: z.string(),
  database: z.literal('pglite'),
  /** Every migration the database had run: restore refuses names this version does not know. */
  migrations: z.array(z.string()),
  role: z.enum(['standalone', 'central', 'branch']),
  /** The office a branch node serves (null otherwise). */
  office: z.string().nullable(),
  branchId: z.string().nullable(),
  /** A branch's journal at the moment of the backup: unsent = operations the central server had not confirmed. */
  journal: z.object({ lastSeq: z.number().int(), ackedSeq: z.number().int(), unsent: z.number().int() }).nullable(),
  parts: z.array(PartSchema),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type Part = { name: string; data: Uint8Array };

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Describes the parts in the manifest and packs manifest + parts into one tar. */
export function packBackup(manifest: Omit<Manifest, 'parts'>, parts: readonly Part[]): Buffer {
  const full: Manifest = {
    ...manifest,
    parts: parts.map((part) => ({ name: part.name, bytes: part.data.byteLength, sha256: sha256Hex(part.data) })),
  };
  const entries = [{ name: MANIFEST_PART, data: Buffer.from(`${JSON.stringify(full, null, 2)}\n`) }, ...parts];
  return packTar(entries, manifest.createdAt);
}

/** A ustar of the entries in their order, each with the time `createdAt` (also the town export's, src/db/town-archive.ts). */
export function packTar(entries: readonly Part[], createdAt: string): Buffer {
  const mtime = Math.floor(Date.parse(createdAt) / 1000);
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    blocks.push(tarHeader(entry.name, entry.data.byteLength, mtime), Buffer.from(entry.data));
    const padding = (512 - (entry.data.byteLength % 512)) % 512;
    if (padding) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end a tar
  return Buffer.concat(blocks);
}

/** Why a file is not a backup this version can restore, worded for the operator (German / English). */
export class BackupFileError extends Error {}

/**
 * Reads and checks a backup: a tar of our making, a manifest this version understands, and every
 * part present with its size and SHA-256. Whether the migrations are known is the caller's check.
 */
export function unpackBackup(file: Uint8Array): { manifest: Manifest; parts: Map<string, Uint8Array> } {
  const entries = readTar(file);
  const manifestBytes = entries.get(MANIFEST_PART);
  if (!manifestBytes) throw new BackupFileError(notABackup('manifest.json fehlt / is missing'));
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch {
    throw new BackupFileError(notABackup('manifest.json ist kein JSON / is not JSON'));
  }
  const version = (json as { formatVersion?: unknown })?.formatVersion;
  if ((json as { format?: unknown })?.format === BACKUP_FORMAT && typeof version === 'number' && version > BACKUP_FORMAT_VERSION) {
    throw new BackupFileError(
      `Die Sicherung hat das Format ${version}; diese Version von Schalter kennt nur Format ${BACKUP_FORMAT_VERSION}. Spielen Sie sie mit der Version zurück, die sie geschrieben hat, oder einer neueren. / ` +
        `The backup has format ${version}; this version knows format ${BACKUP_FORMAT_VERSION} only: restore it with the version that wrote it, or a newer one.`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new BackupFileError(notABackup(`manifest.json: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`));
  const manifest = parsed.data;
  const parts = new Map<string, Uint8Array>();
  for (const part of manifest.parts) {
    const data = entries.get(part.name);
    if (!data || data.byteLength !== part.bytes || sha256Hex(data) !== part.sha256) {
      throw new BackupFileError(
        `Die Sicherung ist beschädigt: ${part.name} ${data ? 'hat eine andere Prüfsumme als im Manifest' : 'fehlt'}. / ` +
          `The backup is damaged: ${part.name} ${data ? 'does not match its checksum in the manifest' : 'is missing'}.`,
      );
    }
    parts.set(part.name, data);
  }
  if (!parts.has(DATABASE_PART)) throw new BackupFileError(notABackup(`${DATABASE_PART} fehlt / is missing`));
  return { manifest, parts };
}

function notABackup(why: string): string {
  return `Die Datei ist keine Sicherung von schalter backup (${why}). / The file is not a backup written by schalter backup.`;
}

function tarHeader(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o600);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, mtime);
  field(148, 8, '        '); // the checksum counts itself as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/**
 * The regular files of a ustar archive by name; anything else (a bad checksum, a link, `..`) is refused
 * with `notOurs(why)` — the reader of each kind of file words its own refusal.
 */
export function readTar(file: Uint8Array, notOurs: (why: string) => string = notABackup): Map<string, Uint8Array> {
  const data = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const entries = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return entries;
    const text = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (parseInt(text(148, 8).trim(), 8) !== sum) throw new BackupFileError(notOurs('kein tar / not a tar file'));
    const name = text(0, 100);
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const start = offset + 512;
    if (type !== '0' || name.split('/').includes('..') || name.startsWith('/') || start + size > data.length) {
      throw new BackupFileError(notOurs(`unerwarteter Eintrag / unexpected entry ${name}`));
    }
    entries.set(name, data.subarray(start, start + size));
    offset = start + Math.ceil(size / 512) * 512;
  }
  if (entries.size === 0) throw new BackupFileError(notOurs('leer / empty'));
  throw new BackupFileError(notOurs('abgeschnitten / truncated'));
}
