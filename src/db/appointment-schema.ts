import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Language } from './catalogue-schema.ts';

// Tables of the appointment itself, its services, its history and its reminder; joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type AppointmentStatus = 'reserved' | 'confirmed' | 'checked_in' | 'called' | 'served' | 'no_show' | 'cancelled' | 'expired';
export type AppointmentSource = 'online' | 'phone' | 'counter' | 'rebooking';

export type AppointmentTable = {
  id: Generated<string>;
  reference: string;
  /** The office's town: the distribution column (decision 0014), written with every insert. */
  municipality_id: string;
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
  /** The office's note for staff (#22); never shown to the citizen, blanked with the contact data. */
  staff_note: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
};

export type AppointmentServiceTable = { appointment_id: string; municipality_id: string; service_id: string; persons: number };

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

export type AppointmentReminderTable = {
  appointment_id: string;
  queued_at: Timestamp;
  cancel_token_hash: string | null;
  channel: 'email' | 'sms' | null;
};

export type AppointmentTables = {
  appointment: AppointmentTable;
  appointment_service: AppointmentServiceTable;
  appointment_event: AppointmentEventTable;
  appointment_reminder: AppointmentReminderTable;
};

export type Appointment = Selectable<AppointmentTable>;
