import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.ts';
import { dumpSchema } from '../../src/db/schema-dump.ts';
import { createTestDb, testDbKind } from '../helpers/test-db.ts';

const SCHEMA_TS = path.resolve(import.meta.dirname, '../../src/db/schema.ts');
const SCHEMA_SQL = path.resolve(import.meta.dirname, '../../src/db/schema.sql');

/** Tables the code reaches only through raw SQL or the migrator, so the Kysely type need not list them. */
const UNTYPED_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

type Column = { nullable: boolean | 'either' };

/** The Kysely `DB` type as the compiler sees it: table -> column -> whether a select may give null. */
function kyselyTables(): Map<string, Map<string, Column>> {
  const program = ts.createProgram([SCHEMA_TS], {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(SCHEMA_TS)!;
  const dbSymbol = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((s) => s.name === 'DB')!;
  const dbType = checker.getDeclaredTypeOfSymbol(dbSymbol);
  const tables = new Map<string, Map<string, Column>>();
  for (const table of checker.getPropertiesOfType(dbType)) {
    const tableType = checker.getTypeOfSymbol(table);
    const columns = new Map<string, Column>();
    for (const column of checker.getPropertiesOfType(tableType)) {
      let columnType = checker.getTypeOfSymbol(column);
      // ColumnType<S, I, U> (and Generated<S>) carry the selected type in __select__.
      const selected = columnType.getProperty('__select__');
      if (selected) columnType = checker.getTypeOfSymbol(selected);
      const members = columnType.isUnion() ? columnType.types : [columnType];
      // unknown (JSON read as it comes) admits null: it fits either kind of column.
      const isUnknown = members.some((t) => (t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) !== 0);
      columns.set(column.name, { nullable: isUnknown ? 'either' : members.some((t) => (t.flags & ts.TypeFlags.Null) !== 0) });
    }
    tables.set(table.name, columns);
  }
  return tables;
}

describe(`the database's real shape on ${testDbKind}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb();
  });
  afterAll(async () => database?.close());

  it('the Kysely table types name exactly the tables and columns of the migrated database, with the same nullability', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
       ORDER BY table_name, ordinal_position`.execute(database.db);
    const actual = new Map<string, Map<string, Column>>();
    for (const row of rows) {
      if (UNTYPED_TABLES.has(row.table_name)) continue;
      if (!actual.has(row.table_name)) actual.set(row.table_name, new Map());
      actual.get(row.table_name)!.set(row.column_name, { nullable: row.is_nullable === 'YES' });
    }
    const typed = kyselyTables();
    const problems: string[] = [];
    for (const [table, columns] of actual) {
      const typedColumns = typed.get(table);
      if (!typedColumns) {
        problems.push(`table ${table} is missing from the DB type`);
        continue;
      }
      for (const [column, { nullable }] of columns) {
        const t = typedColumns.get(column);
        if (!t) problems.push(`${table}.${column} is missing from the type`);
        else if (t.nullable !== 'either' && t.nullable !== nullable)
          problems.push(`${table}.${column}: database ${nullable ? 'NULL' : 'NOT NULL'}, type ${t.nullable ? 'nullable' : 'not nullable'}`);
      }
      for (const column of typedColumns.keys())
        if (!columns.has(column)) problems.push(`${table}.${column} is typed but not in the database`);
    }
    for (const table of typed.keys()) if (!actual.has(table)) problems.push(`table ${table} is typed but not in the database`);
    expect(problems).toEqual([]);
  });

  // The committed text comes from the embedded database (PostgreSQL 18 in WASM); PostgreSQL 15 prints
  // some definitions differently, so the comparison is made where the file is made.
  it.runIf(testDbKind === 'pglite')(
    'src/db/schema.sql is what the migrations make (run `npm run db:schema` after a migration)',
    async () => {
      const committed = fs.readFileSync(SCHEMA_SQL, 'utf8');
      expect(await dumpSchema(database.db as never)).toBe(committed);
    },
  );
});
