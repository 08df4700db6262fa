import { UNIT_MS, type BookingChannel } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Kysely } from 'kysely';
import type { Appointment, AppointmentSource, DB, Language } from '../../db/schema.ts';
import { insertBooking, type BookingRows } from '../../db/booking-statement.ts';
import { inTransaction, withRetry, type Trx } from '../../db/transaction.ts';
import { unitsCovering } from '../../domain/slot-search.ts';
import { hashSecret, viewOf, type AppointmentView } from '../appointments/appointment-record.ts';
import { appointmentRow, withReferenceRetry } from '../appointments/appointment-rows.ts';
import { renderAppointmentMail } from '../messaging/appointment-mail.ts';
import { messageTemplates } from '../messaging/message-templates.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import { validContact } from '../shared/citizen-contact.ts';
import type { AppContext } from '../shared/context.ts';
import { contactLockOf, lockContact } from '../../db/contact-lock.ts';
import { contactKey, contactLimitOf } from './contact-limit.ts';
import { checkSeatWindow } from './seat-allocation.ts';
import { currentSeatRule } from './seat-rules.ts';
import { resolveServiceSelection, type RequestedService } from '../shared/service-selection.ts';
import { newConfirmationCode, newToken } from '../shared/ids.ts';
import { officeTown } from '../setup/town-site-url.ts';

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
  const source = request.source ?? (request.channel === 'phone' ? 'phone' : 'online');
  try {
    const result = await placeBooking(ctx, request, source);
    ctx.metrics?.booking(source, result.appointment.status);
    return result;
  } catch (error) {
    // A refusal is counted by its code (a fixed set: slot_unavailable, contact_limit_reached, …).
    ctx.metrics?.booking(source, error instanceof DomainError ? error.code : 'error');
    throw error;
  }
}

async function placeBooking(ctx: AppContext, request: BookingRequest, source: AppointmentSource): Promise<BookingResult> {
  const channel = request.channel ?? 'online';
  const now = ctx.now();
  const { email, phone } = validContact(request.citizen);
  if (!email && !phone) throw new DomainError('contact_required', 'An email address or a phone number is required');
  if (request.start % UNIT_MS !== 0) throw new DomainError('start_not_on_grid', 'Appointments start on a 5-minute grid');
  if (request.start <= now) throw new DomainError('start_in_past', 'This time is in the past');

  const selection = await resolveServiceSelection(ctx, request.services, channel);
  const [schedule] = await cachedSchedules(ctx, [request.officeId]);
  const town = await officeTown(ctx, request.officeId);
  const templates = await messageTemplates(ctx, town.id);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${request.officeId}`, { officeId: request.officeId });
  const notOffered = selection.items.filter((i) => !schedule.serviceIds.has(i.service.id));
  if (notOffered.length > 0) {
    throw new DomainError(
      'service_not_offered',
      `${schedule.office.name} does not offer ${notOffered.map((i) => i.service.name_de).join(', ')}`,
    );
  }

  // A reservation needs a way to confirm it; without an email address (phone only) or with
  // confirmation switched off, or when staff book, the appointment is confirmed at once.
  const needsConfirmation = channel === 'online' && ctx.settings.confirmation === 'email' && email !== null;
  const manageToken = newToken(ctx);
  const confirmCode = needsConfirmation ? newConfirmationCode(ctx) : null;
  const end = request.start + selection.durationUnits * UNIT_MS;
  const reservedUntil = needsConfirmation ? now + ctx.settings.reservationMinutes * 60_000 : null;

  const rule = currentSeatRule(schedule, now, channel);
  checkSeatWindow(rule, schedule.office.id, request.start);
  const contact = channel === 'online' ? contactKey(email, phone) : null;
  const contactMax = contactLimitOf(ctx);

  // One statement takes the person's lock and the seats and writes appointment, services, event and
  // mail: one round trip, atomic by itself. Only when the caller adds work of its own does it run
  // inside a transaction given to it (which then takes the person's lock first).
  const attempt = async (executor: Kysely<DB> | Trx, trx: Trx | null): Promise<Appointment> => {
    // A new id and reference on every attempt (withReferenceRetry below).
    const appointment = appointmentRow(
      ctx,
      {
        officeId: schedule.office.id,
        municipalityId: schedule.office.municipality_id,
        start: request.start,
        end,
        status: needsConfirmation ? 'reserved' : 'confirmed',
        source,
        language: request.language,
        citizen: { name: request.citizen.name.trim(), email, phone },
        manageTokenHash: hashSecret(manageToken),
        confirmationCodeHash: confirmCode ? hashSecret(confirmCode) : null,
        reservedUntil,
      },
      now,
    );
    const rows: BookingRows = {
      appointment,
      unitStarts: unitsCovering(request.start, selection.durationUnits),
      limit: rule.limitParameters,
      services: selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons })),
      event: { actor: request.actor ?? 'citizen', details: { channel } },
      mail: renderAppointmentMail(ctx, {
        kind: 'booked',
        appointment,
        manageToken,
        confirmCode,
        known: { office: schedule.office, services: selection.items },
        templates,
        town,
      }),
      contactLimit: contact !== null && contactMax !== null ? { max: contactMax, now } : null,
      contactLock: trx === null && contact !== null && contactMax !== null ? contactLockOf(contact) : null,
    };
    const booking = await insertBooking(executor, rows);
    if (booking.outcome === 'slot_unavailable')
      throw new DomainError('slot_unavailable', 'This time is no longer available', {
        officeId: schedule.office.id,
        start: new Date(request.start).toISOString(),
      });
    if (booking.outcome === 'contact_limit_reached') {
      throw new DomainError('contact_limit_reached', `At most ${contactMax} open appointment(s) per person and service`, {
        max: contactMax,
      });
    }
    // The statement noted its seats for the availability cache itself (db/capacity-units.ts).
    if (trx) await request.within?.(trx, appointment);
    return appointment;
  };
  const book = async (): Promise<Appointment> => {
    if (request.within) {
      return inTransaction(ctx.db, async (trx) => {
        if (contact !== null && contactMax !== null) await lockContact(trx, contact);
        return attempt(trx, trx);
      });
    }
    return withRetry(() => attempt(ctx.db, null));
  };
  const appointment = await withReferenceRetry(book);
  const services = selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons }));
  return { appointment: viewOf(appointment, schedule.office.time_zone, services), manageToken };
}
