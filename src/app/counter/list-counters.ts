import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';

export type CounterName = { number: number; name: string };

/** The counters of an office, by number: what a clerk opens and what a closure may take out of service. */
export async function listCounters(db: Kysely<DB> | Trx, officeId: string): Promise<CounterName[]> {
  return db.selectFrom('counter').select(['number', 'name']).where('office_id', '=', officeId).orderBy('number').execute();
}
