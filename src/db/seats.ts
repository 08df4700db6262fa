import { sql, type RawBuilder } from 'kysely';
import type { UnitLoad } from '../domain/capacity-types.ts';
import type { SeatLimitParameters } from '../domain/release.ts';
import { noteCapacityChange, type Trx } from './transaction.ts';
import type { DB } from './schema.ts';
import type { Kysely } from 'kysely';

/**
 * Units of several offices in [from, to), each office's oldest first; a plain read for searching.
 * Instants come back as numbers: parsing thousands of timestamps into Date objects costs more than
 * the query.
 */
export async function readUnitsOfOffices(db: Kysely<DB>, officeIds: readonly string[], from: number, to: number): Promise<{ officeId: string; unit: UnitLoad }[]> {
  if (officeIds.length === 0) return [];
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['office_id', sql<number>`(extract(epoch FROM starts_at) * 1000)::float8`.as('t'), 'capacity', 'held_back', 'phone_reserved', 'load', 'closed', 'rebooking_only', 'leased', 'lease_load'])
    .where('office_id', 'in', [...officeIds])
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('office_id')
    .orderBy('starts_at')
    .execute();
  return rows.map((r) => ({
    officeId: r.office_id,
    unit: { startsAt: r.t, capacity: r.capacity, heldBack: r.held_back, phoneReserved: r.phone_reserved, load: r.load, closed: r.closed, rebookingOnly: r.rebooking_only, leased: r.leased, leaseLoad: r.lease_load },
  }));
}

/**
 * SQL for "this unit has a seat free for the channel": load < seatLimit(unit) of src/domain/release.ts,
 * written out for a row of capacity_unit. test/db/seat-limit-sql.test.ts checks that both agree.
 */
export function hasFreeSeat(limit: SeatLimitParameters): RawBuilder<boolean> {
  const from = new Date(Math.max(limit.heldBackReleasedFrom, -8.64e15)).toISOString();
  const until = new Date(Math.min(limit.heldBackReleasedUntil, 8.64e15)).toISOString();
  // The central pool: leased seats are the branch's (src/app/booking/branch-lease.ts), lease_load their load.
  return sql<boolean>`load - lease_load < GREATEST(0, capacity - leased - closed - rebooking_only
    - CASE WHEN starts_at >= ${from}::timestamptz AND starts_at < ${until}::timestamptz THEN 0 ELSE held_back END
    - CASE WHEN ${limit.phoneSeatsUsable}::boolean THEN 0 ELSE phone_reserved END)`;
}

/**
 * Takes one seat in each given unit that has one free and returns how many it took. Row locks are
 * taken in index order and the condition is re-checked on the newest row version, so two
 * transactions can never both take the last seat; the caller rolls back unless all were taken.
 */
export async function takeFreeSeats(trx: Trx, officeId: string, starts: readonly number[], limit: SeatLimitParameters): Promise<number> {
  if (starts.length === 0) return 0;
  noteCapacityChange(trx, starts.map((start) => ({ officeId, start })));
  const result = await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + 1` })
    .where('office_id', '=', officeId)
    .where('starts_at', 'in', starts.map((s) => new Date(s)))
    .where(hasFreeSeat(limit))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Adds delta to the load of each unit. The table's CHECK (load <= capacity) is the last line of defence. */
export async function changeLoad(trx: Trx, officeId: string, starts: readonly number[], delta: 1 | -1): Promise<void> {
  if (starts.length === 0) return;
  noteCapacityChange(trx, starts.map((start) => ({ officeId, start })));
  await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + ${delta}` })
    .where('office_id', '=', officeId)
    .where('starts_at', 'in', starts.map((s) => new Date(s)))
    .execute();
}

/** SQL for leaseSeatFree() of src/domain/branch-lease.ts on a row of capacity_unit; test/db/seat-limit-sql.test.ts checks that both agree. */
export function hasLeaseSeat(): RawBuilder<boolean> {
  return sql<boolean>`(lease_load < leased AND load < capacity - closed)`;
}

/**
 * Takes one lease seat (load and lease_load + 1) in each given unit the lease still has one in and
 * returns how many it took. The walk-in slot locks its units and decides with leaseSeatFree() first.
 */
export async function takeLeaseSeats(trx: Trx, officeId: string, starts: readonly number[]): Promise<number> {
  if (starts.length === 0) return 0;
  noteCapacityChange(trx, starts.map((start) => ({ officeId, start })));
  const result = await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + 1`, lease_load: sql`lease_load + 1` })
    .where('office_id', '=', officeId)
    .where('starts_at', 'in', starts.map((s) => new Date(s)))
    .where(hasLeaseSeat())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
