import { contactProblems } from '../../domain/contact.ts';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import type { Appointment } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { releaseSeats, takeSeats } from '../booking/seat-allocation.ts';
import { audit } from '../shared/audit.ts';
import { cachedSchedules, type OfficeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { resolveServiceSelection, type RequestedService, type ServiceSelection } from '../shared/service-selection.ts';
import { toView, type AppointmentView } from './appointment-record.ts';
import { recordEvent, replaceAppointmentServices } from './appointment-rows.ts';
import { findAppointmentForStaff, readAppointmentForStaff, servicesOfOffice } from './staff-appointments.ts';

// A clerk corrects an appointment (#22, appointment handling): the caller's name, email and phone,
// the services booked, and the office's own note. Each change is audited with what it was and what it
// is (audit-log-changes.ts reads before → after), and the appointment's history says that it changed
// (without the values: the history is read by more people than the log). The citizen is not mailed:
// the clerk sends the confirmation again when the person should have it.

export type AppointmentEdit = {
  appointmentId: string;
  citizen?: { name: string; email: string | null; phone: string | null } | undefined;
  /** null or blank removes the note. */
  staffNote?: string | null | undefined;
  services?: RequestedService[] | undefined;
};

export type EditedAppointment = { appointment: AppointmentView; staffNote: string | null; changed: string[] };

export const STAFF_NOTE_MAX = 1000;

type Fields = { name?: string | null; email?: string | null; phone?: string | null; staffNote?: string | null; services?: string };

export async function editAppointmentByStaff(ctx: AppContext, principal: Principal, edit: AppointmentEdit): Promise<EditedAppointment> {
  // A branch node's copy comes from the central server's feed, which would undo a change made there.
  if (ctx.settings.branchNode) throw new DomainError('set_centrally', 'Appointments are corrected on the central server');
  const now = ctx.now();
  const actor = actorOf(principal);
  const citizen = edit.citizen ? checkedCitizen(edit.citizen) : undefined;
  const note = edit.staffNote === undefined ? undefined : checkedNote(edit.staffNote);
  // Read before the transaction (see rescheduleLockedAppointment): the catalogue and the new services.
  const selection = edit.services ? await resolveServiceSelection(ctx, edit.services, 'phone') : undefined;
  const schedules = selection ? await cachedSchedules(ctx) : [];
  const { row, changed } = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findAppointmentForStaff(trx, principal, edit.appointmentId, { lock: true });
    if (appointment.status === 'expired') throw invalidState(appointment);
    const before: Fields = {};
    const after: Fields = {};
    const set: Partial<Pick<Appointment, 'citizen_name' | 'citizen_email' | 'citizen_phone' | 'staff_note' | 'ends_at'>> = {};
    if (citizen) {
      for (const [field, column] of [
        ['name', 'citizen_name'],
        ['email', 'citizen_email'],
        ['phone', 'citizen_phone'],
      ] as const) {
        if (appointment[column] === citizen[field]) continue;
        before[field] = appointment[column];
        after[field] = citizen[field];
        set[column] = citizen[field];
      }
    }
    if (note !== undefined && note !== appointment.staff_note) {
      before.staffNote = appointment.staff_note;
      after.staffNote = note;
      set.staff_note = note;
    }
    if (selection) {
      const moved = await changeServices(trx, appointment, selection, { schedules, now });
      if (moved) {
        before.services = moved.before;
        after.services = moved.after;
        set.ends_at = moved.endsAt;
      }
    }
    const fields = Object.keys(after);
    if (fields.length === 0) return { row: appointment, changed: fields };
    const updated = await trx
      .updateTable('appointment')
      .set({ ...set, updated_at: new Date(now) })
      .where('id', '=', appointment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      appointmentId: appointment.id,
      at: now,
      actor,
      action: 'edited',
      from: appointment.status,
      to: appointment.status,
      details: { fields },
    });
    await audit(trx, {
      actor,
      action: 'appointment.edit',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: appointment.office_id,
      at: now,
      details: { reference: appointment.reference, before, after },
    });
    return { row: updated, changed: fields };
  });
  return { appointment: await toView(ctx.db, row), staffNote: row.staff_note, changed };
}

/**
 * New services at the same start: a shorter appointment gives its last units back; a longer one gives
 * all back and takes them again with the phone's rights, so it fits exactly when a caller could book
 * it now — else services_do_not_fit and the transaction leaves everything as it was (invariant 1).
 */
