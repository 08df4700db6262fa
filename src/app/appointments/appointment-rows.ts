import type { Appointment, AppointmentSource, AppointmentStatus, Language } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import { hashSecret } from './appointment-record.ts';
import { newReference, newRowId, newToken } from '../shared/ids.ts';

// The one owner of appointment rows (#16, STYLE habit 12): every INSERT of an appointment, with its
// services and its first event, and every status change, which always writes its event — the event
// trail is the audit record and the source of the statistics, so no path may skip it.
// test/architecture/appointment-owner.test.ts holds every other file in src to this. Two writers are
// exempt, and documented there: the one-statement booking (src/db/booking-statement.ts), whose SQL
// text is a named prepared statement and must not change (it takes its row from appointmentRow
// here), and the branch mirror (src/sync/feed-puller.ts), which copies central rows as they are.

type Random = Pick<AppContext, 'randomBytes'>;

export type NewAppointment = {
  /** Given by the caller (a walk-in slot's journalled id, a closure hold's); otherwise the database default. */
  id?: string;
  /** Given (a walk-in slot's, from the journalled command): inserted as it is. Otherwise drawn, and drawn again while taken. */
  reference?: string;
  officeId: string;
  /** The office's town, written with the row (the distribution column, decision 0014). */
  municipalityId: string;
  start: number;
  end: number;
  status: 'reserved' | 'confirmed';
  source: AppointmentSource;
  language: Language;
  citizen: { name: string | null; email: string | null; phone: string | null };
  /** null for a hold: its manage link is made when the citizen accepts, until then it is a random token nobody knows. */
  manageTokenHash: string | null;
  confirmationCodeHash?: string | null;
  reservedUntil: number | null;
};

export type NewAppointmentWithRows = NewAppointment & {
  services: readonly { serviceId: string; persons: number }[];
  /** The appointment's first event ('booked' or 'held'), at `now`, from no status to its status. */
  event: { actor: string; action: 'booked' | 'held'; details?: Record<string, unknown> };
};

/**
 * The row of a booking made by the one-statement booking (src/db/booking-statement.ts): a
 * time-ordered id and a reference are drawn here, in this order, unless given. A taken reference
 * fails that statement as a whole; withReferenceRetry then runs the booking again.
 */
export function appointmentRow(ctx: Random, a: NewAppointment & { manageTokenHash: string }, now: number): Appointment {
  const id = a.id ?? newRowId(ctx, now);
  const reference = a.reference ?? newReference(ctx);
  return { id, reference, ...columns(a, a.manageTokenHash, now), confirmation_failures: 0, staff_note: null };
}

/** Inserts one appointment with its services and its first event; see insertAppointments. */
export async function insertAppointment(ctx: Random, trx: Trx, a: NewAppointmentWithRows, now: number): Promise<Appointment> {
  const [row] = await insertAppointments(ctx, trx, [a], now);
  return row!;
}

/**
 * Inserts appointments with their services and their first events. A drawn reference that is taken
 * already is drawn again (ON CONFLICT DO NOTHING: inside a transaction a unique violation would abort
 * it). Per attempt and row the reference is drawn first, then a hold's unknown token, as before #16
 * (tests that script ctx.randomBytes rely on the order of draws). Returns the rows in the given order.
 */
export async function insertAppointments(
  ctx: Random,
  trx: Trx,
  appointments: readonly NewAppointmentWithRows[],
  now: number,
): Promise<Appointment[]> {
  if (appointments.length === 0) return [];
  const inserted = new Map<NewAppointmentWithRows, Appointment>();
  const given = appointments.filter((a) => a.reference !== undefined);
  if (given.length > 0) {
    // A reference from a journalled command is the citizen's slip: a clash is an error, not a redraw.
    const rows = await trx
      .insertInto('appointment')
      .values(
        given.map((a) => ({
          ...(a.id === undefined ? {} : { id: a.id }),
          reference: a.reference!,
          ...columns(a, a.manageTokenHash ?? unknownTokenHash(ctx), now),
        })),
      )
      .returningAll()
      .execute();
    given.forEach((a, k) => inserted.set(a, rows[k]!));
  }
  let missing = appointments.filter((a) => a.reference === undefined);
  for (let attempt = 0; missing.length > 0; attempt++) {
    if (attempt >= 20) throw new Error('Could not find free references for new appointments');
    const byReference = new Map<string, NewAppointmentWithRows>();
    const values = [];
    for (const a of missing) {
      const reference = newReference(ctx);
      const manageTokenHash = a.manageTokenHash ?? unknownTokenHash(ctx);
      // Drawn twice in this batch: the second one draws again in the next round.
      if (byReference.has(reference)) continue;
      byReference.set(reference, a);
      values.push({ ...(a.id === undefined ? {} : { id: a.id }), reference, ...columns(a, manageTokenHash, now) });
    }
    const rows = await trx
      .insertInto('appointment')
      .values(values)
      .onConflict((oc) => oc.column('reference').doNothing())
      .returningAll()
      .execute();
    for (const row of rows) inserted.set(byReference.get(row.reference)!, row);
    missing = missing.filter((a) => !inserted.has(a));
  }
  const result = appointments.map((a) => inserted.get(a)!);
  const services = appointments.flatMap((a, k) =>
    a.services.map((s) => ({
      appointment_id: result[k]!.id,
      municipality_id: a.municipalityId,
      service_id: s.serviceId,
      persons: s.persons,
    })),
  );
  if (services.length > 0) await trx.insertInto('appointment_service').values(services).execute();
  await trx
    .insertInto('appointment_event')
    .values(
      appointments.map((a, k) => ({
        appointment_id: result[k]!.id,
        at: new Date(now),
        actor: a.event.actor,
        action: a.event.action,
        from_status: null,
        to_status: a.status,
        details: a.event.details ? JSON.stringify(a.event.details) : null,
      })),
    )
    .execute();
  return result;
}

