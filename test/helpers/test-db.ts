import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** The database the integration suite runs on: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const testDbKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

async function adminQuery(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** An empty PostgreSQL database of its own on the DATABASE_URL server, so parallel test files never meet. */
export async function createScratchPostgres(serverUrl: string, prefix = 'schalter_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Settings for running the real program in a test: a data folder of its own and, when the suite runs
 * on PostgreSQL, an empty database of its own. Cleanups are pushed onto the caller's list.
 */
export async function scratchEnvironment(prefix: string, cleanups: (() => Promise<void>)[]): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `schalter-${prefix}-`));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { SCHALTER_DATA_DIR: dataDir };
  const scratch = await createScratchPostgres(serverUrl, `schalter_${prefix}`);
  cleanups.push(scratch.drop);
  return { SCHALTER_DATA_DIR: dataDir, DATABASE_URL: scratch.url };
}

/**
 * A fresh, migrated, empty database: PGlite in memory, or a scratch PostgreSQL database that
 * close() drops.
 */
export async function createTestDb(options: { poolSize?: number } = {}): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    return database;
  }
  const scratch = await createScratchPostgres(serverUrl);
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: options.poolSize ?? 20 });
  await migrateToLatest(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}
