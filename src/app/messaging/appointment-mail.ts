import type { CancelReason } from '../../domain/cancel-reasons.ts';
import type { Appointment, NewOutboxMessage, Office, Service } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import { officeTownIn, type MessageTown } from '../setup/town-site-url.ts';
import {
  renderBookingConfirmation,
  renderCancellationNotice,
  renderRescheduleConfirmation,
  type AppointmentMessageInput,
} from './appointment-messages.ts';
import { enqueueMessages, outboxRow } from './enqueue-message.ts';
import { messageTemplates, templateFor, type TemplateSet } from './message-templates.ts';

export type AppointmentMailKind = 'booked' | 'rescheduled' | 'cancelled';

export function manageUrl(publicUrl: string, manageToken: string): string {
  return `${publicUrl}/termin/${manageToken}`;
}

export function confirmUrl(publicUrl: string, manageToken: string, code: string): string {
  return `${publicUrl}/termin/${manageToken}/bestaetigen?code=${code}`;
}

export type AppointmentMailInput = {
  kind: AppointmentMailKind;
  appointment: Appointment;
  manageToken: string;
  confirmCode?: string | null;
  reason?: CancelReason;
  /** A clerk's explanation of a cancellation, quoted in the mail. */
  explanation?: string | null;
  /** The outbox key when the same event is mailed again on request (a resent link); else one per change. */
  messageKey?: string;
  /** When the caller already has them (booking), saves two queries on the hot path. */
  known?: { office: Office; services: { service: Service; persons: number }[] };
  /** The wording of the office's town (message-templates.ts); read here when the caller has none. */
  templates?: TemplateSet;
};

/**
 * Writes the mail into the outbox inside the caller's transaction: the message exists exactly when
 * the change it reports was committed. Without an email address nothing is queued (SMS comes with the
 * notification channels).
 */
export async function enqueueAppointmentMail(ctx: AppContext, trx: Trx, input: AppointmentMailInput): Promise<void> {
  if (!input.appointment.citizen_email) return;
  const known = input.known ?? (await loadMailDetails(trx, input.appointment));
  const town = await officeTownIn(ctx, trx, input.appointment.office_id);
  const templates = input.templates ?? (await messageTemplates(ctx, town.id, trx));
  const message = renderAppointmentMail(ctx, { ...input, known, templates, town });
  if (!message) return;
  await enqueueMessages(trx, [message]);
}

/** The outbox row for a mail, or null without an email address; booking inserts it in its own statement. */
export function renderAppointmentMail(
  ctx: AppContext,
  /** town: the office's town — its site, where the links point, and its sender (officeTown). */
  input: AppointmentMailInput & { known: NonNullable<AppointmentMailInput['known']>; templates: TemplateSet; town: MessageTown },
): NewOutboxMessage | null {
  const { appointment } = input;
  const { siteUrl } = input.town;
  if (!appointment.citizen_email) return null;
  const { office, services } = input.known;
  const de = appointment.language === 'de';
  const message: AppointmentMessageInput = {
    language: appointment.language,
    reference: appointment.reference,
    citizenName: appointment.citizen_name,
    office: { name: office.name, address: office.address, phone: office.phone, timeZone: office.time_zone },
    start: appointment.starts_at,
    end: appointment.ends_at,
    services: services.map(({ service, persons }) => ({
      name: de ? service.name_de : service.name_en,
      persons,
      feeCents: service.fee_cents,
      documents: de ? service.documents_de : service.documents_en,
    })),
    manageUrl: manageUrl(siteUrl, input.manageToken),
    officeUrl: `${siteUrl}/standorte/${encodeURIComponent(office.id)}`,
    confirmUrl: input.confirmCode ? confirmUrl(siteUrl, input.manageToken, input.confirmCode) : null,
    confirmCode: input.confirmCode ?? null,
    reservedUntil: appointment.reserved_until,
    sequence: Math.floor(appointment.updated_at.getTime() / 1000),
  };
  const rendered =
    input.kind === 'booked'
      ? renderBookingConfirmation(
          message,
          templateFor(input.templates, message.confirmUrl ? 'booking_confirmation' : 'appointment_confirmed', appointment.language),
        )
      : input.kind === 'rescheduled'
        ? renderRescheduleConfirmation(message)
        : renderCancellationNotice({ ...message, reason: input.reason ?? 'citizen', explanation: input.explanation ?? null });
  return outboxRow({
    key: input.messageKey ?? `appointment:${appointment.id}:${input.kind}:${appointment.updated_at.getTime()}`,
    channel: 'email',
    to: { email: appointment.citizen_email, phone: null },
    message: rendered,
    from: input.town.mailFrom,
    now: ctx.now(),
  });
}

async function loadMailDetails(trx: Trx, appointment: Appointment) {
  const office = await trx.selectFrom('office').selectAll().where('id', '=', appointment.office_id).executeTakeFirstOrThrow();
  const rows = await trx
    .selectFrom('appointment_service')
    .innerJoin('service', 'service.id', 'appointment_service.service_id')
    .selectAll('service')
    .select('appointment_service.persons')
    .where('appointment_service.appointment_id', '=', appointment.id)
    .orderBy('service.sort_order')
    .execute();
  return { office, services: rows.map(({ persons, ...service }) => ({ service, persons })) };
}
