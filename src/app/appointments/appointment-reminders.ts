import { messageTemplates, templateFor } from '../messaging/message-templates.ts';
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import type { Appointment, NewOutboxMessage } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { hashSecret } from './appointment-record.ts';
import { catalogue } from '../shared/catalogue.ts';
import { closureSettings } from '../shared/settings.ts';
import type { AppContext } from '../shared/context.ts';
import { cancelLockedAppointment } from './manage-appointment.ts';
import { renderAppointmentReminder } from '../messaging/reminder-messages.ts';
import { chooseChannel, enqueueMessages, outboxRow } from '../messaging/enqueue-message.ts';
import { newToken } from '../shared/ids.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

// A reminder a day before (SCHALTER_REMINDER_HOURS) by mail, else SMS to a mobile, with a cancel
// link: a slot nobody will use goes back to the others in time. The link is the reminder's own
// (only a hash of the manage token is stored); it leads to a page, only its POST cancels.

export const reminderUrl = (publicUrl: string, token: string) => `${publicUrl}/erinnerung/${token}`;

/** Queues the reminders now due; each appointment gets at most one. Safe from several processes. */
export async function queueReminders(ctx: AppContext, limit = 500): Promise<number> {
  const now = ctx.now();
  const { reminderHours } = closureSettings(ctx);
  const lead = reminderHours * 3_600_000;
  const { offices } = await catalogue(ctx);
  return inTransaction(ctx.db, async (trx) => {
    // Booked inside the window: the confirmation has just told them (domain rule reminderDue).
    const due = await trx
      .selectFrom('appointment as a')
      .selectAll('a')
      .where('a.status', '=', 'confirmed')
      .where('a.starts_at', '>', new Date(now))
      .where('a.starts_at', '<=', new Date(now + lead))
      .where(sql<boolean>`a.created_at < a.starts_at - make_interval(hours => ${reminderHours})`)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('appointment_reminder as r').select('r.appointment_id').whereRef('r.appointment_id', '=', 'a.id'))),
      )
      .orderBy('a.starts_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const outbox: NewOutboxMessage[] = [];
    const marks: { appointment_id: string; queued_at: Date; cancel_token_hash: string | null; channel: 'email' | 'sms' | null }[] = [];
    for (const a of due) {
      const to = { email: a.citizen_email, phone: a.citizen_phone };
      const channel = chooseChannel(ctx, to, 'email_or_mobile_sms');
      const office = offices.find((o) => o.id === a.office_id);
      if (!channel || !office) {
        marks.push({ appointment_id: a.id, queued_at: new Date(now), cancel_token_hash: null, channel: null });
        continue;
      }
      const token = newToken(ctx);
      const town = await officeTownIn(ctx, trx, office.id);
      const message = renderAppointmentReminder(
        {
          language: a.language,
          citizenName: a.citizen_name,
          reference: a.reference,
          start: a.starts_at,
          end: a.ends_at,
          office: { name: office.name, address: office.address, phone: office.phone, timeZone: office.time_zone },
          cancelUrl: reminderUrl(town.siteUrl, token),
        },
        // The texts of the office's town (#20), from the cached copy (through trx when it is stale).
        templateFor(await messageTemplates(ctx, town.id, trx), 'appointment_reminder', a.language),
      );
      marks.push({ appointment_id: a.id, queued_at: new Date(now), cancel_token_hash: hashSecret(token), channel });
      outbox.push(outboxRow({ key: `appointment:${a.id}:reminder`, channel, to, message, from: town.mailFrom, now }));
    }
    if (marks.length > 0)
      await trx
        .insertInto('appointment_reminder')
        .values(marks)
        .onConflict((oc) => oc.column('appointment_id').doNothing())
        .execute();
    await enqueueMessages(trx, outbox);
    return outbox.length;
  });
}

/** The appointment behind a reminder's link (for the page that asks before cancelling). */
export async function readReminder(ctx: AppContext, token: string): Promise<Appointment> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new DomainError('not_found', 'No appointment for this link');
  const row = await ctx.db
    .selectFrom('appointment_reminder as r')
    .innerJoin('appointment as a', 'a.id', 'r.appointment_id')
    .selectAll('a')
    .where('r.cancel_token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'No appointment for this link');
  return row;
}

/**
 * Cancels through the reminder's link. The cancellation mail links to a fresh manage token: the
 * appointment is over, and the old manage link would only show that it was cancelled.
 */
export async function cancelByReminder(ctx: AppContext, token: string): Promise<Appointment> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new DomainError('not_found', 'No appointment for this link');
    const found = await trx
      .selectFrom('appointment_reminder as r')
      .select('r.appointment_id')
      .where('r.cancel_token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    if (!found) throw new DomainError('not_found', 'No appointment for this link');
    const appointment = await trx
      .selectFrom('appointment')
      .selectAll()
      .where('id', '=', found.appointment_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (appointment.status === 'cancelled') return appointment;
    const manageToken = newToken(ctx);
    const cancelled = await cancelLockedAppointment(ctx, trx, appointment, { actor: 'citizen', now, manageToken, reason: 'citizen' });
    await trx
      .updateTable('appointment')
      .set({ manage_token_hash: hashSecret(manageToken) })
      .where('id', '=', appointment.id)
      .execute();
    return cancelled;
  });
}
