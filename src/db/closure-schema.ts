import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of closures and replacement offers (also the waiting list's offers); joined into DB in schema.ts.

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
  /** Opened by `setup apply --close-affected`: its appointments were cancelled when it was opened. */
  setup_revision: ColumnType<number | null, number | null | undefined, number | null>;
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

export type ClosureTables = {
  closure: ClosureTable;
  closure_item: ClosureItemTable;
  replacement_offer: ReplacementOfferTable;
};

export type Closure = Selectable<ClosureTable>;
export type ReplacementOffer = Selectable<ReplacementOfferTable>;
