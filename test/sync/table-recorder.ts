import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * The tables a piece of code touches, taken from the SQL it sends: a Kysely plugin compiles every
 * statement (query builder and `sql` templates alike) and notes the names after FROM and JOIN
 * (read), after INTO and UPDATE (written) and after DELETE FROM. Names are kept only if they are tables of
 * the database, so functions (`FROM unnest(…)`) and aliases drop out. SQL inside PL/pgSQL functions
 * and triggers is not seen: it runs in the database and is not the code's own read.
 */
export type TableRecorder = {
  /** The same database, with every statement recorded while `recording` is on. */
  db: Kysely<DB>;
  read: Set<string>;
  /** INSERT and UPDATE targets. */
  written: Set<string>;
  deleted: Set<string>;
  recording: boolean;
};

const NAME_AFTER = /\b(delete\s+from|from|join|into|update)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

export async function recordTables(db: Kysely<DB>): Promise<TableRecorder> {
  const tables = new Set(
    (
      await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(db)
    ).rows.map((r) => r.name),
  );
  const executor = db.getExecutor();
  const recorder: TableRecorder = { db, read: new Set(), written: new Set(), deleted: new Set(), recording: true };
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (!recorder.recording) return args.node;
      const text = executor.compileQuery(args.node, args.queryId).sql;
      for (const [, keyword, name] of text.matchAll(NAME_AFTER)) {
        if (!name || !tables.has(name)) continue;
        if (/^(from|join)$/i.test(keyword!)) recorder.read.add(name);
        else if (/^delete/i.test(keyword!)) recorder.deleted.add(name);
        else recorder.written.add(name);
      }
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
  recorder.db = db.withPlugin(plugin);
  return recorder;
}
