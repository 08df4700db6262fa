import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.ts';
import { readCatalog, type CatalogTable } from '../../src/db/town-catalog.ts';
import { RENUMBERED_REFERENCES, TABLE_CLASSES, TOWN_TABLES } from '../../src/db/town-tables.ts';
import { createTestDb } from '../helpers/test-db.ts';

// The one list of which table belongs to a town (src/db/town-tables.ts) against the migrated
// database: a table added by a later migration and not classified fails here, as does an order in
// which the import would insert a row before the row it points to.
describe('the classification of tables for a town’s export', () => {
  let database: Database;
  let catalog: Map<string, CatalogTable>;
  let foreignKeys: { table: string; columns: string[]; target: string }[];
  beforeAll(async () => {
    database = await createTestDb();
    catalog = await readCatalog(database.db);
    foreignKeys = (
      await sql<{ table: string; columns: string[]; target: string }>`
        SELECT c.relname AS table, t.relname AS target, array_agg(a.attname::text ORDER BY k.ord) AS columns
        FROM pg_constraint f
        JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class t ON t.oid = f.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(f.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE f.contype = 'f' AND n.nspname = 'public'
        GROUP BY c.relname, t.relname, f.conname`.execute(database.db)
    ).rows;
  });
  afterAll(async () => database?.close());

  it('names every table of the database exactly once, and no table that does not exist', () => {
    const classified = TABLE_CLASSES.map((c) => c.name);
    expect(new Set(classified).size).toBe(classified.length);
    const missing = [...catalog.keys()].filter((name) => !classified.includes(name));
    // A new table? Add it to TABLE_CLASSES: a town's rows (and how to find them) or the installation's (and why).
    expect(missing).toEqual([]);
    expect(classified.filter((name) => !catalog.has(name))).toEqual([]);
  });

  it('every installation table says why it is not exported', () => {
    for (const entry of TABLE_CLASSES) if (entry.kind === 'installation') expect(entry.why.length, entry.name).toBeGreaterThan(20);
  });

  it('lists town tables in foreign-key order, pointing only to town tables (or to a column set after all rows are in)', () => {
    const position = new Map(TOWN_TABLES.map((t, i) => [t.name, i]));
    const problems: string[] = [];
    for (const key of foreignKeys) {
      const from = position.get(key.table);
      if (from === undefined) continue;
      const table = TOWN_TABLES[from]!;
      if (key.columns.every((c) => table.later?.includes(c))) continue;
      const to = position.get(key.target);
      if (to === undefined) problems.push(`${key.table}(${key.columns}) points to the installation table ${key.target}`);
      else if (to > from) problems.push(`${key.table}(${key.columns}) points to ${key.target}, which comes later`);
    }
    expect(problems).toEqual([]);
  });

  it('every town table has a primary key (the archive’s row order); renumbered keys are single sequence numbers', () => {
    for (const table of TOWN_TABLES) {
      const entry = catalog.get(table.name)!;
      expect(entry.primaryKey.length, table.name).toBeGreaterThan(0);
      if (!table.renumber) continue;
      expect(entry.primaryKey, table.name).toEqual([table.renumber.column]);
      expect(entry.columns.find((c) => c.name === table.renumber!.column)?.sequence, table.name).toBeTruthy();
      // A renumbered table's rows are matched by their old key when a later column is set: not both.
      expect(table.later, table.name).toBeUndefined();
    }
    // Every foreign key to a renumbered table moves with it.
    for (const key of foreignKeys) {
      const target = TOWN_TABLES.find((t) => t.name === key.target);
      if (!target?.renumber || !TOWN_TABLES.some((t) => t.name === key.table)) continue;
      expect(RENUMBERED_REFERENCES, `${key.table}.${key.columns}`).toContainEqual({
        table: key.table,
        column: key.columns[0],
        target: key.target,
      });
    }
  });
});
