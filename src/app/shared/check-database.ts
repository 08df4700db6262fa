import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Throws unless the database answers a query on the schema: the health check's probe. */
export async function checkDatabase(db: Kysely<DB>): Promise<void> {
  await db.selectFrom('office').select('id').limit(1).execute();
}
