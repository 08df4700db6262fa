import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** The database the integration suite runs on: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const testDbKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh, migrated, empty database. On PostgreSQL each call creates its own database so
 * test files running in parallel never see each other's rows; close() drops it.
 */
export async function createTestDb(options: { poolSize?: number } = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    return database;
  }
  const name = `schalter_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: testUrl.toString(), poolSize: options.poolSize ?? 20 });
  await migrateToLatest(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
