import { sql, type Kysely } from 'kysely';
import type { SeatLimitParameters } from '../domain/release.ts';
import type { ContactLock } from './contact-lock.ts';
import type { Appointment, DB, NewOutboxMessage } from './schema.ts';
import { hasFreeSeat } from './seats.ts';
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

/** Load of each unit the booking took a seat in, after the booking (epoch ms → load): lets the caller patch cached availability instead of dropping it. */
export type TakenSeats = { startsAt: number; load: number }[];

export type BookingOutcome = { outcome: 'booked'; seats: TakenSeats } | { outcome: 'slot_unavailable' } | { outcome: 'contact_limit_reached' };

/**
 * The whole booking in one statement, one round trip: take a seat in every unit whose load is below
 * the channel's limit, and only if all units granted one, insert the appointment, its services, its
 * event and its mail. When a unit is full the final SELECT fails on purpose (a text that is no
 * integer), which aborts the statement and with it the seats already taken: a statement is atomic
 * even outside a transaction. Row locks are taken by the UPDATE in index order and re-checked on the
 * newest row version, so concurrent bookings can never both take the last seat (invariant 1).
 *
 * With a contact lock, the statement first takes the person's advisory lock (held until it commits);
 * the seats and the per-contact count wait for it (an InitPlan, and CASE), and the count runs in a
 * VOLATILE function with a fresh snapshot, so it sees the person's bookings that committed while this
 * one waited (migration 2026-11-30T0900). Without it, two bookings of one person could both pass.
 */
export async function insertBooking(db: Kysely<DB> | Trx, rows: BookingRows): Promise<BookingOutcome> {
  const { appointment: a, limit, mail, contactLimit } = rows;
  const starts = rows.unitStarts.map((s) => new Date(s).toISOString());
  const email = a.citizen_email?.toLowerCase() ?? null;
  const serviceIds = rows.services.map((s) => s.serviceId);
  const lock = rows.contactLock;
  const query = sql<{ booked: number; seats: [number, number][] }>`
    WITH lock AS (
      SELECT ${lock === null ? sql`true` : sql`pg_advisory_xact_lock(${lock.namespace}::int, ${lock.key}::int)::text = ''`} AS held
    ),
    seats AS (
      UPDATE capacity_unit SET load = load + 1
      WHERE office_id = ${a.office_id} AND starts_at = ANY(${starts}::timestamptz[]) AND (SELECT held FROM lock) AND ${hasFreeSeat(limit)}
      RETURNING (extract(epoch FROM starts_at) * 1000)::float8 AS t, load
    ),
    verdict AS (
      SELECT (SELECT count(*) FROM seats) = ${starts.length} AS seats_ok,
             ${contactLimit === null ? sql`true` : sql`CASE WHEN (SELECT held FROM lock)
                THEN open_appointments_of_contact(${email}, ${a.citizen_phone}, ${serviceIds}::text[], ${new Date(contactLimit.now)}) < ${contactLimit.max} END`} AS contact_ok
    ),
    booked AS (
      INSERT INTO appointment (id, reference, office_id, starts_at, ends_at, status, source, language, citizen_name,
        citizen_email, citizen_phone, manage_token_hash, confirmation_code_hash, reserved_until, created_at, updated_at)
      SELECT ${a.id}::uuid, ${a.reference}, ${a.office_id}, ${a.starts_at}, ${a.ends_at}, ${a.status}, ${a.source}, ${a.language},
        ${a.citizen_name}, ${a.citizen_email}, ${a.citizen_phone}, ${a.manage_token_hash}, ${a.confirmation_code_hash},
        ${a.reserved_until}::timestamptz, ${a.created_at}, ${a.updated_at}
      FROM verdict WHERE seats_ok AND contact_ok
      RETURNING id
    ),
    services AS (
      INSERT INTO appointment_service (appointment_id, service_id, persons)
      SELECT booked.id, s.service_id, s.persons
      FROM booked, unnest(${serviceIds}::text[], ${rows.services.map((s) => s.persons)}::int[]) AS s(service_id, persons)
    ),
    event AS (
      INSERT INTO appointment_event (appointment_id, at, actor, action, from_status, to_status, details)
      SELECT booked.id, ${a.created_at}, ${rows.event.actor}, 'booked', NULL, ${a.status}, ${JSON.stringify(rows.event.details)}::jsonb
      FROM booked
    ),
    mail AS (
      INSERT INTO outbox (dedupe_key, channel, recipient, subject, body_text, body_html, attachments)
      SELECT ${mail?.dedupe_key ?? null}, ${mail?.channel ?? null}, ${mail?.recipient ?? null}, ${mail?.subject ?? null},
        ${mail?.body_text ?? null}, ${mail?.body_html ?? null}, ${mail?.attachments ?? '[]'}::jsonb
      FROM booked WHERE ${mail !== null}::boolean
      ON CONFLICT (dedupe_key) DO NOTHING
    )
    SELECT CASE WHEN seats_ok AND contact_ok THEN 1
                ELSE (CASE WHEN seats_ok THEN 'contact_limit_reached ' ELSE 'slot_unavailable ' END || (SELECT count(*) FROM seats))::int
           END AS booked,
           (SELECT json_agg(json_build_array(t, load)) FROM seats) AS seats
    FROM verdict`;
  try {
    const { rows: result } = await query.execute(db);
    return { outcome: 'booked', seats: (result[0]?.seats ?? []).map(([startsAt, load]) => ({ startsAt, load })) };
  } catch (error) {
    const message = (error as { code?: string; message?: string }).message ?? '';
    // 22P02 invalid_text_representation: the deliberate abort above.
    if ((error as { code?: string }).code === '22P02') {
      if (message.includes('contact_limit_reached')) return { outcome: 'contact_limit_reached' };
      if (message.includes('slot_unavailable')) return { outcome: 'slot_unavailable' };
    }
    throw error;
  }
}
