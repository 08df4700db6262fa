import { sql } from 'kysely';
import { comparablePhone } from '../../domain/contact.ts';
import { inTransaction } from '../../db/transaction.ts';
import { formatDateTime } from '../messaging/appointment-messages.ts';
import { enqueueAppointmentMail, manageUrl } from '../messaging/appointment-mail.ts';
import { enqueueMessage } from '../messaging/enqueue-message.ts';
import type { AppContext } from '../shared/context.ts';
import { newConfirmationCode, newToken } from '../shared/ids.ts';
import { hashSecret } from './appointment-record.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

// "Lost the mail?" (#22 defect 1, #24 item 2): a citizen gives the address or mobile number used for
// booking and gets the confirmation with the manage link again. We keep only hashes of links and
// codes, so a fresh link (and, for a reservation still to be confirmed, a fresh code) is made and
// mailed; the old link stops working, as when staff change an appointment.
// Nothing about the appointments goes back to whoever asked: the caller answers the same whatever
// the outcome, and the count returned is for tests and the audit only.

/** At most one resend per appointment in this window, across all processes (the outbox key says so). */
const RESEND_WINDOW_MS = 60 * 60_000;

export type ResendRequest = { email?: string | null; phone?: string | null };

export async function resendManageLinks(ctx: AppContext, request: ResendRequest): Promise<{ sent: number }> {
  const email = request.email?.trim().toLowerCase() || null;
  const phone = request.phone ? comparablePhone(request.phone) : null;
  if (!email && !phone) return { sent: 0 };
  const now = ctx.now();
  const window = Math.floor(now / RESEND_WINDOW_MS);
  const candidates = await ctx.db
    .selectFrom('appointment')
    .select('id')
    .where('status', 'in', ['reserved', 'confirmed'])
    .where('ends_at', '>', new Date(now))
    .where((eb) =>
      email
        ? eb(sql<string>`lower(citizen_email)`, '=', email)
        : eb(sql<string>`regexp_replace(regexp_replace(citizen_phone, '[^0-9]', '', 'g'), '^(00)?49', '0')`, '=', phone!),
    )
    .orderBy('starts_at')
    .limit(20)
    .execute();
  let sent = 0;
  for (const { id } of candidates) {
    const key = `appointment:${id}:link-resent:${window}`;
    const done = await inTransaction(ctx.db, async (trx) => {
      const appointment = await trx
        .selectFrom('appointment')
        .selectAll()
        .where('id', '=', id)
        .where('status', 'in', ['reserved', 'confirmed'])
        .forUpdate()
        .executeTakeFirst();
      if (!appointment) return false;
      // Asked again within the hour: the link sent a moment ago stays the valid one.
      const already = await trx.selectFrom('outbox').select('id').where('dedupe_key', '=', key).executeTakeFirst();
      if (already) return false;
      const manageToken = newToken(ctx);
      const confirmCode = appointment.status === 'reserved' && appointment.confirmation_code_hash ? newConfirmationCode(ctx) : null;
      await trx
        .updateTable('appointment')
        .set({
          manage_token_hash: hashSecret(manageToken),
          ...(confirmCode ? { confirmation_code_hash: hashSecret(confirmCode), confirmation_failures: 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
      if (appointment.citizen_email) {
        await enqueueAppointmentMail(ctx, trx, { kind: 'booked', appointment, manageToken, confirmCode, messageKey: key });
        return true;
      }
      const office = await trx
        .selectFrom('office')
        .select(['name', 'time_zone'])
        .where('id', '=', appointment.office_id)
        .executeTakeFirstOrThrow();
      const when = formatDateTime(appointment.starts_at, office.time_zone, appointment.language);
      const town = await officeTownIn(ctx, trx, appointment.office_id);
      const link = manageUrl(town.siteUrl, manageToken);
      const text =
        appointment.language === 'de'
          ? `Ihr Termin ${appointment.reference} am ${when} (${office.name}). Verschieben oder absagen: ${link}`
          : `Your appointment ${appointment.reference} on ${when} (${office.name}). Move or cancel: ${link}`;
      const channel = await enqueueMessage(ctx, trx, {
        key,
        to: { email: null, phone: appointment.citizen_phone },
        message: { subject: null, text, html: null, sms: text },
        policy: 'email_or_mobile_sms',
        from: town.mailFrom,
      });
      // Without an SMS gateway nothing can reach a phone-only booking: keep the old link valid then.
      if (!channel) throw new NothingToSend();
      return true;
    }).catch((error: unknown) => {
      if (error instanceof NothingToSend) return false;
      throw error;
    });
    if (done) sent++;
  }
  return { sent };
}

class NothingToSend extends Error {}
