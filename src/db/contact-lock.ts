import { hash } from 'node:crypto';
import { sql } from 'kysely';
import type { Trx } from './transaction.ts';

// Advisory locks share one key space per database; this namespace keeps contact locks apart.
const CONTACT_LOCK_NAMESPACE = 0x5c4a; // "SchAlter contact"

function lockKey(contactKey: string): number {
  return hash('sha256', contactKey, 'buffer').readInt32BE(0);
}

/** The advisory lock of a person, for statements that take it themselves (db/booking-statement.ts). */
export function contactLockOf(contactKey: string): ContactLock {
  return { namespace: CONTACT_LOCK_NAMESPACE, key: lockKey(contactKey) };
}

export type ContactLock = { namespace: number; key: number };

/**
 * Serialises bookings of one person until the transaction ends, so that the per-contact limit is
 * checked against every booking committed before (a statement's snapshot starts after the lock).
 */
export async function lockContact(trx: Trx, contactKey: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CONTACT_LOCK_NAMESPACE}::int, ${lockKey(contactKey)}::int)`.execute(trx);
}