async function changeServices(
  trx: Trx,
  appointment: Appointment,
  selection: ServiceSelection,
  options: { schedules: readonly OfficeSchedule[]; now: number },
): Promise<{ before: string; after: string; endsAt: Date } | null> {
  const current = await trx
    .selectFrom('appointment_service')
    .innerJoin('service', 'service.id', 'appointment_service.service_id')
    .select(['appointment_service.service_id', 'appointment_service.persons', 'service.name_de', 'service.sort_order'])
    .where('appointment_id', '=', appointment.id)
    .orderBy('service.sort_order')
    .orderBy('service.id')
    .execute();
  const wanted = [...selection.items].sort(
    (a, b) => a.service.sort_order - b.service.sort_order || a.service.id.localeCompare(b.service.id),
  );
  const key = (items: { id: string; persons: number }[]) => items.map((i) => `${i.id}:${i.persons}`).join(',');
  if (
    key(current.map((c) => ({ id: c.service_id, persons: c.persons }))) ===
    key(wanted.map((w) => ({ id: w.service.id, persons: w.persons })))
  )
    return null;
  if (appointment.status !== 'reserved' && appointment.status !== 'confirmed') throw invalidState(appointment);
  if (appointment.starts_at.getTime() <= options.now) throw new DomainError('too_late', 'The appointment has already begun');
  const schedule = options.schedules.find((s) => s.office.id === appointment.office_id);
  const missing = wanted.filter((w) => !schedule?.serviceIds.has(w.service.id)).map((w) => w.service.id);
  if (!schedule || missing.length > 0)
    throw new DomainError('service_not_offered', 'The office does not offer these services', {
      officeId: appointment.office_id,
      serviceIds: missing,
    });
  const start = appointment.starts_at.getTime();
  const oldEnd = appointment.ends_at.getTime();
  const newEnd = start + selection.durationUnits * UNIT_MS;
  if (newEnd <= oldEnd) {
    if (newEnd < oldEnd) await releaseSeats(trx, { officeId: appointment.office_id, start: newEnd, end: oldEnd });
  } else {
    await releaseSeats(trx, { officeId: appointment.office_id, start, end: oldEnd, appointmentId: appointment.id });
    try {
      await takeSeats(trx, { schedule, start, durationUnits: selection.durationUnits, channel: 'phone', now: options.now });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'slot_unavailable')
        throw new DomainError('services_do_not_fit', 'The longer appointment does not fit at its time', {
          minutesNeeded: (newEnd - start) / 60_000,
          minutesBooked: (oldEnd - start) / 60_000,
        });
      throw error;
    }
  }
  await replaceAppointmentServices(
    trx,
    appointment,
    wanted.map((w) => ({ serviceId: w.service.id, persons: w.persons })),
  );
  const text = (items: { name: string; persons: number }[]) => items.map((i) => `${i.persons} × ${i.name}`).join(', ');
  return {
    before: text(current.map((c) => ({ name: c.name_de, persons: c.persons }))),
    after: text(wanted.map((w) => ({ name: w.service.name_de, persons: w.persons }))),
    endsAt: new Date(newEnd),
  };
}

function checkedCitizen(input: { name: string; email: string | null; phone: string | null }) {
  const name = input.name.trim();
  const email = input.email?.trim() || null;
  const phone = input.phone?.trim() || null;
  const fields: { path: string; message: string }[] = contactProblems({ email, phone });
  if (!name) fields.push({ path: 'name', message: 'required' });
  if (name.length > 200) fields.push({ path: 'name', message: 'at most 200 characters' });
  if (fields.length > 0) throw new DomainError('validation_failed', 'Contact data invalid', { fields });
  // Someone must be able to reach the person if the office has to cancel (invariant 3).
  if (!email && !phone) throw new DomainError('contact_required', 'A phone number or an email address is needed');
  return { name, email, phone };
}

function checkedNote(input: string | null): string | null {
  const note = input?.trim() || null;
  if (note !== null && note.length > STAFF_NOTE_MAX)
    throw new DomainError('validation_failed', 'Note too long', {
      fields: [{ path: 'staffNote', message: `at most ${STAFF_NOTE_MAX} characters` }],
    });
  return note;
}

function invalidState(appointment: Appointment): DomainError {
  return new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
}

export type ServiceChoice = { id: string; nameDe: string; nameEn: string; maxPersons: number; persons: number };

/**
 * The appointment with what the edit form offers: the office's services (and any booked one it no
 * longer offers), each with the persons booked. Reading it is audited like the detail page.
 */
export async function readAppointmentForEdit(
  ctx: AppContext,
  principal: Principal,
  appointmentId: string,
): Promise<{ appointment: AppointmentView; staffNote: string | null; services: ServiceChoice[] }> {
  const { appointment, staffNote } = await readAppointmentForStaff(ctx, principal, appointmentId);
  const offered = await servicesOfOffice(ctx, principal, appointment.officeId);
  const booked = new Map(appointment.services.map((s) => [s.serviceId, s.persons]));
  const missing = [...booked.keys()].filter((id) => !offered.some((o) => o.id === id));
  const extra = missing.length
    ? await ctx.db.selectFrom('service').select(['id', 'name_de', 'name_en', 'max_persons']).where('id', 'in', missing).execute()
    : [];
  const services = [...offered, ...extra].map((s) => ({
    id: s.id,
    nameDe: s.name_de,
    nameEn: s.name_en,
    maxPersons: s.max_persons,
    persons: booked.get(s.id) ?? 0,
  }));
  return { appointment, staffNote, services };
}
