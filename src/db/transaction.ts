import type { Kysely, Transaction } from 'kysely';
import { UNIT_MS } from '../domain/capacity-types.ts';
import type { DB } from './schema.ts';
import type { SeatChange, TakenSeat } from './seat-change-notices.ts';

export type Trx = Transaction<DB>;

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

// PostgreSQL may abort a transaction that raced another one; the work is safe to repeat because
// the whole transaction was rolled back. PGlite serialises everything and never gets here.
export async function inTransaction<T>(db: Kysely<DB>, work: (trx: Trx) => Promise<T>, attempts = 6): Promise<T> {
  return withRetry(async () => {
    const callbacks: ((db: Kysely<DB>) => void)[] = [];
    const result = await db.transaction().execute(async (trx) => {
      committed.set(trx, { db, callbacks });
      return work(trx);
    });
    for (const callback of callbacks) callback(db);
    return result;
  }, attempts);
}

const committed = new WeakMap<Trx, { db: Kysely<DB>; callbacks: ((db: Kysely<DB>) => void)[] }>();

/**
 * Runs `callback` with the transaction's database once the transaction has committed (never if it
 * rolls back), e.g. to drop cached answers that the transaction made stale. Transactions opened
 * elsewhere than inTransaction() are not known here; their callbacks are dropped, and caches rely on
 * their expiry time instead.
 */
export function afterCommit(trx: Trx, callback: (db: Kysely<DB>) => void): void {
  committed.get(trx)?.callbacks.push(callback);
}

/** Repeats `work` when PostgreSQL aborted it as a serialization failure or deadlock victim. */
export async function withRetry<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

type CapacityListener = (db: Kysely<DB>, change: SeatChange) => void;
const capacityListeners = new WeakMap<Kysely<DB>, CapacityListener>();

/**
 * The availability cache of `db` registers here (app/app-context.ts, for each database a context is
 * made for) to hear of every committed change of capacity_unit made through it.
 */
export function onCapacityCommitted(db: Kysely<DB>, listener: CapacityListener): void {
  capacityListeners.set(db, listener);
}

/**
 * Marks units (office, start of a 5-minute unit) whose seats or plan the transaction changes; once it
 * has committed, the listener hears of each office's range. Only db/capacity-units.ts calls this: its
 * every write of capacity_unit does, so no cached answer outlives a change. With `seats` (a booking,
 * units of one office) the units' loads afterwards travel along, so cached days are patched, not dropped.
 */
export function noteCapacityChange(
  trx: Trx,
  units: readonly { officeId: string; start: number }[],
  options: { seats?: readonly TakenSeat[] } = {},
): void {
  const ranges = new Map<string, { start: number; end: number }>();
  for (const u of units) {
    const range = ranges.get(u.officeId);
    if (!range) ranges.set(u.officeId, { start: u.start, end: u.start + UNIT_MS });
    else {
      range.start = Math.min(range.start, u.start);
      range.end = Math.max(range.end, u.start + UNIT_MS);
    }
  }
  const { seats } = options;
  if (seats && ranges.size > 1) throw new RangeError('noteCapacityChange: seats belong to the units of one office');
  afterCommit(trx, (db) => {
    for (const [officeId, range] of ranges) capacityCommitted(db, seats ? { officeId, ...range, seats } : { officeId, ...range });
  });
}

/** A change of capacity_unit that has committed already (a statement outside any transaction). */
export function capacityCommitted(db: Kysely<DB>, change: SeatChange): void {
  capacityListeners.get(db)?.(db, change);
}
