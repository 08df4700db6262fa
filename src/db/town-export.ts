import { sql, type Kysely } from 'kysely';
import { SCHALTER_VERSION } from '../version.ts';
import type { DB } from './schema.ts';
import { packTownArchive, TOWN_FORMAT, TOWN_FORMAT_VERSION, type TownManifest, type TownTableData } from './town-archive.ts';
import { readCatalog, readMigrations, type CatalogColumn } from './town-catalog.ts';
import { TOWN_TABLES } from './town-tables.ts';

// `schalter export --municipality ID FILE` (docs/town-export.md). All tables are read in one
// REPEATABLE READ, READ ONLY transaction: on PostgreSQL a snapshot taken while the servers keep
// working, so the archive shows one moment even if bookings arrive meanwhile; on the embedded
// database the one connection is held for the duration, as a backup holds it.

/** There is no town with this id: worded for the operator (German / English). */
export class UnknownTownError extends Error {}

export type TownExport = { file: Buffer; manifest: Omit<TownManifest, 'tables'>; counts: { name: string; rows: number }[] };

export async function exportTown(
  db: Kysely<DB>,
  municipalityId: string,
  options: { now?: () => Date; onTable?: (name: string, rows: number) => void } = {},
): Promise<TownExport> {
  const snapshot = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      const town = await trx.selectFrom('municipality').select(['id', 'name']).where('id', '=', municipalityId).executeTakeFirst();
      if (!town) {
        const known = (await trx.selectFrom('municipality').select('id').orderBy('id').execute()).map((m) => m.id);
        throw new UnknownTownError(
          `Eine Stadt „${municipalityId}“ gibt es in dieser Installation nicht (vorhanden: ${known.join(', ') || 'keine'}). / ` +
            `There is no municipality "${municipalityId}" in this installation (known: ${known.join(', ') || 'none'}).`,
        );
      }
      const catalog = await readCatalog(trx);
      const migrations = await readMigrations(trx);
      const tables: TownTableData[] = [];
      for (const table of TOWN_TABLES) {
        const entry = catalog.get(table.name);
        if (!entry) throw new Error(`town export: table ${table.name} is classified but not in the database`);
        const order = entry.primaryKey.map((column) => sql.ref(`t.${column}`));
        const { rows } = await sql<{ line: string }>`
          SELECT (SELECT row_to_json(x) FROM (SELECT ${sql.join(entry.columns.map(exported))}) x)::text AS line
          FROM ${sql.table(table.name)} t WHERE ${table.rows(sql`${municipalityId}::text`)}
          ORDER BY ${sql.join(order)}`.execute(trx);
        tables.push({
          name: table.name,
          columns: entry.columns.map((c) => ({ name: c.name, type: c.type })),
          lines: rows.map((r) => r.line),
        });
        options.onTable?.(table.name, rows.length);
      }
      return { town, migrations, tables };
    });
  const manifest: Omit<TownManifest, 'tables'> = {
    format: TOWN_FORMAT,
    formatVersion: TOWN_FORMAT_VERSION,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    schalterVersion: SCHALTER_VERSION,
    migrations: snapshot.migrations,
    municipality: snapshot.town,
  };
  return {
    file: packTownArchive(manifest, snapshot.tables),
    manifest,
    counts: snapshot.tables.map((t) => ({ name: t.name, rows: t.lines.length })),
  };
}

/**
 * A column as the archive writes it: bytea as base64 (PostgreSQL's encode breaks lines, they are
 * removed), timestamps in UTC to the microsecond with Z, everything else as row_to_json writes it.
 */
function exported(column: CatalogColumn) {
  const ref = sql.ref(`t.${column.name}`);
  const as = sql.id(column.name);
  if (column.type === 'bytea') return sql`translate(encode(${ref}, 'base64'), E'\\n', '') AS ${as}`;
  if (column.type === 'timestamp with time zone') {
    return sql`to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${as}`;
  }
  return sql`${ref} AS ${as}`;
}
