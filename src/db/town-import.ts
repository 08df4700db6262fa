import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './schema.ts';
import type { TownManifest, TownTableData } from './town-archive.ts';
import { readCatalog, readMigrations, type CatalogColumn, type CatalogTable, type UniqueKey } from './town-catalog.ts';
import { AUDIT_ENTITY_OF_RENUMBERED, RENUMBERED_REFERENCES, townTable, type TownTable } from './town-tables.ts';

// `schalter import FILE` (docs/town-export.md): a town's archive into this installation, in one
// transaction — all of it or, on any refusal or error, nothing. The rows go in as the archive has
// them, parsed by PostgreSQL itself (jsonb_populate_record), so numbers, arrays and JSON keep every
// digit; only sequence numbers that are already taken here move up (TownTable.renumber).

/** The import was refused before anything was written: worded for the operator (German / English). */
export class TownImportRefusedError extends Error {}

/** Rows per statement: large enough to be quick, small enough for one parameter. */
const BATCH = 2000;

/** How a clash is named to the operator for the keys people know; others by table and columns. */
const KEY_LABELS: Record<string, string> = {
  municipality_pkey: 'Stadt / municipality',
  office_pkey: 'Standort / office',
  service_pkey: 'Dienstleistung / service',
  staff_user_email_key: 'Mitarbeiterkonto (E-Mail) / staff account (email)',
  staff_user_pkey: 'Mitarbeiterkonto (ID) / staff account (id)',
  appointment_reference_key: 'Terminnummer / appointment reference',
  appointment_pkey: 'Termin (ID) / appointment (id)',
  document_order_order_number_key: 'Auftragsnummer / document order number',
  api_token_name_key: 'API-Token / API token',
};

export type ImportReport = { tables: { name: string; rows: number; renumberedBy: number }[] };

export async function importTown(
  db: Kysely<DB>,
  archive: { manifest: TownManifest; tables: TownTableData[] },
  options: { onTable?: (name: string, rows: number) => void } = {},
): Promise<ImportReport> {
  const { manifest } = archive;
  return db.transaction().execute(async (trx) => {
    const migrations = await readMigrations(trx);
    refuseOtherSchema(manifest.migrations, migrations);
    const catalog = await readCatalog(trx);
    const tables = archive.tables.map((data) => {
      const classified = townTable(data.name);
      const entry = catalog.get(data.name);
      // Same migrations, so the same tables and columns; a mismatch means a file edited by hand.
      if (!classified || !entry || entry.columns.map((c) => c.name).join() !== data.columns.map((c) => c.name).join()) {
        throw new TownImportRefusedError(
          `Die Tabelle ${data.name} der Datei passt nicht zu dieser Installation. / Table ${data.name} of the file does not match this installation.`,
        );
      }
      return { data, classified, entry };
    });

    const offsets = new Map<string, number>();
    for (const { data, classified, entry } of tables) {
      if (classified.renumber) offsets.set(data.name, await renumberOffset(trx, entry, classified.renumber.column, data.lines));
    }
    const clashes: string[] = [];
    for (const { data, classified, entry } of tables) {
      for (const key of entry.keys) {
        // A renumbered key cannot clash: its numbers move past the highest here.
        if (classified.renumber && key.columns.includes(classified.renumber.column)) continue;
        clashes.push(...(await clashesOf(trx, entry, key, data.lines)));
      }
    }
    if (clashes.length > 0) {
      throw new TownImportRefusedError(
        `Der Import wird abgelehnt: diese Einträge gibt es in dieser Installation schon. Nichts wurde geändert. / ` +
          `Import refused: these already exist in this installation. Nothing was changed.\n${clashes.map((c) => `  ${c}`).join('\n')}`,
      );
    }

    const report: ImportReport = { tables: [] };
    for (const { data, classified, entry } of tables) {
      for (let start = 0; start < data.lines.length; start += BATCH) {
        await insertRows(trx, entry, classified, offsets, data.lines.slice(start, start + BATCH));
      }
      report.tables.push({ name: data.name, rows: data.lines.length, renumberedBy: offsets.get(data.name) ?? 0 });
      options.onTable?.(data.name, data.lines.length);
    }
    for (const { data, classified, entry } of tables) {
      if (!classified.later?.length) continue;
      for (let start = 0; start < data.lines.length; start += BATCH) {
        await setLater(trx, entry, classified.later, data.lines.slice(start, start + BATCH));
      }
    }
    for (const { entry } of tables) await advanceSequences(trx, entry);
    return report;
  });
}

function refuseOtherSchema(theirs: readonly string[], ours: readonly string[]): void {
  const missingHere = theirs.filter((m) => !ours.includes(m));
  const missingThere = ours.filter((m) => !theirs.includes(m));
  if (missingHere.length === 0 && missingThere.length === 0) return;
  const lines = [
    ...missingHere.map((m) => `  nur in der Datei / only in the file: ${m}`),
    ...missingThere.map((m) => `  nur hier / only here: ${m}`),
  ];
  throw new TownImportRefusedError(
    'Die Datei stammt von einem anderen Stand des Datenbankschemas als diese Installation. Bringen Sie beide auf dieselbe Version von Schalter ' +
      '(schalter migrate) und exportieren Sie neu. / The file comes from another schema version than this installation: bring both to the same ' +
      `version of Schalter and export again.\n${lines.join('\n')}`,
  );
}

/** The archive's rows as a set of records of the table's type; bytea columns are decoded separately. */
function records(entry: CatalogTable, lines: readonly string[]) {
  const binary = entry.columns.filter((c) => c.type === 'bytea').map((c) => c.name);
  const json = `[${lines.join(',')}]`;
  return sql`jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS e(j, n)
    CROSS JOIN LATERAL jsonb_populate_record(NULL::${sql.table(entry.name)}, e.j - ${binary}::text[]) AS r`;
}

