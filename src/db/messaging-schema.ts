import type { MessageKind } from '../domain/message-template.ts';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Tables of outgoing messages: the outbox, the call list for people no message reaches, and the
// municipality's wording of messages (#5); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type OutboxAttachment = { filename: string; contentType: string; content: string };

export type OutboxTable = {
  id: Generated<string>;
  dedupe_key: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  attachments: ColumnType<OutboxAttachment[], string | undefined, string>;
  state: Generated<'queued' | 'sending' | 'sent' | 'failed' | 'bounced'>;
  attempts: Generated<number>;
  // Written from the application's clock, never the database's default: the worker compares them
  // with its own now, and tests run on a clock of their own.
  next_attempt_at: ColumnType<Date, Date, Date>;
  last_error: string | null;
  created_at: ColumnType<Date, Date, Date>;
  sent_at: Date | null;
  /** The sender of the town the message is about, written when it is queued; null: MAIL_FROM. */
  mail_from: string | null;
};

export type CallListEntryTable = {
  id: Generated<string>;
  office_id: string;
  closure_id: string | null;
  appointment_id: string;
  offer_id: string | null;
  reason: 'no_channel' | 'delivery_failed';
  state: Generated<'open' | 'reached' | 'voicemail'>;
  last_outcome: 'reached' | 'not_reached' | 'voicemail' | 'accepted' | 'declined' | 'other_time' | null;
  attempts: Generated<number>;
  handled_by: string | null;
  handled_at: NullableTimestamp;
  note: string | null;
  created_at: Timestamp;
};

export type MessageTemplateTable = {
  /** The town whose own text this is; '' the installation's text, for every town without its own (#20). */
  municipality_id: ColumnType<string, string | undefined, string>;
  /** MessageKind of src/domain/message-template.ts; the table's check lists the same. */
  kind: MessageKind;
  language: 'de' | 'en';
  intro: string | null;
  sms: string | null;
  updated_by: string;
  updated_at: Timestamp;
};

export type MessagingTables = {
  outbox: OutboxTable;
  call_list_entry: CallListEntryTable;
  message_template: MessageTemplateTable;
};

export type NewOutboxMessage = Insertable<OutboxTable>;
export type CallListEntry = Selectable<CallListEntryTable>;

/** A new outbox row's times: queued and due at `now` (epoch ms) of the application's clock. */
export function queuedAt(now: number): { created_at: Date; next_attempt_at: Date } {
  return { created_at: new Date(now), next_attempt_at: new Date(now) };
}
