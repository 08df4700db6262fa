import type { ColumnType, Generated } from 'kysely';

// Tables of bookable capacity and of the ways to take it besides the booking itself: the branch
// lease's walk-in slots and the fair release window (#7); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type CapacityUnitTable = {
  /** The office's town: the distribution column (decision 0014), written with every insert. */
  municipality_id: string;
  office_id: string;
  starts_at: Timestamp;
  capacity: number;
  held_back: Generated<number>;
  phone_reserved: Generated<number>;
  load: Generated<number>;
  /** Seats taken out of service by closures (see closure-schema.ts). */
  closed: Generated<number>;
  /** Extra seats only replacement offers may use. */
  rebooking_only: Generated<number>;
  /** Seats leased to the office's branch node (issue #6, src/app/booking/branch-lease.ts); central channels never take them. */
  leased: Generated<number>;
  /** How much of load sits in leased seats (the central pool's load is load - lease_load). */
  lease_load: Generated<number>;
};

/** A same-day walk-in slot given at a counter from the branch lease (or beyond it: within_lease false). */
export type LeaseBookingTable = { appointment_id: string; office_id: string; within_lease: boolean; booked_at: Timestamp };

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

export type BookingTables = {
  capacity_unit: CapacityUnitTable;
  lease_booking: LeaseBookingTable;
  release_request: ReleaseRequestTable;
};