/** 0 when none of the imported numbers is taken here (they stay as they are), else the shift past the highest here. */
async function renumberOffset(trx: Kysely<DB>, entry: CatalogTable, column: string, lines: readonly string[]): Promise<number> {
  if (lines.length === 0) return 0;
  const { rows } = await sql<{ taken: boolean; here: string | null; low: string }>`
    SELECT EXISTS (SELECT 1 FROM ${sql.table(entry.name)} t WHERE t.${sql.id(column)} IN (SELECT r.${sql.id(column)} FROM ${records(entry, lines)})) AS taken,
           (SELECT max(${sql.id(column)})::text FROM ${sql.table(entry.name)}) AS here,
           (SELECT min(r.${sql.id(column)})::text FROM ${records(entry, lines)}) AS low`.execute(trx);
  const row = rows[0]!;
  if (!row.taken) return 0;
  return Number(row.here) - Number(row.low) + 1;
}

async function clashesOf(trx: Kysely<DB>, entry: CatalogTable, key: UniqueKey, lines: readonly string[]): Promise<string[]> {
  const label = KEY_LABELS[key.name] ?? `${entry.name} (${key.columns.join(', ')})`;
  const found: string[] = [];
  let total = 0;
  for (let start = 0; start < lines.length; start += BATCH) {
    const match = sql.join(
      key.columns.map((c) => sql`t.${sql.id(c)} = r.${sql.id(c)}`),
      sql` AND `,
    );
    const shown = sql.join(
      key.columns.map((c) => sql`r.${sql.id(c)}::text`),
      sql`, `,
    );
    const { rows } = await sql<{ value: string; total: string }>`
      SELECT concat_ws(', ', ${shown}) AS value, count(*) OVER () AS total
      FROM ${records(entry, lines.slice(start, start + BATCH))}
      WHERE EXISTS (SELECT 1 FROM ${sql.table(entry.name)} t WHERE ${match})
      ORDER BY e.n LIMIT 5`.execute(trx);
    total += Number(rows[0]?.total ?? 0);
    found.push(...rows.map((r) => r.value).slice(0, 5 - found.length));
  }
  if (total === 0) return [];
  const more = total > found.length ? ` … (${total} insgesamt / in all)` : '';
  return [`${label}: ${found.join('; ')}${more}`];
}

async function insertRows(
  trx: Kysely<DB>,
  entry: CatalogTable,
  classified: TownTable,
  offsets: Map<string, number>,
  lines: readonly string[],
): Promise<void> {
  const values = entry.columns.map((column) => imported(entry.name, column, classified, offsets));
  const overriding = entry.columns.some((c) => c.identityAlways) ? sql`OVERRIDING SYSTEM VALUE` : sql``;
  await sql`INSERT INTO ${sql.table(entry.name)} (${sql.join(entry.columns.map((c) => sql.id(c.name)))}) ${overriding}
    SELECT ${sql.join(values)} FROM ${records(entry, lines)} ORDER BY e.n`.execute(trx);
}

/** The value a column gets on insert: as in the archive, unless it is decoded, set later or renumbered. */
function imported(table: string, column: CatalogColumn, classified: TownTable, offsets: Map<string, number>): RawBuilder<unknown> {
  const value = sql`r.${sql.id(column.name)}`;
  if (classified.later?.includes(column.name)) return sql`NULL`;
  if (column.type === 'bytea') return sql`decode(e.j->>${column.name}, 'base64')`;
  if (classified.renumber?.column === column.name && offsets.get(table)) return sql`${value} + ${offsets.get(table)!}`;
  const reference = RENUMBERED_REFERENCES.find((r) => r.table === table && r.column === column.name);
  if (reference && offsets.get(reference.target)) return sql`${value} + ${offsets.get(reference.target)!}`;
  if (table === 'audit_log' && column.name === 'entity_id') {
    const moved = Object.entries(AUDIT_ENTITY_OF_RENUMBERED).filter(([, target]) => offsets.get(target));
    if (moved.length === 0) return value;
    return sql`CASE ${sql.join(
      moved.map(
        ([entity, target]) =>
          sql`WHEN r.entity = ${entity} AND ${value} ~ '^[0-9]+$' THEN (${value}::bigint + ${offsets.get(target)!})::text`,
      ),
      sql` `,
    )} ELSE ${value} END`;
  }
  return value;
}

/** The columns of a foreign key cycle, set once the rows they point to are in. */
async function setLater(trx: Kysely<DB>, entry: CatalogTable, later: readonly string[], lines: readonly string[]): Promise<void> {
  const match = sql.join(
    entry.primaryKey.map((c) => sql`t.${sql.id(c)} = r.${sql.id(c)}`),
    sql` AND `,
  );
  await sql`UPDATE ${sql.table(entry.name)} t SET ${sql.join(later.map((c) => sql`${sql.id(c)} = r.${sql.id(c)}`))}
    FROM ${records(entry, lines)} WHERE ${match}`.execute(trx);
}

/** A sequence behind the highest imported number would hand out a taken one next. */
async function advanceSequences(trx: Kysely<DB>, entry: CatalogTable): Promise<void> {
  for (const column of entry.columns) {
    if (!column.sequence) continue;
    await sql`SELECT setval(${column.sequence}, x.m) FROM (SELECT max(${sql.id(column.name)}) AS m FROM ${sql.table(entry.name)}) x
      WHERE x.m IS NOT NULL AND x.m > coalesce((SELECT last_value FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename) = ${column.sequence}), 0)`.execute(
      trx,
    );
  }
}
