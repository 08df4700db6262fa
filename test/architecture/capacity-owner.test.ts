import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// capacity_unit has one owner (STYLE 12, issue #16): src/db/capacity-units.ts holds every statement
// that changes it, and each notes its change for the availability cache itself. A write elsewhere
// could forget the note (searches would show stale seats until expiry) or repeat a seat rule in a
// form no agreement test checks (test/db/seat-limit-sql.test.ts). db/transaction.ts defines the note.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OWNER = 'src/db/capacity-units.ts';
const NOTE_DEFINED_IN = 'src/db/transaction.ts';

// Kysely (updateTable/insertInto/deleteFrom/… ('capacity_unit'), also with an alias), SQL text
// (UPDATE capacity_unit, INSERT INTO capacity_unit, DELETE FROM …), and the change notes.
const PATTERNS: { kind: string; pattern: RegExp }[] = [
  {
    kind: 'writes capacity_unit',
    pattern: /\b(?:updateTable|insertInto|replaceInto|mergeInto|deleteFrom)\(\s*['"`]capacity_unit(?:\s+as\s+\w+)?['"`]/g,
  },
  {
    kind: 'writes capacity_unit',
    pattern: /\b(?:UPDATE(?:\s+ONLY)?|(?:INSERT|MERGE)\s+INTO|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:public\.)?"?capacity_unit\b/gi,
  },
  { kind: 'notes a capacity change', pattern: /\b(?:noteCapacityChange|capacityCommitted)\(/g },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [rel] : [];
  });
}

function findingsIn(file: string): { file: string; line: number; kind: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return PATTERNS.flatMap(({ kind, pattern }) =>
    [...text.matchAll(pattern)].map((m) => ({ file, line: text.slice(0, m.index).split('\n').length, kind })),
  ).sort((a, b) => a.line - b.line);
}

describe('capacity_unit has one writer', () => {
  // Migrations create the table and its triggers (CREATE TRIGGER … BEFORE UPDATE OF load ON capacity_unit
  // does not match) and may backfill a new column: they run before any process serves, so there is no
  // availability cache to note a change for, and a backfill sets no seat. Only they are left out.
  const MIGRATIONS = 'src/db/migrations/';
  const findings = sourceFiles('src')
    .filter((file) => !file.startsWith(MIGRATIONS))
    .flatMap(findingsIn);

  it(`only ${OWNER} changes capacity_unit or notes a change of it`, () => {
    const strays = findings
      .filter((f) => f.file !== OWNER)
      // The definitions in db/transaction.ts (export function noteCapacityChange(…), and its call of capacityCommitted).
      .filter((f) => !(f.file === NOTE_DEFINED_IN && f.kind === 'notes a capacity change'))
      .map((f) => `${f.file}:${f.line} ${f.kind}: do it through ${OWNER}, whose writes note their change themselves`);
    expect(strays).toEqual([]);
  });

  it('the scan sees the owner write and note (so the patterns still match the code)', () => {
    const own = findings.filter((f) => f.file === OWNER);
    expect(own.filter((f) => f.kind === 'writes capacity_unit').length).toBeGreaterThanOrEqual(12);
    expect(own.filter((f) => f.kind === 'notes a capacity change').length).toBeGreaterThanOrEqual(12);
  });
});
