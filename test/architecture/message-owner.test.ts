import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Outgoing messages have one owner (STYLE 12, issue #16): src/app/messaging/enqueue-message.ts is the
// only module that inserts into outbox or call_list_entry, so the channel choice, the dedupe key's
// ON CONFLICT and "written in the caller's transaction" cannot drift apart between writers.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OWNER = 'src/app/messaging/enqueue-message.ts';
/** Writers allowed besides the owner, each for one table and with its reason. */
const EXCEPTIONS: { file: string; table: string; why: string }[] = [
  // The booking is one prepared statement, one round trip (docs/scaling.md); its mail row is built by
  // enqueue-message.ts's outboxRow (through renderAppointmentMail) and only inserted there.
  { file: 'src/db/booking-statement.ts', table: 'outbox', why: 'one-statement booking' },
];
const TABLES = ['outbox', 'call_list_entry'];

// Kysely (insertInto/replaceInto/mergeInto('outbox'), also with an alias) and SQL text (INSERT INTO outbox …).
const WRITES = [
  /\b(?:insertInto|replaceInto|mergeInto)\(\s*['"`](outbox|call_list_entry)(?:\s+as\s+\w+)?['"`]/g,
  /\b(?:INSERT|MERGE)\s+INTO\s+(?:public\.)?"?(outbox|call_list_entry)\b/gi,
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [rel] : [];
  });
}

function writesIn(file: string): { at: string; table: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return WRITES.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => ({ at: `${file}:${text.slice(0, m.index).split('\n').length}`, table: m[1]!.toLowerCase() })),
  );
}

describe('outgoing messages have one writer', () => {
  const writes = sourceFiles('src').flatMap((file) => writesIn(file).map((w) => ({ ...w, file })));

  it(`only ${OWNER} inserts into outbox or call_list_entry`, () => {
    const strays = writes
      .filter((w) => w.file !== OWNER && !EXCEPTIONS.some((e) => e.file === w.file && e.table === w.table))
      .map((w) => `${w.at} inserts into ${w.table}: queue it through ${OWNER} (enqueueMessage, enqueueMessages, addToCallList)`);
    expect(strays).toEqual([]);
  });

  it('the scan sees the owner write both tables (so the patterns still match the code)', () => {
    for (const table of TABLES) expect(writes.filter((w) => w.file === OWNER && w.table === table).length, table).toBeGreaterThan(0);
  });
});
