import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ClosureTables } from './closure-schema.ts';
import type { CounterTables } from './counter-schema.ts';
import type { DeviceTables } from './device-schema.ts';
import type { StaffTables } from './staff-schema.ts';
import type { ReleaseRequestTables } from './release-request-schema.ts';
import type { MessageTemplateTables } from './message-template-schema.ts';
import type { StatisticsTables } from './statistics-schema.ts';
import type { SyncTables } from './sync-schema.ts';
import type { WaitingListStatTables } from './waiting-list-schema.ts';

// Timestamps come back from pg as Date; we write Date or ISO strings.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// numeric comes back as a string from pg; we convert at the repository edge.
type Numeric = ColumnType<string, number | string, number | string>;
type Json<T> = ColumnType<T, string, string>;

export type AppointmentStatus =
  | 'reserved'
  | 'confirmed'
  | 'checked_in'
  | 'called'
  | 'served'
  | 'no_show'
  | 'cancelled'
  | 'expired';
export type AppointmentSource = 'online' | 'phone' | 'counter' | 'rebooking';
export type Language = 'de' | 'en';

export type OfficeTable = {
  id: string;
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  time_zone: Generated<string>;
  holiday_region: Generated<string>;
  created_at: DefaultTimestamp;
};

export type CounterTable = { office_id: string; number: number; name: string };

export type ServiceTable = {
  id: string;
  name_de: string;
  name_en: string;
  duration_minutes: number;
  fee_cents: number | null;
  online_bookable: Generated<boolean>;
  max_persons: Generated<number>;
  documents_de: Generated<string[]>;
  documents_en: Generated<string[]>;
  sort_order: Generated<number>;
};

export type OfficeServiceTable = { office_id: string; service_id: string };

export type StaffingRuleTable = {
  id: Generated<number>;
  office_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  appointment_counters: number;
  walkin_counters: Generated<number>;
};

export type StaffingExceptionTable = {
  id: Generated<number>;
  office_id: string;
  date: ColumnType<string, string, string>;
  start_time: string | null;
  end_time: string | null;
  appointment_counters: number;
  reason: string;
};

export type ReleasePolicyTable = {
  office_id: string;
  release_weekday: number;
  release_time: string;
  horizon_days: number;
  same_day_share: Numeric;
  same_day_release_time: string;
  phone_share: Numeric;
  min_lead_minutes: number;
};

export type CapacityUnitTable = {
  office_id: string;
  starts_at: Timestamp;
  capacity: number;
  held_back: Generated<number>;
  phone_reserved: Generated<number>;
  load: Generated<number>;
  /** Seats taken out of service by closures (see closure-schema.ts). */
  closed: Generated<number>;
  /** Extra seats only replacement offers may use. */
  rebooking_only: Generated<number>;
  /** Seats leased to the office's branch node (issue #6, src/app/booking/branch-lease.ts); central channels never take them. */
  leased: Generated<number>;
  /** How much of load sits in leased seats (the central pool's load is load - lease_load). */
  lease_load: Generated<number>;
};

export type AppointmentTable = {
  id: Generated<string>;
  reference: string;
  office_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: AppointmentStatus;
  source: AppointmentSource;
  language: Language;
  citizen_name: string | null;
  citizen_email: string | null;
  citizen_phone: string | null;
  manage_token_hash: string;
  confirmation_code_hash: string | null;
  /** Wrong confirmation codes so far; at 5 the reservation is released. */
  confirmation_failures: Generated<number>;
  reserved_until: ColumnType<Date | null, Date | string | null, Date | string | null>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
};

export type AppointmentServiceTable = { appointment_id: string; service_id: string; persons: number };

export type AppointmentEventTable = {
  id: Generated<string>;
  appointment_id: string;
  at: Timestamp;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  details: Json<Record<string, unknown> | null> | null;
};

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
};

export type DB = {
  office: OfficeTable;
  counter: CounterTable;
  service: ServiceTable;
  office_service: OfficeServiceTable;
  staffing_rule: StaffingRuleTable;
  staffing_exception: StaffingExceptionTable;
  release_policy: ReleasePolicyTable;
  capacity_unit: CapacityUnitTable;
  appointment: AppointmentTable;
  appointment_service: AppointmentServiceTable;
  appointment_event: AppointmentEventTable;
  outbox: OutboxTable;
} & StaffTables &
  SyncTables &
  CounterTables &
  ClosureTables &
  StatisticsTables &
  WaitingListStatTables &
  ReleaseRequestTables &
  MessageTemplateTables &
  DeviceTables;

export type Office = Selectable<OfficeTable>;
export type Service = Selectable<ServiceTable>;
export type Appointment = Selectable<AppointmentTable>;
export type NewOutboxMessage = Insertable<OutboxTable>;

/** A new outbox row's times: queued and due at `now` (epoch ms) of the application's clock. */
export function queuedAt(now: number): { created_at: Date; next_attempt_at: Date } {
  return { created_at: new Date(now), next_attempt_at: new Date(now) };
}
