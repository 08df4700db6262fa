import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Trx } from './transaction.ts';

// Advisory locks share one key space per database; this namespace keeps contact locks apart.
const CONTACT_LOCK_NAMESPACE = 0x5c4a; // "SchAlter contact"

/**
 * Serialises bookings of one person until the transaction ends, so that the per-contact limit is
 * checked against every booking committed before (a statement's snapshot starts after the lock).
 */
export async function lockContact(trx: Trx, contactKey: string): Promise<void> {
  const key = createHash('sha256').update(contactKey).digest().readInt32BE(0);
  await sql`SELECT pg_advisory_xact_lock(${CONTACT_LOCK_NAMESPACE}::int, ${key}::int)`.execute(trx);
}
