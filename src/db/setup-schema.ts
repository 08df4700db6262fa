import type { ColumnType } from 'kysely';

// Tables of the town file's apply step (#21); joined into DB in schema.ts. The set-up itself lives
// in the catalogue tables (catalogue-schema.ts).

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One row per applied change of a town's set-up (its ETag, and a signal to other processes). */
export type SetupRevisionTable = {
  revision: ColumnType<number, never, never>;
  municipality_id: string;
  /** SHA-256 of the canonical JSON of the town as applied. */
  sha256: string;
  applied_at: Timestamp;
  applied_by: string;
};

export type SetupTables = { setup_revision: SetupRevisionTable };
