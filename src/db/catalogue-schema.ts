import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the catalogue every capability reads (offices, counters, services, staffing, release
// policy); joined into DB in schema.ts.

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// numeric comes back as a string from pg; we convert at the repository edge.
type Numeric = ColumnType<string, number | string, number | string>;

export type Language = 'de' | 'en';
/** DATE stays an office-local 'YYYY-MM-DD' string (see connection.ts). */
type LocalDate = ColumnType<string, string, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A town as its town file names it (#21); every office and service belongs to one (#20). */
export type MunicipalityTable = {
  id: string;
  name: string;
  site_title: string | null;
  logo_file: string | null;
  logo: Uint8Array | null;
  logo_media_type: string | null;
  mail_from: string;
  phone: string | null;
  imprint_url: string;
  privacy_url: string;
  accessibility_url: string | null;
  /** The town's video in Deutsche Gebärdensprache for /gebaerdensprache (#24 item 1). */
  sign_language_video_url: string | null;
  default_language: Generated<Language>;
  holiday_region: Generated<string>;
  closed_days: Generated<string[]>;
  /** The town's public site (decision 0014): its mails link there, its host selects the town. */
  site_url: string | null;
  /** More host names of that site. */
  host_names: Generated<string[]>;
  /** Days personal data is kept after the appointment; null: SCHALTER_RETENTION_DAYS. */
  retention_days: number | null;
  /** Municipality ids whose offices an "any office" search of this town also offers. */
  neighbours: Generated<string[]>;
};

export type OfficeTable = {
  id: string;
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  time_zone: Generated<string>;
  holiday_region: Generated<string>;
  created_at: DefaultTimestamp;
  municipality_id: string;
  directions_de: string | null;
  directions_en: string | null;
  accessibility_de: string | null;
  accessibility_en: string | null;
  public_transport_de: string | null;
  public_transport_en: string | null;
  /** Building accessibility as the town file states it; null: not stated. */
  step_free_entrance: boolean | null;
  lift: boolean | null;
  accessible_toilet: boolean | null;
  hearing_loop: boolean | null;
  /** The office's own closing days as written in the town file (src/domain/closed-days.ts). */
  closed_days: Generated<string[]>;
  /** Removed from the town file: kept for the appointments and statistics that name it, no longer offered. */
  retired_at: NullableTimestamp;
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
  municipality_id: string;
  /** Minutes of each further person; null: as long as the first (duration_minutes). */
  duration_further_minutes: number | null;
  description_de: string | null;
  description_en: string | null;
  retired_at: NullableTimestamp;
};

export type ServiceFeeRuleTable = {
  service_id: string;
  position: number;
  label_de: string;
  label_en: string;
  fee_cents: number;
  age_below: number | null;
};

/** Rows only for counters restricted to some services. */
export type CounterServiceTable = { office_id: string; counter_number: number; service_id: string };

export type OfficeServiceTable = { office_id: string; service_id: string };

export type StaffingRuleTable = {
  id: Generated<number>;
  office_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  appointment_counters: number;
  walkin_counters: Generated<number>;
  every_weeks: Generated<number>;
  starting_from: LocalDate | null;
  valid_from: LocalDate | null;
  valid_to: LocalDate | null;
};

export type StaffingExceptionTable = {
  id: Generated<number>;
  office_id: string;
  date: LocalDate;
  start_time: string | null;
  end_time: string | null;
  appointment_counters: number;
  reason: string;
  /** Last day of a range (inclusive); null: the one day `date`. */
  end_date: LocalDate | null;
  /** null: the weekly plan's walk-in counters. */
  walkin_counters: number | null;
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

/** Rules that were global settings before the town file; without a row the environment's apply. */
export type OfficeSettingsTable = {
  office_id: string;
  confirmation: 'email' | 'none';
  reminder_hours: number;
  waiting_list_hold_minutes: number;
  replacement_hold_hours: number;
};

export type CatalogueTables = {
  municipality: MunicipalityTable;
  office: OfficeTable;
  office_settings: OfficeSettingsTable;
  service_fee_rule: ServiceFeeRuleTable;
  counter_service: CounterServiceTable;
  counter: CounterTable;
  service: ServiceTable;
  office_service: OfficeServiceTable;
  staffing_rule: StaffingRuleTable;
  staffing_exception: StaffingExceptionTable;
  release_policy: ReleasePolicyTable;
};

export type Office = Selectable<OfficeTable>;
export type Service = Selectable<ServiceTable>;
export type Municipality = Selectable<MunicipalityTable>;