/** References are short so people can read them out; a collision (unique violation) runs the booking again, with a new id and reference. */
export async function withReferenceRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (attempt >= 20 || code !== '23505' || (constraint !== 'appointment_reference_key' && constraint !== 'appointment_pkey'))
        throw error;
    }
  }
}

export type AppointmentMove = {
  id: string;
  from: AppointmentStatus;
  to: AppointmentStatus;
  at: number;
  actor: string;
  action: string;
  details?: Record<string, unknown>;
  /** Columns that change with the status: a reservation's deadline ends, an accepted hold gets its manage link. */
  set?: { reserved_until?: null; manage_token_hash?: string };
};

/**
 * Moves an appointment from one status to another and records the event, always both. With
 * from = to and nothing else to set (a ticket called again) only the event is written. The caller
 * has locked the row where it must; `from` is what it read (not re-checked here, see #16 B3).
 */
export async function moveAppointment(trx: Trx, m: AppointmentMove, options: { returning: true }): Promise<Appointment>;
export async function moveAppointment(trx: Trx, m: AppointmentMove): Promise<void>;
export async function moveAppointment(trx: Trx, m: AppointmentMove, options?: { returning: true }): Promise<Appointment | void> {
  let row: Appointment | undefined;
  if (m.from !== m.to || m.set || options?.returning) {
    const update = trx
      .updateTable('appointment')
      .set({ status: m.to, ...m.set, updated_at: new Date(m.at) })
      .where('id', '=', m.id);
    if (options?.returning) row = await update.returningAll().executeTakeFirstOrThrow();
    else await update.execute();
  }
  await recordEvent(trx, {
    appointmentId: m.id,
    at: m.at,
    actor: m.actor,
    action: m.action,
    from: m.from,
    to: m.to,
    ...(m.details ? { details: m.details } : {}),
  });
  return row;
}

/** Moves many appointments (each from its own status) to one status in two statements, one event each. */
export async function moveAppointments(
  trx: Trx,
  appointments: readonly { id: string; status: AppointmentStatus }[],
  m: Omit<AppointmentMove, 'id' | 'from'>,
): Promise<void> {
  if (appointments.length === 0) return;
  await trx
    .updateTable('appointment')
    .set({ status: m.to, ...m.set, updated_at: new Date(m.at) })
    .where(
      'id',
      'in',
      appointments.map((a) => a.id),
    )
    .execute();
  await trx
    .insertInto('appointment_event')
    .values(
      appointments.map((a) => ({
        appointment_id: a.id,
        at: new Date(m.at),
        actor: m.actor,
        action: m.action,
        from_status: a.status,
        to_status: m.to,
        details: m.details ? JSON.stringify(m.details) : null,
      })),
    )
    .execute();
}

/** An event without a status change of its own (a reschedule, a fee paid), or one that moveAppointment writes. */
export async function recordEvent(
  trx: Trx,
  event: {
    appointmentId: string;
    at: number;
    actor: string;
    action: string;
    from: AppointmentStatus | null;
    to: AppointmentStatus | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('appointment_event')
    .values({
      appointment_id: event.appointmentId,
      at: new Date(event.at),
      actor: event.actor,
      action: event.action,
      from_status: event.from,
      to_status: event.to,
      details: event.details ? JSON.stringify(event.details) : null,
    })
    .execute();
}

/** An appointment's services as a whole list, after a clerk changed them (#22); the caller moved its seats. */
export async function replaceAppointmentServices(
  trx: Trx,
  appointment: { id: string; municipality_id: string },
  services: readonly { serviceId: string; persons: number }[],
): Promise<void> {
  const appointmentId = appointment.id;
  await trx.deleteFrom('appointment_service').where('appointment_id', '=', appointmentId).execute();
  if (services.length > 0)
    await trx
      .insertInto('appointment_service')
      .values(
        services.map((s) => ({
          appointment_id: appointmentId,
          municipality_id: appointment.municipality_id,
          service_id: s.serviceId,
          persons: s.persons,
        })),
      )
      .execute();
}

/** The columns every new appointment row has, whichever path writes it. */
function columns(a: NewAppointment, manageTokenHash: string, now: number) {
  return {
    municipality_id: a.municipalityId,
    office_id: a.officeId,
    starts_at: new Date(a.start),
    ends_at: new Date(a.end),
    status: a.status,
    source: a.source,
    language: a.language,
    citizen_name: a.citizen.name,
    citizen_email: a.citizen.email,
    citizen_phone: a.citizen.phone,
    manage_token_hash: manageTokenHash,
    confirmation_code_hash: a.confirmationCodeHash ?? null,
    reserved_until: a.reservedUntil === null ? null : new Date(a.reservedUntil),
    created_at: new Date(now),
    updated_at: new Date(now),
  };
}

/** A hold's manage token before the citizen accepts: hashed at once, never shown to anyone. */
function unknownTokenHash(ctx: Random): string {
  return hashSecret(newToken(ctx));
}
