import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the day at the office (queue, counters, display, fees); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** DATE stays an office-local 'YYYY-MM-DD' string (see connection.ts). */
type LocalDate = ColumnType<string, string, string>;
/** bigserial comes back as a string. */
type BigSerial = ColumnType<string, never, never>;

export type TicketState = 'waiting' | 'called' | 'served' | 'no_show' | 'cancelled';
export type TicketKind = 'appointment' | 'walkin';

export type OfficeQueueSettingsTable = {
  office_id: string;
  walkin_quota: number | null;
  walkin_minutes: Generated<number>;
  checkin_early_minutes: Generated<number>;
  checkin_late_minutes: Generated<number>;
};

/** The line the call display shows under its head (#22): set by the team lead, fed to the branch. */
export type DisplayNoticeTable = {
  office_id: string;
  text_de: string;
  text_en: string | null;
  updated_by: string;
  updated_at: Timestamp;
};

export type CounterStationTable = { office_id: string; counter_number: number; actor: string; opened_at: Timestamp };

export type TicketSequenceTable = { office_id: string; day: LocalDate; prefix: 'T' | 'S'; last: number };

export type TicketTable = {
  id: string;
  office_id: string;
  day: LocalDate;
  label: string;
  kind: TicketKind;
  appointment_id: string | null;
  service_id: string | null;
  state: TicketState;
  priority: Generated<boolean>;
  due_at: NullableTimestamp;
  arrived_at: Timestamp;
  called_at: NullableTimestamp;
  call_count: Generated<number>;
  counter_number: number | null;
  target_counter: number | null;
  finished_at: NullableTimestamp;
};

export type QueueCallTable = {
  id: BigSerial;
  office_id: string;
  day: LocalDate;
  ticket_id: string;
  label: string;
  counter_number: number;
  at: Timestamp;
};

export type CounterPaymentTable = {
  id: string;
  office_id: string;
  ticket_id: string | null;
  appointment_id: string | null;
  document_order_id: string | null;
  amount_cents: number;
  method: 'cash' | 'card';
  at: Timestamp;
  actor: string;
};

export type CounterTables = {
  office_queue_settings: OfficeQueueSettingsTable;
  display_notice: DisplayNoticeTable;
  counter_station: CounterStationTable;
  ticket_sequence: TicketSequenceTable;
  ticket: TicketTable;
  queue_call: QueueCallTable;
  counter_payment: CounterPaymentTable;
};

export type Ticket = Selectable<TicketTable>;
