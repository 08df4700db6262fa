import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

export type Trx = Transaction<DB>;

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

// PostgreSQL may abort a transaction that raced another one; the work is safe to repeat because
// the whole transaction was rolled back. PGlite serialises everything and never gets here.
export async function inTransaction<T>(db: Kysely<DB>, work: (trx: Trx) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
