import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { Trx } from './transaction.ts';

// Advisory locks share one key space per database; this namespace keeps contact locks apart.
const CONTACT_LOCK_NAMESPACE = 0x5c4a; // "SchAlter contact"

function lockKey(contactKey: string): number {
  return createHash('sha256').update(contactKey).digest().readInt32BE(0);
}

/**
 * Serialises bookings of one person until the transaction ends, so that the per-contact limit is
 * checked against every booking committed before (a statement's snapshot starts after the lock).
 */
export async function lockContact(trx: Trx, contactKey: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CONTACT_LOCK_NAMESPACE}::int, ${lockKey(contactKey)}::int)`.execute(trx);
}

/**
 * `work` in a transaction that holds the person's lock from its start. BEGIN and the lock go to the
 * server as one simple query (both are constants, no parameters), which saves a round trip on every
 * online booking — the most frequent write at release time.
 */
export async function withContactLocked<T>(db: Kysely<DB>, contactKey: string, work: (connection: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN; SELECT pg_advisory_xact_lock(${CONTACT_LOCK_NAMESPACE}, ${lockKey(contactKey)})`).execute(connection);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => {});
      throw error;
    }
    await sql`COMMIT`.execute(connection);
    return result;
  });
}
