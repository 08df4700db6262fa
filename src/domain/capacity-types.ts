// Shared shapes of the capacity model. Instants are epoch milliseconds (UTC) so the hot slot-search
// loop works on plain numbers; calendar arithmetic uses Temporal in the office's time zone.

/** Minutes per capacity unit. An appointment of n units takes one seat in n consecutive units. */
export const UNIT_MINUTES = 5;
export const UNIT_MS = UNIT_MINUTES * 60_000;

/** 'HH:MM', office-local wall time. '24:00' is allowed as an end time. */
export type WallTime = string;
/** 'YYYY-MM-DD', an office-local calendar date. */
export type IsoDate = string;
/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type StaffingRule = {
  weekday: Weekday;
  start: WallTime;
  end: WallTime;
  /** Counters serving booked appointments in this range. */
  appointmentCounters: number;
  /**
   * Which of the weekday's dates the rule covers (src/domain/week-pattern.ts): every n-th week,
   * from/to a date. Absent: every week, always.
   */
  repeat?: RuleRepeat;
};

export type RuleRepeat = { everyWeeks: number; startingFrom: IsoDate | null; validFrom: IsoDate | null; validTo: IsoDate | null };

/** A date (or range of dates) that deviates from the weekly plan. Without start/end it covers the whole day. */
export type StaffingException = {
  date: IsoDate;
  /** Last day of a range, inclusive; absent or null: only `date`. */
  endDate?: IsoDate | null;
  start: WallTime | null;
  end: WallTime | null;
  /** 0 closes the office (or the range); otherwise the reduced number of counters. */
  appointmentCounters: number;
  reason: string;
};

export type ReleasePolicy = {
  /** Slots open in weekly waves, e.g. every Monday (1) at '07:00' ... */
  releaseWeekday: Weekday;
  releaseTime: WallTime;
  /** ... for the days from the release day up to releaseDay + horizonDays - 1. */
  horizonDays: number;
  /** Share of each day's seats held back and released on that day itself at sameDayReleaseTime. */
  sameDayShare: number;
  sameDayReleaseTime: WallTime;
  /** Share of each day's seats that only staff (phone booking) may use. */
  phoneShare: number;
  /** Slots starting less than this many minutes from now are not offered. */
  minLeadMinutes: number;
};

/** A unit as planned: how many seats, and how many of them are held back or reserved for the phone. */
export type PlannedUnit = {
  startsAt: number;
  capacity: number;
  heldBack: number;
  phoneReserved: number;
  /** Seats taken out of service by a closure (none for the public or the phone). */
  closed?: number;
  /** Extra seats opened only for replacement offers after a closure (not for the public or the phone). */
  rebookingOnly?: number;
  /** Seats leased to the office's branch node (src/domain/branch-lease.ts): never for central channels. */
  leased?: number;
  /** How many of the unit's booked seats are lease seats; the central pool's load is load - leaseLoad. */
  leaseLoad?: number;
};

/** A unit as stored, with its current load (booked seats). */
export type UnitLoad = PlannedUnit & { load: number };

export type BookingChannel = 'online' | 'phone';
