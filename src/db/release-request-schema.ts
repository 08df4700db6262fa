import type { ColumnType } from 'kysely';

// Table of the fair release window (#7); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ReleaseRequestState = 'pending' | 'booked' | 'unavailable';

export type ReleaseRequestTable = {
  id: string;
  token_hash: string;
  office_id: string;
  wave_released_at: Timestamp;
  window_closes_at: Timestamp;
  /** 'email:…' or 'phone:…' (src/domain/fair-release.ts). */
  contact_key: string;
  starts_at: Timestamp;
  services: ColumnType<{ serviceId: string; persons: number }[], string, string>;
  citizen_name: string;
  citizen_email: string | null;
  citizen_phone: string | null;
  language: 'de' | 'en';
  /** bigint comes back from pg as a string. */
  draw: ColumnType<string, number, number>;
  state: ColumnType<ReleaseRequestState, ReleaseRequestState | undefined, ReleaseRequestState>;
  /** Why it was not booked: slot_unavailable, contact_limit_reached, … */
  outcome_code: string | null;
  appointment_id: string | null;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
};

export type ReleaseRequestTables = { release_request: ReleaseRequestTable };
