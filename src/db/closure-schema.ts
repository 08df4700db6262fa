import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of closures, replacement offers, the call list and the waiting list; joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ClosureTable = {
  id: Generated<string>;
  office_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  counters: number[] | null;
  reason: string;
  notify: boolean;
  offer_replacements: boolean;
  hold_hours: number;
  state: 'running' | 'done';
  created_by: string;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
};

export type ClosureItemTable = {
  closure_id: string;
  appointment_id: string;
  state: 'pending' | 'done' | 'skipped';
  channel: 'email' | 'sms' | 'call' | 'none';
  original_start: Timestamp;
  message_key: string | null;
  offer_id: string | null;
  processed_at: NullableTimestamp;
};

export type OfferState = 'held' | 'accepted' | 'declined' | 'expired' | 'none';

export type ReplacementOfferTable = {
  id: string;
  closure_id: string | null;
  /** null for a waiting-list offer (waiting_entry_id set instead). */
  original_appointment_id: string | null;
  held_appointment_id: string | null;
  token_hash: string;
  state: OfferState;
  expires_at: Timestamp;
  remind_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  created_at: Timestamp;
  waiting_entry_id: string | null;
};

export type CallListEntryTable = {
  id: Generated<string>;
  office_id: string;
  closure_id: string | null;
  appointment_id: string;
  offer_id: string | null;
  reason: 'no_channel' | 'delivery_failed';
  state: Generated<'open' | 'reached' | 'voicemail'>;
  last_outcome: 'reached' | 'not_reached' | 'voicemail' | null;
  attempts: Generated<number>;
  handled_by: string | null;
  handled_at: NullableTimestamp;
  note: string | null;
  created_at: Timestamp;
};

export type WaitingListEntryTable = {
  id: Generated<string>;
  services: ColumnType<{ serviceId: string; persons: number }[], string, string>;
  office_ids: string[];
  earliest_date: ColumnType<string, string, string>;
  latest_date: ColumnType<string, string, string>;
  weekdays: number[];
  from_time: string;
  to_time: string;
  citizen_name: string;
  citizen_email: string | null;
  citizen_phone: string | null;
  language: 'de' | 'en';
  token_hash: string;
  state: 'waiting' | 'offered' | 'booked' | 'left' | 'expired';
  offer_id: string | null;
  joined_at: Timestamp;
  ended_at: NullableTimestamp;
};

export type AppointmentReminderTable = { appointment_id: string; queued_at: Timestamp; cancel_token_hash: string | null; channel: 'email' | 'sms' | null };

export type ClosureTables = {
  appointment_reminder: AppointmentReminderTable;
  closure: ClosureTable;
  closure_item: ClosureItemTable;
  replacement_offer: ReplacementOfferTable;
  call_list_entry: CallListEntryTable;
  waiting_list_entry: WaitingListEntryTable;
};

export type Closure = Selectable<ClosureTable>;
export type ReplacementOffer = Selectable<ReplacementOfferTable>;
export type CallListEntry = Selectable<CallListEntryTable>;
