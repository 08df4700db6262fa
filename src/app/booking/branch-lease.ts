import { sql, type Kysely } from 'kysely';
import { expectedLeaseShare, leaseSeatFree } from '../../domain/branch-lease.ts';
import { UNIT_MINUTES, UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { readLeaseUnits } from '../../db/capacity-unit-reads.ts';
import type { Trx } from '../../db/transaction.ts';
import type { AppSettings } from '../shared/settings.ts';
import { officeDayAt } from '../shared/office-time.ts';
import { localDayBounds } from '../../domain/zoned-time.ts';

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
export async function leaseShareFor(
  db: Kysely<DB>,
  officeId: string,
  now: number,
  setting: AppSettings['branchLeaseShare'],
): Promise<number> {
  if (typeof setting === 'number') return setting;
  const since = new Date(now - HISTORY_DAYS * 86_400_000);
  const appointments = await db
    .selectFrom('appointment')
    .select([
      sql<string>`count(*) FILTER (WHERE status IN ('served', 'no_show'))`.as('decided'),
      sql<string>`count(*) FILTER (WHERE status = 'no_show')`.as('no_shows'),
    ])
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
  return expectedLeaseShare({
    decided: Number(appointments.decided),
    noShows: Number(appointments.no_shows),
    tickets: Number(tickets.tickets),
    walkins: Number(tickets.walkins),
  });
}

/**
 * Starts later today at which the lease has a seat in every unit a walk-in slot of `units` units
 * needs, earliest first — what the clerk offers („um 11:20 hätte ich etwas für Sie“).
 */
export async function freeLeaseStarts(
  db: Kysely<DB>,
  input: { officeId: string; at: number; units: number; limit?: number },
): Promise<number[]> {
  const office = await officeDayAt(db, input.officeId, input.at);
  const [, dayEnd] = localDayBounds(office.day, office.timeZone);
  const first = Math.ceil(input.at / UNIT_MS) * UNIT_MS;
  const units = await readLeaseUnits(db, input.officeId, first, dayEnd);
  const free = new Set(units.filter(leaseSeatFree).map((u) => u.startsAt));
  const starts: number[] = [];
  for (const t of [...free].sort((a, b) => a - b)) {
    if (Array.from({ length: input.units }, (_, k) => t + k * UNIT_MS).every((u) => free.has(u))) starts.push(t);
    if (starts.length >= (input.limit ?? 12)) break;
  }
  return starts;
}

/** Units a walk-in slot of this service and number of persons takes (as bookWalkinSlot counts them). */
export async function walkinSlotUnits(db: Kysely<DB> | Trx, officeId: string, serviceId: string, persons: number): Promise<number> {
  const service = await db
    .selectFrom('office_service')
    .innerJoin('service', 'service.id', 'office_service.service_id')
    .select(['service.duration_minutes', 'service.duration_further_minutes'])
    .where('office_service.office_id', '=', officeId)
    .where('office_service.service_id', '=', serviceId)
    .executeTakeFirst();
  if (!service) throw new DomainError('service_not_offered', 'This office does not offer the service', { serviceId });
  // appointmentUnits' minutes, but never refusing: a replayed journal entry must decide the same way.
  const minutes = service.duration_minutes + (service.duration_further_minutes ?? service.duration_minutes) * (persons - 1);
  return Math.max(1, Math.ceil(minutes / UNIT_MINUTES));
}

/**
 * An appointment given as a walk-in slot gives its seats back differently: one within the lease
 * returns lease seats (lease_load too), one beyond the lease never took a seat and returns none.
 * Forgets the lease booking, so the appointment counts as an ordinary one afterwards (e.g. when it
 * is moved into central seats). Returns, per appointment id found, whether it was within the lease.
 */
export async function releaseLeaseBookings(trx: Trx, appointmentIds: readonly string[]): Promise<Map<string, boolean>> {
  if (appointmentIds.length === 0) return new Map();
  const rows = await trx
    .deleteFrom('lease_booking')
    .where('appointment_id', 'in', [...appointmentIds])
    .returning(['appointment_id', 'within_lease'])
    .execute();
  return new Map(rows.map((r) => [r.appointment_id, r.within_lease]));
}
