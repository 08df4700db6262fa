import { sql, type Kysely } from 'kysely';
import { UNIT_MS } from '../domain/capacity-types.ts';
import type { SeatLimitParameters } from '../domain/release.ts';
import { PREPARED_STATEMENT } from './connection.ts';
import { bookingSeatsUpdate, hasFreeSeat, noteBookingSeats } from './capacity-units.ts';
import type { ContactLock } from './contact-lock.ts';
import type { Appointment, DB, NewOutboxMessage } from './schema.ts';
import type { Trx } from './transaction.ts';

export type BookingRows = {
  appointment: Appointment;
  /** One seat in each of these units (epoch ms, consecutive). */
  unitStarts: readonly number[];
  limit: SeatLimitParameters;
  services: readonly { serviceId: string; persons: number }[];
  event: { actor: string; details: Record<string, unknown> };
  mail: NewOutboxMessage | null;
  /** Refuse when the contact already holds this many open appointments for one of the services. */
  contactLimit: { max: number; now: number } | null;
  /** The person's advisory lock, taken by the statement itself before it counts or takes seats; null when the caller's transaction holds it already. */
  contactLock: ContactLock | null;
};

export type BookingOutcome = { outcome: 'booked' | 'slot_unavailable' | 'contact_limit_reached' };

/**
 * The whole booking in one statement, one round trip. It first locks every unit of the slot that
 * still has a seat free for the channel (in start order, re-checked on the newest row version after
 * waiting for a concurrent booking: PostgreSQL's EvalPlanQual), and only if all of them do, and the
 * person is below the limit, takes a seat in each and inserts the appointment, its services, its
 * event and its mail. A full slot is an answer ('slot_unavailable'), not an error: in the storm bench
 * a quarter of all attempts meet a slot somebody else just took, and an aborted statement costs a
 * transaction id, dead row versions and the statement's text in the server log each time. Should the
 * seat update ever take fewer seats than were locked free, the final SELECT fails on purpose (a text
 * that is no integer), which aborts the statement and with it the seats already taken: a statement
 * is atomic even outside a transaction. Invariant 1 rests on the UPDATE's own re-check and the CHECK
 * constraint, not on the lock.
 *
 * With a contact lock, the statement first takes the person's advisory lock (held until it commits);
 * the seat lock and the per-contact count wait for it (an InitPlan, and CASE), and the count runs in
 * a VOLATILE function with a fresh snapshot, so it sees the person's bookings that committed while
 * this one waited (migration 2026-11-30T0900). Without it, two bookings of one person could both pass.
 *
 * The text depends only on which of lock and limit are present, so it runs as a prepared statement
 * (PREPARED_STATEMENT in connection.ts): parsed and planned once per connection, not per booking.
 * The seat-taking step and the note of the seats taken come from db/capacity-units.ts, the owner of
 * every write of capacity_unit; they compose the same text.
 */
