import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of document pickup (ID cards, passports in production and ready to collect); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigserial comes back as a string. */
type BigSerial = ColumnType<string, never, never>;
type Json = ColumnType<Record<string, unknown> | null, string | null, string | null>;

export type DocumentKind = 'id_card' | 'passport' | 'child_passport' | 'residence_permit' | 'other';
export type DocumentState = 'in_production' | 'ready' | 'handed_out' | 'returned';

export type DocumentOrderTable = {
  id: string;
  order_number: string;
  office_id: string;
  kind: DocumentKind;
  holder_name: string;
  citizen_email: string | null;
  citizen_phone: string | null;
  language: Generated<'de' | 'en'>;
  state: DocumentState;
  source: 'import' | 'api' | 'counter';
  ready_at: NullableTimestamp;
  handed_out_at: NullableTimestamp;
  handed_out_to: 'holder' | 'authorised' | null;
  authorised_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type DocumentEventTable = {
  id: BigSerial;
  document_order_id: string;
  at: Timestamp;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  details: Json;
};

export type DocumentTables = {
  document_order: DocumentOrderTable;
  document_event: DocumentEventTable;
};

export type DocumentOrder = Selectable<DocumentOrderTable>;
