import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { expectedLeaseShare, leaseSeatFree, type LeaseUnit } from '../../domain/branch-lease.ts';
import { UNIT_MINUTES, UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import { takeLeaseSeats } from '../../db/seats.ts';
import { noteCapacityChange, type Trx } from '../../db/transaction.ts';
import { recordEvent } from '../appointments/appointment-record.ts';
import type { AppSettings } from '../shared/context.ts';
import type { CommandHandlerResult, CounterCommand } from '../counter/execute-counter-command.ts';
import { officeDayAt } from '../shared/office-time.ts';

// The branch lease (issue #6, src/domain/branch-lease.ts): which share of an office's seats its
// branch node owns, and the counter's same-day walk-in slot booked from it. The slot is a counter
// command, so the branch journals it and the central server replays it against its own lease pool.

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

export type WalkinSlotView = { appointmentId: string; reference: string; startsAt: string; endsAt: string; withinLease: boolean };

type BookSlot = Extract<CounterCommand, { type: 'walkin.book_slot' }>;

/**
 * A walk-in gets a slot later the same day („kommen Sie um 11:20 wieder“). It takes one lease seat
 * in each unit it covers; where the lease has no seat left, the citizen still gets the slot (the
 * office serves them) but without seats, flagged as beyond the lease — centrally a Klärfall.
 * Deterministic given the database: replayed centrally, it decides against the central lease pool.
 */
export async function bookWalkinSlot(trx: Trx, c: BookSlot, at: number): Promise<CommandHandlerResult> {
  const office = await officeDayAt(trx, c.officeId, at);
  const start = Date.parse(c.payload.startsAt);
  const persons = c.payload.persons ?? 1;
  const units = await walkinSlotUnits(trx, c.officeId, c.payload.serviceId, persons);
  const day = Number.isFinite(start) ? Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(office.timeZone).toPlainDate().toString() : null;
  // Same day, on the unit grid, not already over: a walk-in slot is for today only.
  if (day !== office.day || start % UNIT_MS !== 0 || start + UNIT_MS <= at) {
    throw new DomainError('validation_failed', 'A walk-in slot starts later today, on a 5-minute mark', { fields: [{ path: 'startsAt', message: 'later today, on a 5-minute mark' }] });
  }
  const starts = Array.from({ length: units }, (_, k) => new Date(start + k * UNIT_MS));
  // Locked in index order like every seat taker; decided on the newest row versions.
  const rows = await trx
    .selectFrom('capacity_unit')
    .select(['starts_at', 'capacity', 'closed', 'load', 'leased', 'lease_load'])
    .where('office_id', '=', c.officeId)
    .where('starts_at', 'in', starts)
    .orderBy('starts_at')
    .forUpdate()
    .execute();
  const withinLease = rows.length === units && rows.every((r) => leaseSeatFree(leaseUnit(r)));
  if (withinLease) {
    const taken = await takeLeaseSeats(trx, c.officeId, starts.map((s) => s.getTime()));
    // Cannot happen under the row locks unless hasLeaseSeat and leaseSeatFree disagreed; throwing rolls the slot back.
    if (taken !== units) throw new Error(`walk-in slot: ${taken} of ${units} locked lease seats taken`);
  }
  const endsAt = new Date(start + units * UNIT_MS);
  await trx
    .insertInto('appointment')
    .values({
      id: c.payload.appointmentId,
      reference: c.payload.reference,
      office_id: c.officeId,
      starts_at: new Date(start),
      ends_at: endsAt,
      status: 'confirmed',
      source: 'counter',
      language: 'de',
      citizen_name: null,
      citizen_email: null,
      citizen_phone: null,
      // No link for the citizen: the slot was given in person, on a printed slip.
      manage_token_hash: `walkin-slot:${c.payload.appointmentId}`,
      confirmation_code_hash: null,
      reserved_until: null,
      created_at: new Date(at),
      updated_at: new Date(at),
    })
    .execute();
  await trx.insertInto('appointment_service').values({ appointment_id: c.payload.appointmentId, service_id: c.payload.serviceId, persons }).execute();
  await recordEvent(trx, { appointmentId: c.payload.appointmentId, at, actor: c.actor, action: 'booked', from: null, to: 'confirmed', details: { walkinSlot: true, withinLease } });
  await trx.insertInto('lease_booking').values({ appointment_id: c.payload.appointmentId, office_id: c.officeId, within_lease: withinLease, booked_at: new Date(at) }).execute();
  return { walkinSlot: { appointmentId: c.payload.appointmentId, reference: c.payload.reference, startsAt: new Date(start).toISOString(), endsAt: endsAt.toISOString(), withinLease } };
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

function leaseUnit(r: { capacity: number; closed: number; load: number; leased: number; lease_load: number }): LeaseUnit {
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