export async function insertBooking(db: Kysely<DB> | Trx, rows: BookingRows): Promise<BookingOutcome> {
  const { appointment: a, limit, mail, contactLimit } = rows;
  const starts = rows.unitStarts;
  if (starts.length === 0 || starts.some((start, i) => i > 0 && start - starts[i - 1]! !== UNIT_MS)) {
    throw new RangeError('insertBooking: the units must be consecutive');
  }
  const email = a.citizen_email?.toLowerCase() ?? null;
  const serviceIds = rows.services.map((s) => s.serviceId);
  const lock = rows.contactLock;
  // The slot's bounds go in as sub-selects, which the planner cannot look into. With plain parameters
  // a plan made for the actual values (a custom plan) is costed for the four units it will find, the
  // reusable generic plan for an unknown range of an office's day: on a district's data the generic
  // one looked twice as dear, so PostgreSQL planned every booking anew (a quarter of its CPU in the
  // storm bench). Both are costed alike now, and after five executions the generic plan is kept.
  const first = new Date(starts[0]!).toISOString();
  const last = new Date(starts[starts.length - 1]!).toISOString();
  // The town first (decision 0014): on Citus it routes the whole statement to the town's worker.
  const units = sql`municipality_id = ${a.municipality_id} AND office_id = ${a.office_id} AND starts_at BETWEEN (SELECT ${first}::timestamptz) AND (SELECT ${last}::timestamptz) AND ${hasFreeSeat(limit)}`;
  const query = sql<{
    outcome: 'booked' | 'slot_unavailable' | 'contact_limit_reached';
    seats: [number, number][] | null;
  }>`${sql.raw(PREPARED_STATEMENT)}
    WITH lock AS (
      SELECT ${lock === null ? sql`true` : sql`pg_advisory_xact_lock(${lock.namespace}::int, ${lock.key}::int)::text = ''`} AS held
    ),
    free AS (
      SELECT starts_at FROM capacity_unit WHERE ${units} AND (SELECT held FROM lock) ORDER BY starts_at FOR UPDATE
    ),
    verdict AS (
      -- Counting the free units waits for the person's lock (free waits for it), so the count of the
      -- person's appointments comes after it; a full slot needs no count.
      SELECT seats_ok, ${
        contactLimit === null
          ? sql`true`
          : sql`CASE WHEN seats_ok
                THEN open_appointments_of_contact(${email}, ${a.citizen_phone}, ${serviceIds}::text[], ${new Date(contactLimit.now)}) < ${contactLimit.max} ELSE true END`
      } AS contact_ok
      FROM (SELECT (SELECT count(*) FROM free) = ${starts.length} AS seats_ok) AS counted
    ),
    seats AS (
      ${bookingSeatsUpdate(units, sql`(SELECT seats_ok AND contact_ok FROM verdict)`)}
    ),
    taken AS (
      SELECT count(*) = ${starts.length} AS all_taken, json_agg(json_build_array(t, load)) AS seats FROM seats
    ),
    booked AS (
      INSERT INTO appointment (id, reference, municipality_id, office_id, starts_at, ends_at, status, source, language, citizen_name,
        citizen_email, citizen_phone, manage_token_hash, confirmation_code_hash, reserved_until, created_at, updated_at)
      SELECT ${a.id}::uuid, ${a.reference}, ${a.municipality_id}, ${a.office_id}, ${a.starts_at}, ${a.ends_at}, ${a.status}, ${a.source}, ${a.language},
        ${a.citizen_name}, ${a.citizen_email}, ${a.citizen_phone}, ${a.manage_token_hash}, ${a.confirmation_code_hash},
        ${a.reserved_until}::timestamptz, ${a.created_at}, ${a.updated_at}
      FROM taken WHERE all_taken
      RETURNING id
    ),
    services AS (
      INSERT INTO appointment_service (appointment_id, municipality_id, service_id, persons)
      SELECT booked.id, ${a.municipality_id}, s.service_id, s.persons
      FROM booked, unnest(${serviceIds}::text[], ${rows.services.map((s) => s.persons)}::int[]) AS s(service_id, persons)
    ),
    event AS (
      INSERT INTO appointment_event (appointment_id, at, actor, action, from_status, to_status, details)
      SELECT booked.id, ${a.created_at}, ${rows.event.actor}, 'booked', NULL, ${a.status}, ${JSON.stringify(rows.event.details)}::jsonb
      FROM booked
    ),
    mail AS (
      INSERT INTO outbox (dedupe_key, channel, recipient, subject, body_text, body_html, attachments, created_at, next_attempt_at, mail_from)
      SELECT ${mail?.dedupe_key ?? null}, ${mail?.channel ?? null}, ${mail?.recipient ?? null}, ${mail?.subject ?? null},
        ${mail?.body_text ?? null}, ${mail?.body_html ?? null}, ${mail?.attachments ?? '[]'}::jsonb,
        ${mail?.created_at ?? null}::timestamptz, ${mail?.next_attempt_at ?? null}::timestamptz, ${mail?.mail_from ?? null}::text
      FROM booked WHERE ${mail !== null}::boolean
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    SELECT CASE WHEN NOT seats_ok THEN 'slot_unavailable'
                WHEN NOT contact_ok THEN 'contact_limit_reached'
                WHEN all_taken THEN 'booked'
                ELSE ('seats taken differ from seats locked ' || (SELECT count(*) FROM seats))::int::text
           END AS outcome,
           seats
    FROM verdict, taken`;
  const { rows: result } = await query.execute(db);
  const row = result[0];
  if (!row || row.outcome !== 'booked') return { outcome: row?.outcome ?? 'slot_unavailable' };
  // The load of each unit after the booking, noted with the change: cached availability is patched instead of dropped.
  const seats = (row.seats ?? []).map(([startsAt, load]) => ({ startsAt, load }));
  noteBookingSeats(db, a.office_id, seats);
  return { outcome: 'booked' };
}
