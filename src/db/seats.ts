import { sql } from 'kysely';
import type { UnitLoad } from '../domain/capacity-types.ts';
import type { Trx } from './transaction.ts';
import type { DB } from './schema.ts';
import type { Kysely } from 'kysely';

function toUnitLoad(row: { starts_at: Date; capacity: number; held_back: number; phone_reserved: number; load: number }): UnitLoad {
  return {
    startsAt: row.starts_at.getTime(),
    capacity: row.capacity,
    heldBack: row.held_back,
    phoneReserved: row.phone_reserved,
    load: row.load,
  };
}

/** Units of one office in [from, to), oldest first; a plain read for searching. */
export async function readUnits(db: Kysely<DB>, officeId: string, from: number, to: number): Promise<UnitLoad[]> {
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'held_back', 'phone_reserved', 'load'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('starts_at')
    .execute();
  return rows.map(toUnitLoad);
}

/**
 * Locks the given units of an office in time order (one order for everyone keeps deadlocks rare)
 * and returns them as they are now. Units that do not exist are simply missing from the result.
 */
export async function lockUnits(trx: Trx, officeId: string, starts: readonly number[]): Promise<UnitLoad[]> {
  if (starts.length === 0) return [];
  const rows = await trx
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'held_back', 'phone_reserved', 'load'])
    .where('office_id', '=', officeId)
    .where('starts_at', 'in', starts.map((s) => new Date(s)))
    .orderBy('starts_at')
    .forUpdate()
    .execute();
  return rows.map(toUnitLoad);
}

/** Adds delta to the load of each unit. The table's CHECK (load <= capacity) is the last line of defence. */
export async function changeLoad(trx: Trx, officeId: string, starts: readonly number[], delta: 1 | -1): Promise<void> {
  if (starts.length === 0) return;
  await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + ${delta}` })
    .where('office_id', '=', officeId)
    .where('starts_at', 'in', starts.map((s) => new Date(s)))
    .execute();
}
