import { sql, type Kysely } from 'kysely';
import type { LeaseUnit } from '../domain/branch-lease.ts';
import type { UnitLoad } from '../domain/capacity-types.ts';
import type { ReplacementUnit } from '../domain/replacement.ts';
import type { TownOffice } from './capacity-units.ts';
import type { DB } from './schema.ts';
import type { Trx } from './transaction.ts';

// Reads of capacity_unit, each in the shape its use case plans with. They change nothing, so they
// stand apart from the table's one writer (db/capacity-units.ts); the seat rules are applied to what
// they return in TypeScript (domain/), and again in SQL by the writes under the row lock.

/**
 * Units of several offices in [from, to), each office's oldest first; a plain read for searching.
 * Instants come back as numbers: parsing thousands of timestamps into Date objects costs more than
 * the query. Filtered by the offices' towns too (decision 0014): on Citus the search then reads the
 * town's shard (and its neighbours'), not every worker.
 */
export async function readUnitsOfOffices(
  db: Kysely<DB>,
  offices: readonly TownOffice[],
  from: number,
  to: number,
): Promise<{ officeId: string; unit: UnitLoad }[]> {
  if (offices.length === 0) return [];
  const towns = [...new Set(offices.map((o) => o.municipalityId))];
  const officeIds = [...new Set(offices.map((o) => o.officeId))];
  const rows = await db
    .selectFrom('capacity_unit')
    .select([
      'office_id',
      sql<number>`(extract(epoch FROM starts_at) * 1000)::float8`.as('t'),
      'capacity',
      'held_back',
      'phone_reserved',
      'load',
      'closed',
      'rebooking_only',
      'leased',
      'lease_load',
    ])
    .where('municipality_id', 'in', towns)
    .where('office_id', 'in', officeIds)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('office_id')
    .orderBy('starts_at')
    .execute();
  return rows.map((r) => ({
    officeId: r.office_id,
    unit: {
      startsAt: r.t,
      capacity: r.capacity,
      heldBack: r.held_back,
      phoneReserved: r.phone_reserved,
      load: r.load,
      closed: r.closed,
      rebookingOnly: r.rebooking_only,
      leased: r.leased,
      leaseLoad: r.lease_load,
    },
  }));
}

/** One office's units in [from, to) as the replacement search sees them: the central pool only. */
export async function readReplacementUnits(db: Kysely<DB> | Trx, officeId: string, from: number, to: number): Promise<ReplacementUnit[]> {
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'held_back', 'phone_reserved', 'load', 'closed', 'rebooking_only', 'leased', 'lease_load'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('starts_at')
    .execute();
  // Seats leased to the branch node are not the closure job's to give (the lease guard trigger
  // refuses them anyway), so the search must not plan with them.
  return rows.map((r) => ({
    startsAt: r.starts_at.getTime(),
    capacity: r.capacity - r.leased,
    heldBack: r.held_back,
    phoneReserved: r.phone_reserved,
    load: r.load - r.lease_load,
    closed: r.closed,
    rebookingOnly: r.rebooking_only,
  }));
}

export type LeaseUnitAt = LeaseUnit & { startsAt: number };

const leaseColumns = ['starts_at', 'capacity', 'closed', 'load', 'leased', 'lease_load'] as const;
const leaseUnit = (r: {
  starts_at: Date;
  capacity: number;
  closed: number;
  load: number;
  leased: number;
  lease_load: number;
}): LeaseUnitAt => ({
  startsAt: r.starts_at.getTime(),
  capacity: r.capacity,
  closed: r.closed,
  load: r.load,
  leased: r.leased,
  leaseLoad: r.lease_load,
});

/** Locks the given units of an office in index order, like every seat taker, and returns the newest row versions. */
export async function lockLeaseUnits(trx: Trx, office: TownOffice, starts: readonly number[]): Promise<LeaseUnitAt[]> {
  if (starts.length === 0) return [];
  const rows = await trx
    .selectFrom('capacity_unit')
    .select(leaseColumns)
    .where('municipality_id', '=', office.municipalityId)
    .where('office_id', '=', office.officeId)
    .where(
      'starts_at',
      'in',
      starts.map((s) => new Date(s)),
    )
    .orderBy('starts_at')
    .forUpdate()
    .execute();
  return rows.map(leaseUnit);
}

/** One office's units in [from, to) as the branch lease sees them, oldest first. */
export async function readLeaseUnits(db: Kysely<DB>, officeId: string, from: number, to: number): Promise<LeaseUnitAt[]> {
  const rows = await db
    .selectFrom('capacity_unit')
    .select(leaseColumns)
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('starts_at')
    .execute();
  return rows.map(leaseUnit);
}

/** Seats left per unit once a closure is in force; `extraClosed` counters are closed on top (a preview). */
export async function readSeatsAfterClosure(
  db: Kysely<DB> | Trx,
  officeId: string,
  window: { from: number; to: number },
  extraClosed: number,
): Promise<Map<number, number>> {
  const units = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'closed'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(window.from))
    .where('starts_at', '<', new Date(window.to))
    .execute();
  return new Map(units.map((u) => [u.starts_at.getTime(), Math.max(0, u.capacity - Math.min(u.capacity, u.closed + extraClosed))]));
}

/** Units of one office in [from, to) that hold bookings: what a new plan must leave room for. */
export async function readBookedUnits(
  db: Kysely<DB> | Trx,
  officeId: string,
  range: { from: number; to: number },
): Promise<{ startsAt: number; load: number; rebookingOnly: number }[]> {
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'load', 'rebooking_only'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(range.from))
    .where('starts_at', '<', new Date(range.to))
    .where('load', '>', 0)
    .orderBy('starts_at')
    .execute();
  return rows.map((r) => ({ startsAt: r.starts_at.getTime(), load: r.load, rebookingOnly: r.rebooking_only }));
}
