import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the catalogue every capability reads (offices, counters, services, staffing, release
// policy); joined into DB in schema.ts.

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// numeric comes back as a string from pg; we convert at the repository edge.
type Numeric = ColumnType<string, number | string, number | string>;

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

export type CatalogueTables = {
  office: OfficeTable;
  counter: CounterTable;
  service: ServiceTable;
  office_service: OfficeServiceTable;
  staffing_rule: StaffingRuleTable;
  staffing_exception: StaffingExceptionTable;
  release_policy: ReleasePolicyTable;
};

export type Office = Selectable<OfficeTable>;
export type Service = Selectable<ServiceTable>;
