import { sql, type Kysely } from 'kysely';
import type { ReplacementUnit } from '../domain/replacement.ts';
import type { DB } from './schema.ts';
import { noteCapacityChange, type Trx } from './transaction.ts';

// Seat queries of the closure job and replacement offers, which work on many units at once.

export async function readReplacementUnits(db: Kysely<DB> | Trx, officeId: string, from: number, to: number): Promise<ReplacementUnit[]> {
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'held_back', 'phone_reserved', 'load', 'closed', 'rebooking_only', 'leased', 'lease_load'])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .orderBy('starts_at')
    .execute();
  // The central pool only: seats leased to the branch node are not the closure job's to give (the
  // lease guard trigger refuses them anyway), so the search must not plan with them.
  return rows.map((r) => ({ startsAt: r.starts_at.getTime(), capacity: r.capacity - r.leased, heldBack: r.held_back, phoneReserved: r.phone_reserved, load: r.load - r.lease_load, closed: r.closed, rebookingOnly: r.rebooking_only }));
}

/** Adds n (negative: gives back) to the load of each `office\0epochMs` unit, in one statement. */
export async function changeLoads(trx: Trx, changes: { key: string; n: number }[]): Promise<void> {
  if (changes.length === 0) return;
  const parts = changes.map((c) => c.key.split('\u0000') as [string, string]);
  noteCapacityChange(trx, parts.map(([officeId, t]) => ({ officeId, start: Number(t) })));
  await sql`
    UPDATE capacity_unit u SET load = u.load + v.n
    FROM unnest(${parts.map((p) => p[0])}::text[], ${parts.map((p) => new Date(Number(p[1])).toISOString())}::timestamptz[], ${changes.map((c) => c.n)}::int[]) AS v(office_id, starts_at, n)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at`.execute(trx);
}

