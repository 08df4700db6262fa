import type { ColumnType, Generated } from 'kysely';

// The waiting list (#8): who waits for which services, offices, days and hours; joined into DB in
// schema.ts. Its offers are replacement_offer rows (closure-schema.ts), its demand figures
// statistics (statistics-schema.ts).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

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

export type WaitingListTables = { waiting_list_entry: WaitingListEntryTable };
