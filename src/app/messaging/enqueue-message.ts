import { sql } from 'kysely';
import { chooseNoticeChannel } from '../../domain/closure.ts';
import type { NewOutboxMessage, OutboxAttachment } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import { closureSettings } from '../shared/settings.ts';

// The one writer of outgoing messages (STYLE 12). Every row in outbox and call_list_entry is inserted
// here, inside the caller's transaction, so a message exists exactly when the change it reports was
// committed, and the dedupe key keeps it to one per event whoever retries. The one exception is the
// booking statement (db/booking-statement.ts), which inserts the row built by `outboxRow` in its
// single statement (a booking is one round trip). test/architecture/message-owner.test.ts keeps it so.

export type Channel = 'email' | 'sms';

/**
 * Which channel a person without an email address is told through. The policies differ on purpose:
 * - 'email': mail only (a release-lottery answer; appointment mails carry links and a calendar file).
 * - 'email_or_mobile_sms': else an SMS to a German mobile number, only with a gateway configured
 *   (waiting list, reminders: without one, nobody would ever send it).
 * - 'email_or_any_sms': else an SMS to any phone number, gateway or not (a document is ready: the row
 *   waits in the outbox until a gateway exists, notify/outbox-worker.ts). Kept as it was, not tightened.
 */
export type ChannelPolicy = 'email' | 'email_or_mobile_sms' | 'email_or_any_sms';

export type Contact = { email: string | null; phone: string | null };

/** A message in both forms: the mail (subject, text, html, files) and, where SMS is possible, its short text. */
export type OutgoingMessage = {
  subject: string | null;
  text: string;
  html: string | null;
  sms?: string;
  attachments?: OutboxAttachment[];
};

export function chooseChannel(ctx: AppContext, to: Contact, policy: ChannelPolicy): Channel | null {
  if (to.email) return 'email';
  if (!to.phone || policy === 'email') return null;
  if (policy === 'email_or_any_sms') return 'sms';
  // The closure notices' rule (domain/closure.ts), minus the phone call their caller arranges itself.
  const channel = chooseNoticeChannel({ email: to.email, phone: to.phone, smsEnabled: closureSettings(ctx).smsEnabled });
  return channel === 'sms' ? 'sms' : null;
}

/**
 * The outbox row for one message on a channel already chosen: queued at `now` and due then, or at
 * `dueAt` (a reminder written now and sent later). `from` is required on purpose: the sender of the
 * town the message is about (MessageTown.mailFrom, #20), stored with the row so that a town file
 * applied before the send, or a retry after a crash, cannot change it; null: the installation's.
 */
export function outboxRow(m: {
  key: string;
  channel: Channel;
  to: Contact;
  message: OutgoingMessage;
  from: string | null;
  now: number;
  dueAt?: number;
}): NewOutboxMessage {
  const times = { created_at: new Date(m.now), next_attempt_at: new Date(m.dueAt ?? m.now) };
  if (m.channel === 'email') {
    if (!m.to.email) throw new Error(`outboxRow ${m.key}: no email address`);
    const { subject, text, html, attachments } = m.message;
    return {
      dedupe_key: m.key,
      channel: 'email',
      recipient: m.to.email,
      subject,
      body_text: text,
      body_html: html,
      attachments: JSON.stringify(attachments ?? []),
      mail_from: m.from,
      ...times,
    };
  }
  if (!m.to.phone || m.message.sms === undefined) throw new Error(`outboxRow ${m.key}: no phone number or no SMS text`);
  return {
    dedupe_key: m.key,
    channel: 'sms',
    recipient: m.to.phone,
    subject: null,
    body_text: m.message.sms,
    body_html: null,
    attachments: '[]',
    ...times,
  };
}

/** Chooses the channel by `policy` and queues the message; null (nothing queued) when the person has none. */
export async function enqueueMessage(
  ctx: AppContext,
  trx: Trx,
  m: { key: string; to: Contact; message: OutgoingMessage; policy: ChannelPolicy; from: string | null },
): Promise<Channel | null> {
  const channel = chooseChannel(ctx, m.to, m.policy);
  if (!channel) return null;
  await enqueueMessages(trx, [outboxRow({ key: m.key, channel, to: m.to, message: m.message, from: m.from, now: ctx.now() })]);
  return channel;
}

/** Queues rows built by `outboxRow`; a key queued before is left alone (a retried batch tells nobody twice). */
export async function enqueueMessages(trx: Trx, rows: NewOutboxMessage[]): Promise<void> {
  // 500 rows a statement keeps a closure batch below PostgreSQL's parameter limit (65535).
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

export type CallListEntry = {
  officeId: string;
  closureId: string;
  appointmentId: string;
  offerId: string;
  reason: 'no_channel';
  at: number;
};

/**
 * People the office cancelled who have no channel: a clerk phones them (invariant 3). One entry per
 * appointment and closure, however often a batch is retried.
 */
export async function addToCallList(trx: Trx, entries: CallListEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('call_list_entry')
    .values(
      entries.map((e) => ({
        office_id: e.officeId,
        closure_id: e.closureId,
        appointment_id: e.appointmentId,
        offer_id: e.offerId,
        reason: e.reason,
        created_at: new Date(e.at),
      })),
    )
    .onConflict((oc) => oc.columns(['appointment_id', 'closure_id']).doNothing())
    .execute();
}

// Invariant 3: everyone the office cancels hears of it through some channel, or stands on the call
// list until a clerk has handled them. A notice that failed for good (every retry used up) or
// bounced puts its person on the call list; the unique (appointment, closure) keeps it to one entry.

/** Puts people whose closure notice could not be delivered on the call list. Safe to repeat. */
export async function moveUndeliveredToCallList(ctx: AppContext): Promise<number> {
  const { rows } = await sql<{ appointment_id: string }>`
    INSERT INTO call_list_entry (office_id, closure_id, appointment_id, offer_id, reason, created_at)
    SELECT a.office_id, ci.closure_id, ci.appointment_id, ci.offer_id, 'delivery_failed', ${new Date(ctx.now())}
    FROM outbox m
    JOIN closure_item ci ON ci.message_key = m.dedupe_key
    JOIN appointment a ON a.id = ci.appointment_id
    WHERE m.state IN ('failed', 'bounced') AND m.dedupe_key LIKE 'closure:%'
    ON CONFLICT (appointment_id, closure_id) DO NOTHING
    RETURNING appointment_id`.execute(ctx.db);
  return rows.length;
}
