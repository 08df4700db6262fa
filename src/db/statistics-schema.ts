import type { ColumnType, Generated } from 'kysely';

// Tables of the statistics (#8); joined into DB in schema.ts. No personal data in any of them.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** DATE stays an office-local 'YYYY-MM-DD' string (see connection.ts). */
type LocalDate = ColumnType<string, string, string>;
/** bigint comes back from pg as a string. */
type BigCount = ColumnType<string, number | string | undefined, number | string>;
type Count = ColumnType<number, number | undefined, number>;

export type StatHourlyTable = {
  office_id: string;
  service_id: string;
  day: LocalDate;
  hour: number;
  booked: Count;
  appointments_due: Count;
  appointments_cancelled: Count;
  served: Count;
  no_show: Count;
  cancelled_citizen: Count;
  cancelled_office: Count;
  walkins_served: Count;
  walkins_turned_away: Count;
  arrivals: Count;
  walkin_arrivals: Count;
  called_within_15: Count;
  called_within_30: Count;
  waits: Count;
  wait_seconds: BigCount;
  wait_histogram: ColumnType<number[], number[], number[]>;
  processed: Count;
  processing_seconds: BigCount;
  processing_histogram: ColumnType<number[], number[], number[]>;
  staffed_seconds: BigCount;
};

export type StatWatermarkTable = { name: string; last_id: ColumnType<string, number | string, number | string> };

export type LeadTimeSnapshotTable = {
  office_id: string;
  service_id: string;
  day: LocalDate;
  measured_at: Timestamp;
  lead_days: number | null;
  first_free: NullableTimestamp;
};

export type WalkinRefusalTable = { id: Generated<string>; office_id: string; service_id: string | null; at: Timestamp };

export type JobRunTable = {
  id: Generated<string>;
  job: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  details: ColumnType<Record<string, unknown> | null, string | null, string | null>;
};

/** Searches that found nothing, per day (#8): demand the offer did not meet. */
export type StatSearchMissTable = { office_id: string; service_id: string; day: LocalDate; misses: number };

/** How many waited on the waiting list, measured per day (#8). */
export type StatWaitingListTable = { office_id: string; service_id: string; day: LocalDate; waiting: number; measured_at: Timestamp };

export type StatisticsTables = {
  stat_hourly: StatHourlyTable;
  stat_watermark: StatWatermarkTable;
  lead_time_snapshot: LeadTimeSnapshotTable;
  walkin_refusal: WalkinRefusalTable;
  job_run: JobRunTable;
  stat_search_miss: StatSearchMissTable;
  stat_waiting_list: StatWaitingListTable;
};
