import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { expectedLeaseShare, leaseSeatFree, type LeaseUnit } from '../../domain/branch-lease.ts';
import { UNIT_MINUTES, UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { noteCapacityChange, type Trx } from '../../db/transaction.ts';
import type { AppSettings } from '../shared/settings.ts';
import { officeDayAt } from '../shared/office-time.ts';

// The branch lease (issue #6, src/domain/branch-lease.ts): which share of an office's seats its
// branch node owns, where a same-day walk-in slot still fits, and how lease seats come back. The
// slot itself is the counter command walkin.book_slot (src/app/counter/book-walkin-slot.ts), so the
// branch journals it and the central server replays it against its own lease pool.

/** Looks back this far for the expected no-show and walk-in share. */
const HISTORY_DAYS = 28;

/** Offices with an enrolled branch node that is not revoked: only they lease seats away. */
export async function officesWithBranch(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('sync_branch').select('office_id').where('revoked_at', 'is', null).distinct().execute();
  return new Set(rows.map((r) => r.office_id));
}

/** The lease share of an office: the configured number, or with 'auto' its recent no-show + walk-in share. */
export async function leaseShareFor(db: Kysely<DB>, officeId: string, now: number, setting: AppSettings['branchLeaseShare']): Promise<number> {
  if (typeof setting === 'number') return setting;
  const since = new Date(now - HISTORY_DAYS * 86_400_000);
  const appointments = await db
    .selectFrom('appointment')
    .select([sql<string>`count(*) FILTER (WHERE status IN ('served', 'no_show'))`.as('decided'), sql<string>`count(*) FILTER (WHERE status = 'no_show')`.as('no_shows')])
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', since)
    .where('starts_at', '<', new Date(now))
    .executeTakeFirstOrThrow();
  const tickets = await db
    .selectFrom('ticket')
    .select([sql<string>`count(*)`.as('tickets'), sql<string>`count(*) FILTER (WHERE kind = 'walkin')`.as('walkins')])
    .where('office_id', '=', officeId)
    .where('arrived_at', '>=', since)
    .executeTakeFirstOrThrow();
  return expectedLeaseShare({ decided: Number(appointments.decided), noShows: Number(appointments.no_shows), tickets: Number(tickets.tickets), walkins: Number(tickets.walkins) });
}

/**
 * Starts later today at which the lease has a seat in every unit a walk-in slot of `units` units
 * needs, earliest first — what the clerk offers („um 11:20 hätte ich etwas für Sie“).
 */
export async function freeLeaseStarts(db: Kysely<DB>, input: { officeId: string; at: number; units: number; limit?: number }): Promise<number[]> {
  const office = await officeDayAt(db, input.officeId, input.at);
  const dayEnd = Temporal.PlainDate.from(office.day).add({ days: 1 }).toZonedDateTime({ timeZone: office.timeZone }).epochMilliseconds;
  const first = Math.ceil(input.at / UNIT_MS) * UNIT_MS;
  const rows = await db
    .selectFrom('capacity_unit')
    .select(['starts_at', 'leased', 'lease_load', 'load', 'capacity', 'closed'])
    .where('office_id', '=', input.officeId)
    .where('starts_at', '>=', new Date(first))
    .where('starts_at', '<', new Date(dayEnd))
    .orderBy('starts_at')
    .execute();
  const free = new Set(rows.filter((r) => leaseSeatFree(leaseUnit(r))).map((r) => r.starts_at.getTime()));
  const starts: number[] = [];
  for (const t of [...free].sort((a, b) => a - b)) {
    if (Array.from({ length: input.units }, (_, k) => t + k * UNIT_MS).every((u) => free.has(u))) starts.push(t);
    if (starts.length >= (input.limit ?? 12)) break;
  }
  return starts;
}

/** A capacity_unit row as the domain's lease rule reads it (also book-walkin-slot.ts). */
export function leaseUnit(r: { capacity: number; closed: number; load: number; leased: number; lease_load: number }): LeaseUnit {
  return { capacity: r.capacity, closed: r.closed, load: r.load, leased: r.leased, leaseLoad: r.lease_load };
}

/** Units a walk-in slot of this service and number of persons takes (as bookWalkinSlot counts them). */
export async function walkinSlotUnits(db: Kysely<DB> | Trx, officeId: string, serviceId: string, persons: number): Promise<number> {
  const service = await db
    .selectFrom('office_service')
    .innerJoin('service', 'service.id', 'office_service.service_id')
    .select('service.duration_minutes')
    .where('office_service.office_id', '=', officeId)
    .where('office_service.service_id', '=', serviceId)
    .executeTakeFirst();
  if (!service) throw new DomainError('service_not_offered', 'This office does not offer the service', { serviceId });
  return Math.max(1, Math.ceil((service.duration_minutes * persons) / UNIT_MINUTES));
}

/**
 * An appointment given as a walk-in slot gives its seats back differently: one within the lease
 * returns lease seats (lease_load too), one beyond the lease never took a seat and returns none.
 * Forgets the lease booking, so the appointment counts as an ordinary one afterwards (e.g. when it
 * is moved into central seats). Returns, per appointment id found, whether it was within the lease.
 */
export async function releaseLeaseBookings(trx: Trx, appointmentIds: readonly string[]): Promise<Map<string, boolean>> {
  if (appointmentIds.length === 0) return new Map();
  const rows = await trx.deleteFrom('lease_booking').where('appointment_id', 'in', [...appointmentIds]).returning(['appointment_id', 'within_lease']).execute();
  return new Map(rows.map((r) => [r.appointment_id, r.within_lease]));
}

/** Gives lease seats back: lease_load - n in each unit (the caller lowers load as for any seat). */
export async function returnLeaseSeats(trx: Trx, changes: readonly { officeId: string; start: number; n: number }[]): Promise<void> {
  if (changes.length === 0) return;
  noteCapacityChange(trx, changes);
  await sql`
    UPDATE capacity_unit u SET lease_load = GREATEST(0, u.lease_load - v.n)
    FROM unnest(${changes.map((c) => c.officeId)}::text[], ${changes.map((c) => new Date(c.start).toISOString())}::timestamptz[], ${changes.map((c) => c.n)}::int[]) AS v(office_id, starts_at, n)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at`.execute(trx);
}
