import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './journal-entry.ts';

// The branch node's durable record of acknowledged operations. PGlite on Node does not fsync
// (docs/decisions/0002), so every journal entry is also appended to this file and fsync'd before the
// counter's action is confirmed. One line per record: `<16 hex of sha256> <json>\n`. A line cut
// short by a crash fails its checksum and is cut off on the next open, together with anything after it.

export type FileRecord = { k: 'op'; e: JournalEntry } | { k: 'void'; opId: string };

export class JournalWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super(`The journal could not be written: ${(cause as Error)?.message ?? cause}`);
    this.name = 'JournalWriteError';
  }
}

export type JournalFile = {
  readonly path: string;
  /** Valid entries in file order, without the voided ones. */
  entries(): JournalEntry[];
  /** Appends and fsyncs; when it returns, the entry survives a crash of the process or the machine. */
  append(entry: JournalEntry): void;
  /** Marks an appended entry whose transaction did not commit as not having happened. */
  markVoid(opId: string): void;
  /**
   * Replaces the file by `transform(records)` (retention: personal data of old entries). Written
   * beside it and fsync'd, then renamed over it: a crash leaves the old file or the new one, whole.
   */
  rewrite(transform: (records: readonly FileRecord[]) => FileRecord[]): void;
  /**
   * Why an append would fail now, or null: the readiness check (/readyz) of a branch node. Writes a
   * small probe file beside the journal, never into it (a probe record would travel to the central
   * server), and wants JOURNAL_MIN_FREE_BYTES free for users other than root: a disk that fills up
   * shows here before the counter's next action is refused.
   */
  problem(): string | null;
  close(): void;
};

/** Below this much free space the journal counts as not writable: a day's entries of a busy office. */
export const JOURNAL_MIN_FREE_BYTES = 16 * 1024 * 1024;

const checksum = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 16);

export function encodeRecord(record: FileRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

/** Reads the valid records of a journal file and the byte length of its valid prefix. */
export function readJournalFile(file: string): { records: FileRecord[]; validBytes: number } {
  let data: Buffer;
  try {
    // Only a regular file has records (a device such as /dev/full, used to test a full disk, has none).
    if (!fs.statSync(file).isFile()) return { records: [], validBytes: 0 };
    data = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0 };
    throw error;
  }
  const records: FileRecord[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) break; // torn last line
    const line = data.subarray(offset, end).toString('utf8');
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    if (space !== 16 || checksum(json) !== line.slice(0, 16)) break;
    records.push(JSON.parse(json) as FileRecord);
    offset = end + 1;
  }
  return { records, validBytes: offset };
}

export function liveEntries(records: FileRecord[]): JournalEntry[] {
  const voided = new Set(records.flatMap((r) => (r.k === 'void' ? [r.opId] : [])));
  return records.flatMap((r) => (r.k === 'op' && !voided.has(r.e.opId) ? [r.e] : []));
}

/** Opens (creating) the journal file, cutting off a torn tail, and keeps it open for appends. */
export function openJournalFile(file: string): JournalFile {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const isNew = !fs.existsSync(file);
  const { records: read, validBytes } = readJournalFile(file);
  let records = read;
  // A rewrite interrupted before its rename: the journal itself is still the old, whole file.
  fs.rmSync(rewritePath(file), { force: true });
  const open = () => fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
  let fd = open();
  if (fs.fstatSync(fd).isFile() && fs.fstatSync(fd).size !== validBytes) {
    fs.ftruncateSync(fd, validBytes);
    fs.fsyncSync(fd);
  }
  if (isNew) syncDirectory(path.dirname(file));
  let size = validBytes;
  const write = (record: FileRecord) => {
    const bytes = Buffer.from(encodeRecord(record));
    try {
      const written = fs.writeSync(fd, bytes);
      if (written !== bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      fs.fdatasyncSync(fd);
    } catch (error) {
      // A half-written line (disk full) must not stay in front of the next append.
      try {
        fs.ftruncateSync(fd, size);
      } catch {
        // The next open cuts the torn line off anyway.
      }
      throw new JournalWriteError(error);
    }
    size += bytes.length;
    records.push(record);
  };
  const rewrite = (transform: (records: readonly FileRecord[]) => FileRecord[]) => {
    const next = transform(records);
    const bytes = Buffer.from(next.map(encodeRecord).join(''));
    const temp = rewritePath(file);
    try {
      const tempFd = fs.openSync(temp, 'w', 0o600);
      try {
        fs.writeFileSync(tempFd, bytes);
        fs.fsyncSync(tempFd);
      } finally {
        fs.closeSync(tempFd);
      }
      fs.renameSync(temp, file);
    } catch (error) {
      // Disk full or the like: the journal stays as it was; the next run tries again.
      fs.rmSync(temp, { force: true });
      throw error;
    }
    syncDirectory(path.dirname(file));
    // Appends go to the new file from here on (the old descriptor still points at the replaced one).
    fs.closeSync(fd);
    fd = open();
    records = next;
    size = bytes.length;
  };
  return {
    path: file,
    entries: () => liveEntries(records),
    append: (entry) => write({ k: 'op', e: entry }),
    markVoid: (opId) => write({ k: 'void', opId }),
    rewrite,
    problem: () => probeDirectory(path.dirname(file), `${path.basename(file)}.probe`),
    close: () => fs.closeSync(fd),
  };
}

function probeDirectory(dir: string, name: string): string | null {
  const probe = path.join(dir, name);
  try {
    fs.writeFileSync(probe, 'probe\n', { mode: 0o600 });
    fs.rmSync(probe, { force: true });
    const { bavail, bsize } = fs.statfsSync(dir);
    const free = bavail * bsize;
    if (free < JOURNAL_MIN_FREE_BYTES) return `only ${Math.floor(free / 1024)} KiB free on the journal's disk`;
    return null;
  } catch (error) {
    return `cannot write beside the journal (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

const rewritePath = (file: string) => `${file}.rewrite`;

/** A new file's directory entry must reach the disk too, or the whole file can vanish in a power cut. */
function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
