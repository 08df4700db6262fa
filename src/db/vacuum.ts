import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * VACUUM of the given tables: an UPDATE leaves the old row version in the table's file until VACUUM
 * prunes it, and the embedded database has no autovacuum. Must not run inside a transaction (VACUUM
 * refuses), so it takes the database handle, not a `trx`. Plain VACUUM, not FULL: it does not lock
 * out readers and writers, which on a central server's appointment table would stop every booking.
 */
export async function reclaimDeadRows(db: Kysely<DB>, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await sql`VACUUM ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}
