import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// Finds the statements in src that write a table, by their text: Kysely builder calls and SQL in
// template literals. Owner tests (#16, STYLE habit 12) compare the files found with the one module
// allowed to write. A grep, not a parser: it sees what is written in the usual forms, which is what
// keeps a new writer from slipping in unnoticed.

const ROOT = join(import.meta.dirname, '../..');

export type SourceFile = { path: string; text: string };

export function sourceFiles(dir = 'src'): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) files.push({ path: relative(ROOT, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(join(ROOT, dir));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export type Hit = { path: string; line: number; text: string };

const quoted = (table: string) => `['"\`](?:public\\.)?${table}(?:\\s+as\\s+\\w+)?['"\`]`;
// In SQL text, also schema-qualified or quoted: public."appointment".
const named = (table: string) => `(?:public\\.)?"?${table}\\b"?`;

/** INSERTs into `table`: `insertInto('t')`, `replaceInto('t')`, `mergeInto('t')`, `INSERT INTO t`. */
export function inserts(files: SourceFile[], table: string): Hit[] {
  return matches(files, [
    new RegExp(`\\b(?:insertInto|replaceInto|mergeInto)\\(\\s*${quoted(table)}\\s*\\)`, 'g'),
    new RegExp(`\\b(?:INSERT\\s+INTO|MERGE\\s+INTO)\\s+${named(table)}`, 'gi'),
  ]);
}

/** UPDATEs of `table`, or only those whose SET list names `column` when it is given. */
export function updates(files: SourceFile[], table: string, column?: string): Hit[] {
  const builder = new RegExp(`\\bupdateTable\\(\\s*${quoted(table)}\\s*\\)`, 'g');
  const raw = new RegExp(`\\bUPDATE\\s+${named(table)}(?:\\s+(?:AS\\s+)?\\w+)?\\s+SET\\b`, 'gi');
  const names = (setList: string) => column === undefined || new RegExp(`\\b${column}\\b`).test(setList);
  return [
    ...matches(files, [builder]).filter((hit) => names(builderSetList(hit))),
    ...matches(files, [raw]).filter((hit) => names(rawSetList(hit))),
  ].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

/** DELETEs from `table`. */
export function deletes(files: SourceFile[], table: string): Hit[] {
  return matches(files, [
    new RegExp(`\\bdeleteFrom\\(\\s*${quoted(table)}\\s*\\)`, 'g'),
    new RegExp(`\\bDELETE\\s+FROM\\s+${named(table)}`, 'gi'),
  ]);
}

export function outside(hits: Hit[], allowed: readonly string[]): string[] {
  return hits.filter((h) => !allowed.includes(h.path)).map((h) => `${h.path}:${h.line}: ${h.text}`);
}

// The hit keeps the rest of the file from the match on, so a statement's later lines can be read.
type RawHit = Hit & { rest: string };

function matches(files: SourceFile[], patterns: RegExp[]): RawHit[] {
  const hits: RawHit[] = [];
  for (const file of files) {
    for (const pattern of patterns) {
      for (const m of file.text.matchAll(pattern)) {
        const line = file.text.slice(0, m.index).split('\n').length;
        hits.push({ path: file.path, line, text: file.text.split('\n')[line - 1]!.trim(), rest: file.text.slice(m.index) });
      }
    }
  }
  return hits.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

/** The argument of the first `.set(` of a builder chain, up to its closing parenthesis. */
function builderSetList(hit: Hit): string {
  const rest = (hit as RawHit).rest;
  const end = rest.search(/\.execute\w*\(/);
  const chain = end === -1 ? rest : rest.slice(0, end);
  const start = chain.indexOf('.set(');
  if (start === -1) return '';
  let depth = 0;
  for (let i = start + 4; i < chain.length; i++) {
    if (chain[i] === '(') depth++;
    else if (chain[i] === ')' && --depth === 0) return chain.slice(start + 5, i);
  }
  return chain.slice(start + 5);
}

/** What follows SET in an SQL UPDATE, up to FROM, WHERE, RETURNING or the end of the template. */
function rawSetList(hit: Hit): string {
  const rest = (hit as RawHit).rest;
  const set = rest.slice(rest.search(/\bSET\b/i) + 3);
  const end = set.search(/\bFROM\b|\bWHERE\b|\bRETURNING\b|`/i);
  return end === -1 ? set : set.slice(0, end);
}
