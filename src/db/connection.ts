import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { isBackgroundWork, markBackgroundWork, yieldToRequests } from './background-work.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export type Database = {
  db: Kysely<DB>;
  kind: DatabaseKind;
  pool?: PoolView;
  /** PGlite only: its data folder as a gzipped tar (`schalter backup`, src/db/backup-snapshot.ts). */
  dumpDataDir?: () => Promise<Uint8Array>;
  close(): Promise<void>;
};

/**
 * The connection pool as the metrics see it. On PGlite it is a pool of one over the single embedded
 * connection: `inUse` is 0 or 1, and `waiting` and the waits are requests queued behind it.
 */
export type PoolView = {
  readonly max: number;
  stats(): { total: number; idle: number; waiting: number };
  /** Called with the seconds each checkout waited for its connection (0 when one was idle). */
  onWait(listener: (seconds: number) => void): void;
};

function viewOf(pool: pg.Pool, max: number): { view: PoolView; connect: () => Promise<pg.PoolClient> } {
  const listeners: ((seconds: number) => void)[] = [];
  return {
    view: {
      max,
      stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      onWait: (listener) => listeners.push(listener),
    },
    connect: async () => {
      const started = performance.now();
      const client = await pool.connect();
      const seconds = (performance.now() - started) / 1000;
      for (const listener of listeners) listener(seconds);
      return client;
    },
  };
}

export type OpenDatabaseOptions = {
  /** postgres://… — when set, PostgreSQL; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (ignored for PostgreSQL). */
  dataDir?: string | undefined;
  /** PGlite in memory, for tests. */
  memory?: boolean;
  poolSize?: number;
  onProgress?: (message: string) => void;
};

// pg turns DATE into a JS Date at local midnight, which shifts days across time zones.
// Office-local dates stay 'YYYY-MM-DD' strings; bigint ids stay strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/**
 * A statement whose text starts with this comment runs as a named prepared statement: PostgreSQL
 * parses and plans it once per connection instead of on every call. For the hot statements whose
 * text does not vary with their values (the booking statement: planning it cost about as much as
 * executing it). Behind PgBouncer this needs version 1.21 or newer with max_prepared_statements set.
 */
export const PREPARED_STATEMENT = '/* prepared */';

const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `schalter_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (preparedNames.size > 1000) preparedNames.clear();
    preparedNames.set(text, name);
  }
  return name;
}

type QueryFunction = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Kysely sends (text, values); marked texts go out with a name, so pg prepares them once per connection. */
function preparesMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFunction;
  (client as unknown as { query: QueryFunction }).query = (config, values, callback) =>
    typeof config === 'string' && config.startsWith(PREPARED_STATEMENT) && callback === undefined
      ? query({ name: preparedName(config), text: config, values })
      : query(config, values, callback);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 20);
  return openPglite(options);
}

function openPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  pool.on('connect', preparesMarkedStatements);
  const { view, connect } = viewOf(pool, max);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: { connect, end: () => pool.end() } }) });
  return { db, kind: 'postgres', pool: view, close: () => db.destroy() };
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const location = options.memory ? 'memory://' : options.dataDir;
  if (!location) throw new Error('openDatabase: dataDir or memory is required for PGlite');
  // PostgreSQL's default 128 MB of shared buffers is sized for a server; an office's embedded
  // database holds a few thousand rows a day and the OS caches its files anyway. 32 MB keeps the
  // process about 100 MB smaller.
  const pglite = await PGlite.create(location, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] });
  // PGlite is single-connection: the pool of one serialises transactions, which is what keeps
  // row locks meaningful on the embedded database.
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  pool.on('connect', preparesMarkedStatements);
  markBackgroundWork();
  const { view, connect } = viewOf(pool, 1);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: requestsFirst(connect, pool) }) });
  return {
    db,
    kind: 'pglite',
    pool: view,
    dumpDataDir: async () => new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer()),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/**
 * The pool as Kysely sees it: background work (background-work.ts) lets the event loop turn before
 * it takes the connection, so a long job hands the embedded database to waiting requests between any
 * two of its queries or transactions instead of running to its end first.
 */
function requestsFirst(connect: () => Promise<pg.PoolClient>, pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      if (isBackgroundWork()) await yieldToRequests();
      return connect();
    },
    end: () => pool.end(),
  };
}
