import { describe, expect, it } from 'vitest';
import { sourceFiles, type SourceFile } from './source-writers.ts';

// src/http reads and writes only through src/app (#16 item 4): a page that queries the database
// itself skips what the use case does around the query — the office check, and for personal data
// the audit entry (invariant 6). The counter page once read citizen_name this way, unaudited.
// eslint keeps http from importing db's statements and kysely's values; this scan catches what an
// import rule cannot see: a query built on the context's own database (ctx.db.selectFrom(…)), and
// a raw row's personal column read in a handler.

const QUERIES: { kind: string; pattern: RegExp }[] = [
  { kind: 'builds a query', pattern: /\.\s*(?:selectFrom|selectNoFrom|updateTable|insertInto|replaceInto|mergeInto|deleteFrom)\s*\(/g },
  { kind: 'runs SQL', pattern: /\bsql\s*(?:<[^>]*>\s*)?`|\bsql\s*\.\s*(?:raw|ref|id|lit|table|join|val)\s*\(/g },
  {
    kind: 'uses the database directly',
    pattern: /\b(?:db|trx)\s*\.\s*(?:transaction|connection|executeQuery|with|schema|introspection)\b/g,
  },
  { kind: 'reads a personal column', pattern: /\bcitizen_(?:name|email|phone)\b/g },
];

function hits(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const lines = file.text.split('\n');
    for (const { kind, pattern } of QUERIES) {
      for (const m of file.text.matchAll(pattern)) {
        const line = file.text.slice(0, m.index).split('\n').length;
        out.push(`${file.path}:${line} ${kind}: ${lines[line - 1]!.trim()}`);
      }
    }
  }
  return out.sort();
}

describe('http queries nothing itself', () => {
  it('no file in src/http builds or runs a query, or reads a personal column of a row: call the use case in src/app', () => {
    expect(hits(sourceFiles('src/http'))).toEqual([]);
  });

  it('finds each form it looks for (a pattern that matched nothing would pass vacuously)', () => {
    const fixture: SourceFile = {
      path: 'fixture.tsx',
      text: [
        "const a = await ctx.db.selectFrom('appointment').select(['citizen_name']).executeTakeFirst();",
        '  const b = await ctx.db',
        "    .updateTable('ticket')",
        "await trx.insertInto('audit_log').values(entry).execute();",
        "await db.deleteFrom('outbox').execute();",
        'await sql`select 1`.execute(ctx.db);',
        'await sql<{ n: number }>`select 1 as n`.execute(ctx.db);',
        "const t = sql.ref('office.id');",
        'await ctx.db.transaction().execute(work);',
        'const name = row.citizen_phone;',
      ].join('\n'),
    };
    expect(hits([fixture]).map((h) => h.split(': ')[0])).toEqual([
      'fixture.tsx:1 builds a query',
      'fixture.tsx:1 reads a personal column',
      'fixture.tsx:10 reads a personal column',
      'fixture.tsx:3 builds a query',
      'fixture.tsx:4 builds a query',
      'fixture.tsx:5 builds a query',
      'fixture.tsx:6 runs SQL',
      'fixture.tsx:7 runs SQL',
      'fixture.tsx:8 runs SQL',
      'fixture.tsx:9 uses the database directly',
    ]);
  });

  it('lets a handler hand the database to a use case, and read a view', () => {
    const fixture: SourceFile = {
      path: 'fixture.tsx',
      text: [
        'const offices = await listOffices(ctx.db);',
        "const q = c.req.query('q');",
        'const feed = createDisplayFeed({ db: ctx.db, now: ctx.now });',
        '<dd>{appointment.citizen.name}</dd>',
      ].join('\n'),
    };
    expect(hits([fixture])).toEqual([]);
  });

  it('sees the queries of src/app (so the patterns still match the code as it is written)', () => {
    const app = hits(sourceFiles('src/app'));
    expect(app.filter((h) => h.includes(' builds a query:')).length).toBeGreaterThan(100);
    expect(app.some((h) => h.startsWith('src/app/counter/read-counter-ticket.ts:') && h.includes('reads a personal column'))).toBe(true);
  });
});
