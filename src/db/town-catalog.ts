import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

// What export and import need to know of each table, read from the database itself rather than
// kept by hand: the columns in order with their types and sequences, and the keys that must stay
// unique. So a column added by a later migration is exported and imported without a change here.

export type CatalogColumn = { name: string; type: string; sequence: string | null; identityAlways: boolean };
export type UniqueKey = { name: string; columns: string[]; primary: boolean };
export type CatalogTable = { name: string; columns: CatalogColumn[]; keys: UniqueKey[]; primaryKey: string[] };

export async function readCatalog(db: Kysely<DB>): Promise<Map<string, CatalogTable>> {
  const columns = await sql<{ table_name: string; name: string; type: string; sequence: string | null; identity: string }>`
    SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           pg_get_serial_sequence(format('%I', c.relname), a.attname) AS sequence, a.attidentity::text AS identity
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(db);
  // Unique indexes over plain columns without a WHERE: primary keys, UNIQUE constraints and unique indexes alike.
  const keys = await sql<{ table_name: string; name: string; columns: string[]; primary: boolean }>`
    SELECT c.relname AS table_name, i.relname AS name, x.indisprimary AS primary,
           array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_index x
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND x.indisunique AND x.indpred IS NULL AND x.indexprs IS NULL
    GROUP BY c.relname, i.relname, x.indisprimary
    ORDER BY c.relname, x.indisprimary DESC, i.relname`.execute(db);
  const tables = new Map<string, CatalogTable>();
  for (const row of columns.rows) {
    let table = tables.get(row.table_name);
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [], keys: [], primaryKey: [] }));
    table.columns.push({ name: row.name, type: row.type, sequence: row.sequence, identityAlways: row.identity === 'a' });
  }
  for (const row of keys.rows) {
    const table = tables.get(row.table_name);
    if (!table) continue;
    table.keys.push({ name: row.name, columns: row.columns, primary: row.primary });
    if (row.primary) table.primaryKey = row.columns;
  }
  return tables;
}

/** Every migration the database has run, in name order: the archive's schema version. */
export async function readMigrations(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}
