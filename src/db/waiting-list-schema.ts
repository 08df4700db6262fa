import type { ColumnType } from 'kysely';

// Demand figures of the waiting list and the search (#8); joined into DB in schema.ts. No personal data.

/** DATE stays an office-local 'YYYY-MM-DD' string (see connection.ts). */
type LocalDate = ColumnType<string, string, string>;

export type StatSearchMissTable = { office_id: string; service_id: string; day: LocalDate; misses: number };

export type StatWaitingListTable = { office_id: string; service_id: string; day: LocalDate; waiting: number; measured_at: ColumnType<Date, Date | string, Date | string> };

export type WaitingListStatTables = {
  stat_search_miss: StatSearchMissTable;
  stat_waiting_list: StatWaitingListTable;
};
