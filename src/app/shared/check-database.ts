import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { pendingMigrations } from '../../db/migrate.ts';

/** Throws unless the database answers a query on the schema: the health check's probe. */
export async function checkDatabase(db: Kysely<DB>): Promise<void> {
  await db.selectFrom('office').select('id').limit(1).execute();
}

/** The migrations of this version that the database lacks: a process started before `schalter migrate` ran elsewhere. */
export async function checkMigrations(db: Kysely<DB>): Promise<string[]> {
  return pendingMigrations(db);
}
