import { UNIT_MS, type BookingChannel } from '../domain/capacity-types.ts';
import { DomainError } from '../domain/errors.ts';
import { formatReference } from '../domain/reference.ts';
import type { Insertable } from 'kysely';
import type { Appointment, AppointmentSource, AppointmentTable, Language } from '../db/schema.ts';
import { inTransaction, type Trx } from '../db/transaction.ts';
import { hashSecret, recordEvent, viewOf, type AppointmentView } from './appointment-record.ts';
import { enqueueAppointmentMail } from './appointment-mail.ts';
import { cachedSchedules } from './catalogue.ts';
import type { AppContext } from './context.ts';
import { takeSeats } from './seat-allocation.ts';
import { resolveServiceSelection, type RequestedService } from './service-selection.ts';

export type BookingRequest = {
  officeId: string;
  start: number;
  services: RequestedService[];
  citizen: { name: string; email?: string | null | undefined; phone?: string | null | undefined };
  language: Language;
  channel?: BookingChannel;
  source?: AppointmentSource;
  /** Who books: 'citizen' online, or a staff identifier. */
  actor?: string;
  /** Extra work inside the booking transaction, e.g. the staff audit entry. */
  within?: (trx: Trx, appointment: Appointment) => Promise<void>;
};

export type BookingResult = { appointment: AppointmentView; manageToken: string };

export async function bookAppointment(ctx: AppContext, request: BookingRequest): Promise<BookingResult> {
  const channel = request.channel ?? 'online';
  const now = ctx.now();
  const email = request.citizen.email?.trim() || null;
  const phone = request.citizen.phone?.trim() || null;
  if (!email && !phone) throw new DomainError('contact_required', 'An email address or a phone number is required');
  if (request.start % UNIT_MS !== 0) throw new DomainError('start_not_on_grid', 'Appointments start on a 5-minute grid');
  if (request.start <= now) throw new DomainError('start_in_past', 'This time is in the past');

  const selection = await resolveServiceSelection(ctx.db, request.services, channel);
  const [schedule] = await cachedSchedules(ctx.db, [request.officeId]);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${request.officeId}`, { officeId: request.officeId });
  const notOffered = selection.items.filter((i) => !schedule.serviceIds.has(i.service.id));
  if (notOffered.length > 0) {
    throw new DomainError('service_not_offered', `${schedule.office.name} does not offer ${notOffered.map((i) => i.service.name_de).join(', ')}`);
  }

  // A reservation needs a way to confirm it; without an email address (phone only) or with
  // confirmation switched off, or when staff book, the appointment is confirmed at once.
  const needsConfirmation = channel === 'online' && ctx.settings.confirmation === 'email' && email !== null;
  const manageToken = Buffer.from(ctx.randomBytes(32)).toString('base64url');
  const confirmCode = needsConfirmation ? confirmationCode(ctx.randomBytes(4)) : null;
  const end = request.start + selection.durationUnits * UNIT_MS;
  const reservedUntil = needsConfirmation ? now + ctx.settings.reservationMinutes * 60_000 : null;

  const appointment = await inTransaction(ctx.db, async (trx) => {
    await takeSeats(trx, { schedule, start: request.start, durationUnits: selection.durationUnits, channel, now });
    const row = await insertWithFreshReference(ctx, trx, {
      office_id: schedule.office.id,
      starts_at: new Date(request.start),
      ends_at: new Date(end),
      status: needsConfirmation ? 'reserved' : 'confirmed',
      source: request.source ?? (channel === 'phone' ? 'phone' : 'online'),
      language: request.language,
      citizen_name: request.citizen.name.trim(),
      citizen_email: email,
      citizen_phone: phone,
      manage_token_hash: hashSecret(manageToken),
      confirmation_code_hash: confirmCode ? hashSecret(confirmCode) : null,
      reserved_until: reservedUntil === null ? null : new Date(reservedUntil),
      created_at: new Date(now),
      updated_at: new Date(now),
    });
    await trx
      .insertInto('appointment_service')
      .values(selection.items.map((i) => ({ appointment_id: row.id, service_id: i.service.id, persons: i.persons })))
      .execute();
    await recordEvent(trx, { appointmentId: row.id, at: now, actor: request.actor ?? 'citizen', action: 'booked', from: null, to: row.status, details: { channel } });
    await enqueueAppointmentMail(ctx, trx, { kind: 'booked', appointment: row, manageToken, confirmCode, known: { office: schedule.office, services: selection.items } });
    await request.within?.(trx, row);
    return row;
  });
  const services = selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons }));
  return { appointment: viewOf(appointment, schedule.office.time_zone, services), manageToken };
}

/** Six digits, easy to read out and type; guessing is bounded by the secret link it belongs to. */
function confirmationCode(random: Uint8Array): string {
  return String(Buffer.from(random).readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

type NewAppointmentRow = Omit<Insertable<AppointmentTable>, 'reference'>;

async function insertWithFreshReference(ctx: AppContext, trx: Trx, values: NewAppointmentRow): Promise<Appointment> {
  // References are short so people can read them out; a collision simply draws again.
  for (let attempt = 0; attempt < 20; attempt++) {
    const inserted = await trx
      .insertInto('appointment')
      .values({ ...values, reference: formatReference(ctx.randomBytes(6)) })
      .onConflict((oc) => oc.column('reference').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
  }
  throw new Error('Could not find a free reference after 20 attempts');
}
