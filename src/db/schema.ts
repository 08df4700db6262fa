import type { AppointmentTables } from './appointment-schema.ts';
import type { BookingTables } from './booking-schema.ts';
import type { CatalogueTables } from './catalogue-schema.ts';
import type { ClosureTables } from './closure-schema.ts';
import type { CounterTables } from './counter-schema.ts';
import type { DeviceTables } from './device-schema.ts';
import type { DocumentTables } from './document-schema.ts';
import type { MessagingTables } from './messaging-schema.ts';
import type { SetupTables } from './setup-schema.ts';
import type { StaffTables } from './staff-schema.ts';
import type { StatisticsTables } from './statistics-schema.ts';
import type { SyncTables } from './sync-schema.ts';
import type { WaitingListTables } from './waiting-list-schema.ts';

// The Kysely type of the whole database. Each capability keeps its tables in <stem>-schema.ts; this
// file joins them and re-exports every row type, so `import … from 'db/schema.ts'` keeps working and
// test/db/schema-shape.test.ts compares one `DB` with the migrated database.

export type DB = CatalogueTables &
  BookingTables &
  AppointmentTables &
  MessagingTables &
  ClosureTables &
  WaitingListTables &
  CounterTables &
  DocumentTables &
  StatisticsTables &
  StaffTables &
  SetupTables &
  SyncTables &
  DeviceTables;

export type * from './appointment-schema.ts';
export type * from './booking-schema.ts';
export type * from './catalogue-schema.ts';
export type * from './closure-schema.ts';
export type * from './counter-schema.ts';
export type * from './device-schema.ts';
export type * from './document-schema.ts';
export type * from './messaging-schema.ts';
export type * from './setup-schema.ts';
export type * from './staff-schema.ts';
export type * from './statistics-schema.ts';
export type * from './sync-schema.ts';
export type * from './waiting-list-schema.ts';
export { queuedAt } from './messaging-schema.ts';
