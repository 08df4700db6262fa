import type { ColumnType } from 'kysely';

// Tables of the branch node and the central sync endpoints; joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint comes back from pg as a string. */
type BigInt = ColumnType<string, number | string, number | string>;
type DefaultBigInt = ColumnType<string, number | string | undefined, number | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

export type BranchJournalTable = {
  seq: BigInt;
  op_id: string;
  branch_id: string;
  hlc: string;
  office_id: string;
  type: string;
  command: Json;
  recorded_at: Timestamp;
  local_error: NullableJson;
  /** Whether the branch was cut off from the central server when it recorded the entry; null: unknown (older entries). */
  cut_off: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
};

export type BranchSyncStateTable = {
  branch_id: string;
  office_id: string;
  acked_seq: DefaultBigInt;
  central_high_water: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  last_contact_at: NullableTimestamp;
  last_error: string | null;
  /** Unused: the feed position is text (feed_position). */
  feed_cursor: DefaultBigInt;
  feed_position: ColumnType<string, string | undefined, string>;
  feed_synced_at: NullableTimestamp;
};

export type SyncBranchTable = {
  id: string;
  office_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  high_water: DefaultBigInt;
  last_seen_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
};

export type SyncAppliedOpTable = {
  op_id: string;
  branch_id: string;
  seq: BigInt;
  hlc: string;
  type: string;
  command: Json;
  outcome: Json;
  applied_at: Timestamp;
};

export type SyncWorkItemTable = {
  id: string;
  office_id: string;
  branch_id: string | null;
  op_id: string | null;
  kind: string;
  message: string;
  details: NullableJson;
  created_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  resolution_note: ColumnType<string | null, string | null | undefined, string | null>;
};

export type SyncChangeTable = { seq: ColumnType<string, never, never>; office_id: string | null; entity: string; entity_key: string };

export type SyncTables = {
  sync_change: SyncChangeTable;
  branch_journal: BranchJournalTable;
  branch_sync_state: BranchSyncStateTable;
  sync_branch: SyncBranchTable;
  sync_applied_op: SyncAppliedOpTable;
  sync_work_item: SyncWorkItemTable;
};
