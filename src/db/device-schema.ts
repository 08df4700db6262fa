import type { ColumnType, Generated } from 'kysely';

// Enrolled kiosks and call displays and their pairing codes (2026-12-07T0930); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type DeviceKind = 'kiosk' | 'display';

export type OfficeDeviceTable = {
  id: Generated<string>;
  office_id: string;
  name: string;
  kind: DeviceKind;
  token_hash: string;
  paired_at: Timestamp;
  paired_by: string;
  last_seen_at: Timestamp;
  revoked_at: NullableTimestamp;
};

export type DevicePairingTable = {
  code_hash: string;
  office_id: string;
  name: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
};

export type DeviceTables = { office_device: OfficeDeviceTable; device_pairing: DevicePairingTable };
