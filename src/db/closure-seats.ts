import { sql, type Kysely } from 'kysely';
import type { ReplacementLimitParameters, ReplacementUnit } from '../domain/replacement.ts';
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


export type ReplacementSeats = { officeId: string; start: number; n: number; limit: ReplacementLimitParameters };

/**
 * Takes n seats in each unit that still has them free for a replacement, in one statement, and
 * returns the units it took them in. The caller planned on a picture that may be stale: it rolls back
 * unless every unit was taken. The condition is replacementSeatLimit() of src/domain/replacement.ts on
 * the central pool, as readReplacementUnits shows it (test/db/seat-limit-sql.test.ts checks that both
 * agree): closed seats come out of the central pool, as in hasFreeSeat, not out of the unit as a whole.
 */
export async function takeReplacementSeats(trx: Trx, entries: readonly ReplacementSeats[]): Promise<{ officeId: string; start: number }[]> {
  if (entries.length === 0) return [];
  noteCapacityChange(trx, entries);
  const { rows } = await sql<{ office_id: string; t: number }>`
    UPDATE capacity_unit u SET load = u.load + v.n
    FROM unnest(${entries.map((e) => e.officeId)}::text[], ${entries.map((e) => new Date(e.start).toISOString())}::timestamptz[], ${entries.map((e) => e.n)}::int[],
                ${entries.map((e) => new Date(e.limit.heldBackReleasedFrom).toISOString())}::timestamptz[], ${entries.map((e) => new Date(e.limit.heldBackReleasedUntil).toISOString())}::timestamptz[])
      AS v(office_id, starts_at, n, hb_from, hb_until)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at
      AND u.load - u.lease_load + v.n <= GREATEST(0, u.capacity - u.leased - u.closed - CASE WHEN u.starts_at >= v.hb_from AND u.starts_at < v.hb_until THEN 0 ELSE u.held_back END)
    RETURNING u.office_id, (extract(epoch FROM u.starts_at) * 1000)::float8 AS t`.execute(trx);
  return rows.map((r) => ({ officeId: r.office_id, start: Number(r.t) }));
}
