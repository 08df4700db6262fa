import { describe, it, expect } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { planDay, planRange, type DayPlanInput } from '../../src/domain/capacity-plan.ts';
import { isPublicHoliday } from '../../src/domain/holidays.ts';
import { UNIT_MS, type PlannedUnit, type StaffingException, type StaffingRule } from '../../src/domain/capacity-types.ts';

const TZ = 'Europe/Berlin';
const at = (local: string): number => Temporal.ZonedDateTime.from(`${local}[${TZ}]`).epochMilliseconds;
const wall = (ms: number): string =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TZ).toPlainTime().toString({ smallestUnit: 'minute' });
const offset = (ms: number): string => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TZ).offset;
const sum = (units: readonly PlannedUnit[], key: 'capacity' | 'heldBack' | 'phoneReserved'): number =>
  units.reduce((s, u) => s + u[key], 0);

const MONDAY = '2026-11-30';
const rule = (start: string, end: string, appointmentCounters: number, weekday: StaffingRule['weekday'] = 1): StaffingRule => ({
  weekday,
  start,
  end,
  appointmentCounters,
});
const exception = (date: string, start: string | null, end: string | null, appointmentCounters: number): StaffingException => ({
  date,
  start,
  end,
  appointmentCounters,
  reason: 'test',
});
const day = (overrides: Partial<DayPlanInput>): DayPlanInput => ({
  date: MONDAY,
  timeZone: TZ,
  rules: [rule('08:00', '12:00', 2)],
  exceptions: [],
  isHoliday: false,
  sameDayShare: 0,
  phoneShare: 0,
  ...overrides,
});

describe('planDay: weekly rules', () => {
  it('a Monday 08:00-12:00 rule with 2 counters gives 48 units of capacity 2, ascending and gap-free', () => {
    const units = planDay(day({}));
    expect(units).toHaveLength(48);
    expect(units[0]!.startsAt).toBe(at('2026-11-30T08:00'));
    expect(wall(units[47]!.startsAt)).toBe('11:55');
    expect(units.every((u) => u.capacity === 2)).toBe(true);
    units.slice(1).forEach((u, i) => expect(u.startsAt - units[i]!.startsAt).toBe(UNIT_MS));
  });

  it('rules of other weekdays do not apply', () => {
    expect(planDay(day({ date: '2026-12-01' }))).toEqual([]);
  });

  it('overlapping rules add their counters', () => {
    const units = planDay(day({ rules: [rule('08:00', '12:00', 2), rule('10:00', '11:00', 1)] }));
    const byTime = new Map(units.map((u) => [wall(u.startsAt), u.capacity]));
    expect(byTime.get('09:55')).toBe(2);
    expect(byTime.get('10:00')).toBe(3);
    expect(byTime.get('10:55')).toBe(3);
    expect(byTime.get('11:00')).toBe(2);
    expect(units).toHaveLength(48);
  });

  it('a lunch break leaves a gap between the morning and the afternoon units', () => {
    const units = planDay(day({ rules: [rule('08:00', '12:00', 1), rule('14:00', '16:00', 1)] }));
    expect(units).toHaveLength(48 + 24);
    const times = units.map((u) => wall(u.startsAt));
    expect(times).toContain('11:55');
    expect(times).not.toContain('12:00');
    expect(times).not.toContain('13:55');
    expect(times).toContain('14:00');
  });

  it("'24:00' ends the range at midnight", () => {
    const units = planDay(day({ rules: [rule('22:00', '24:00', 1)] }));
    expect(units).toHaveLength(24);
    expect(wall(units.at(-1)!.startsAt)).toBe('23:55');
  });

  it('rules with 0 counters produce no units', () => {
    expect(planDay(day({ rules: [rule('08:00', '12:00', 0)] }))).toEqual([]);
  });

  it('a public holiday closes the day whatever the rules say', () => {
    expect(planDay(day({ isHoliday: true }))).toEqual([]);
  });

  it('refuses malformed wall times, backwards ranges and negative counters', () => {
    expect(() => planDay(day({ rules: [rule('8:00', '12:00', 1)] }))).toThrow(RangeError);
    expect(() => planDay(day({ rules: [rule('12:00', '08:00', 1)] }))).toThrow(RangeError);
    expect(() => planDay(day({ rules: [rule('08:00', '12:00', -1)] }))).toThrow(RangeError);
  });
});

describe('planDay: DST days in Europe/Berlin', () => {
  const SPRING = '2026-03-29'; // Sunday, 02:00 -> 03:00
  const AUTUMN = '2026-10-25'; // Sunday, 03:00 -> 02:00

  it('the 23-hour spring-forward day has 23 hours of units', () => {
    const units = planDay(day({ date: SPRING, rules: [rule('00:00', '24:00', 1, 7)] }));
    expect(units).toHaveLength(23 * 12);
  });

  it('a 01:00-04:00 rule on the spring-forward day yields 2 hours and no unit in the 02:00-03:00 gap', () => {
    const units = planDay(day({ date: SPRING, rules: [rule('01:00', '04:00', 1, 7)] }));
    expect(units).toHaveLength(24);
    const times = units.map((u) => wall(u.startsAt));
    expect(times.some((t) => t.startsWith('02:'))).toBe(false);
    expect(times[11]).toBe('01:55');
    expect(times[12]).toBe('03:00');
    expect(units[12]!.startsAt - units[11]!.startsAt).toBe(UNIT_MS);
  });

  it('a rule starting at 02:30, inside the gap, starts at 03:30 wall time', () => {
    const units = planDay(day({ date: SPRING, rules: [rule('02:30', '04:00', 1, 7)] }));
    expect(units.map((u) => wall(u.startsAt))).toEqual(['03:30', '03:35', '03:40', '03:45', '03:50', '03:55']);
  });

  it('the 25-hour fall-back day has 25 hours of units', () => {
    const units = planDay(day({ date: AUTUMN, rules: [rule('00:00', '24:00', 1, 7)] }));
    expect(units).toHaveLength(25 * 12);
  });

  it('a 01:00-04:00 rule on the fall-back day yields 4 hours, running through 02:00 twice', () => {
    const units = planDay(day({ date: AUTUMN, rules: [rule('01:00', '04:00', 1, 7)] }));
    expect(units).toHaveLength(48);
    const twoOClock = units.filter((u) => wall(u.startsAt) === '02:00');
    expect(twoOClock.map((u) => offset(u.startsAt))).toEqual(['+02:00', '+01:00']);
    expect(units.at(-1)!.startsAt - units[0]!.startsAt).toBe(4 * 3_600_000 - UNIT_MS);
  });
});

describe('planDay: staffing exceptions', () => {
  const base = { rules: [rule('08:00', '12:00', 3)] };

  it('a whole-day exception with 0 counters closes the office', () => {
    expect(planDay(day({ ...base, exceptions: [exception(MONDAY, null, null, 0)] }))).toEqual([]);
  });

  it('a whole-day exception replaces the counters of every planned unit, lower or higher', () => {
    const reduced = planDay(day({ ...base, exceptions: [exception(MONDAY, null, null, 1)] }));
    expect(reduced).toHaveLength(48);
    expect(reduced.every((u) => u.capacity === 1)).toBe(true);
    const raised = planDay(day({ ...base, exceptions: [exception(MONDAY, null, null, 5)] }));
    expect(raised).toHaveLength(48);
    expect(raised.every((u) => u.capacity === 5)).toBe(true);
  });

  it('a whole-day exception does not open hours the weekly plan does not have', () => {
    expect(planDay(day({ date: '2026-12-05', ...base, exceptions: [exception('2026-12-05', null, null, 2)] }))).toEqual([]);
  });

  it('exceptions of other dates are ignored', () => {
    const units = planDay(day({ ...base, exceptions: [exception('2026-12-07', null, null, 0)] }));
    expect(units).toHaveLength(48);
  });

  it('a ranged exception with 0 counters closes only its range', () => {
    const units = planDay(day({ ...base, exceptions: [exception(MONDAY, '10:00', '11:00', 0)] }));
    const times = units.map((u) => wall(u.startsAt));
    expect(units).toHaveLength(36);
    expect(times).toContain('09:55');
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('10:55');
    expect(times).toContain('11:00');
    expect(units.every((u) => u.capacity === 3)).toBe(true);
  });

  it('a ranged exception replaces the plan in its range: neither the minimum nor a sum', () => {
    const units = planDay(day({ ...base, exceptions: [exception(MONDAY, '09:00', '10:00', 5), exception(MONDAY, '11:00', '12:00', 1)] }));
    const byTime = new Map(units.map((u) => [wall(u.startsAt), u.capacity]));
    expect(byTime.get('08:55')).toBe(3);
    expect(byTime.get('09:00')).toBe(5);
    expect(byTime.get('09:55')).toBe(5);
    expect(byTime.get('10:00')).toBe(3);
    expect(byTime.get('11:30')).toBe(1);
  });

  it('a ranged exception opens extra hours, e.g. a Saturday for ID-card pickup', () => {
    const units = planDay(day({ date: '2026-12-05', ...base, exceptions: [exception('2026-12-05', '09:00', '12:00', 2)] }));
    expect(units).toHaveLength(36);
    expect(wall(units[0]!.startsAt)).toBe('09:00');
    expect(units.every((u) => u.capacity === 2)).toBe(true);
  });

  it('a ranged exception wins over a whole-day exception whatever their order', () => {
    const ranged = exception(MONDAY, '10:00', '11:00', 2);
    const whole = exception(MONDAY, null, null, 1);
    for (const exceptions of [
      [ranged, whole],
      [whole, ranged],
    ]) {
      const byTime = new Map(planDay(day({ ...base, exceptions })).map((u) => [wall(u.startsAt), u.capacity]));
      expect(byTime.get('09:55')).toBe(1);
      expect(byTime.get('10:00')).toBe(2);
    }
  });

  it('an exception with an end date covers every day of its range and none after it (a week of Fortbildung)', () => {
    const fortbildung: StaffingException = { ...exception(MONDAY, null, null, 1), endDate: '2026-12-02' };
    const weekdays = ([1, 2, 3, 4] as const).map((wd) => rule('08:00', '12:00', 3, wd));
    const capacities = (date: string) => [
      ...new Set(planDay(day({ date, rules: weekdays, exceptions: [fortbildung] })).map((u) => u.capacity)),
    ];
    expect(capacities('2026-11-30')).toEqual([1]);
    expect(capacities('2026-12-01')).toEqual([1]);
    expect(capacities('2026-12-02')).toEqual([1]);
    expect(capacities('2026-12-03')).toEqual([3]);
  });

  it('refuses an exception with only one end of its range', () => {
    expect(() => planDay(day({ ...base, exceptions: [exception(MONDAY, '10:00', null, 0)] }))).toThrow(RangeError);
  });
});

describe('planDay: held-back and phone seats', () => {
  it('a 2-counter office with 20 % same-day share holds back 19 of 96 seats, spread over the whole day', () => {
    const units = planDay(day({ sameDayShare: 0.2 }));
    expect(sum(units, 'capacity')).toBe(96);
    expect(sum(units, 'heldBack')).toBe(19);
    expect(units.every((u) => u.heldBack <= 1)).toBe(true);
    const morning = sum(units.slice(0, 24), 'heldBack');
    expect(morning).toBeGreaterThanOrEqual(9);
    expect(morning).toBeLessThanOrEqual(10);
    for (let i = 0; i < 48; i += 6) expect(sum(units.slice(i, i + 6), 'heldBack')).toBeGreaterThan(0);
  });

  it('phone seats come on top of held-back seats and never exceed what a unit has', () => {
    const units = planDay(day({ sameDayShare: 0.2, phoneShare: 0.1 }));
    expect(sum(units, 'heldBack')).toBe(19);
    expect(sum(units, 'phoneReserved')).toBe(10);
    expect(units.every((u) => u.heldBack + u.phoneReserved <= u.capacity)).toBe(true);
    expect(units.filter((u) => u.phoneReserved > 0).length).toBeGreaterThan(5);
  });

  it('busier hours hold back proportionally more seats', () => {
    const units = planDay(day({ rules: [rule('08:00', '10:00', 3), rule('10:00', '12:00', 1)], sameDayShare: 0.25, phoneShare: 0.25 }));
    expect(sum(units, 'capacity')).toBe(96);
    expect(sum(units.slice(0, 24), 'heldBack')).toBe(18);
    expect(sum(units.slice(24), 'heldBack')).toBe(6);
    expect(sum(units, 'phoneReserved')).toBe(24);
    expect(units.every((u) => u.heldBack + u.phoneReserved <= u.capacity)).toBe(true);
  });

  it('when both rounded shares overshoot the seats the phone share yields', () => {
    const units = planDay(day({ rules: [rule('08:00', '08:25', 1)], sameDayShare: 0.5, phoneShare: 0.5 }));
    expect(sum(units, 'heldBack')).toBe(3);
    expect(sum(units, 'phoneReserved')).toBe(2);
    expect(units.every((u) => u.heldBack + u.phoneReserved === 1)).toBe(true);
  });

  it('shares are taken of the capacity after exceptions', () => {
    const units = planDay(day({ exceptions: [exception(MONDAY, null, null, 1)], sameDayShare: 0.2 }));
    expect(sum(units, 'heldBack')).toBe(10);
  });

  it('without shares every seat is bookable online', () => {
    const units = planDay(day({}));
    expect(sum(units, 'heldBack') + sum(units, 'phoneReserved')).toBe(0);
  });

  it('refuses shares outside 0..1 or adding up to more than all seats', () => {
    expect(() => planDay(day({ sameDayShare: -0.1 }))).toThrow(RangeError);
    expect(() => planDay(day({ phoneShare: 1.5 }))).toThrow(RangeError);
    expect(() => planDay(day({ sameDayShare: 0.6, phoneShare: 0.5 }))).toThrow(RangeError);
  });
});

describe('planDay: lines that repeat every n weeks or hold for a while', () => {
  const SATURDAY = '2027-01-09';
  const everySecondSaturday: StaffingRule = {
    ...rule('09:00', '12:00', 2, 6),
    repeat: { everyWeeks: 2, startingFrom: SATURDAY, validFrom: null, validTo: null },
  };
  const saturday = (date: string) => planDay(day({ date, rules: [everySecondSaturday] })).length;

  it('every second Saturday: open on the start date and two weeks on, closed in the week between and before the start', () => {
    expect(saturday(SATURDAY)).toBe(36);
    expect(saturday('2027-01-16')).toBe(0);
    expect(saturday('2027-01-23')).toBe(36);
    expect(saturday('2027-01-02')).toBe(0);
  });

  it('a line valid from/to a date applies only on the dates between, both included', () => {
    const summer: StaffingRule = {
      ...rule('14:00', '16:00', 2, 4),
      repeat: { everyWeeks: 1, startingFrom: null, validFrom: '2027-07-01', validTo: '2027-08-31' },
    };
    const thursday = (date: string) => planDay(day({ date, rules: [summer] })).length;
    expect(thursday('2027-06-24')).toBe(0);
    expect(thursday('2027-07-01')).toBe(24);
    expect(thursday('2027-08-26')).toBe(24);
    expect(thursday('2027-09-02')).toBe(0);
  });

  it('a rule without repeat plans exactly as one that repeats every week, always', () => {
    const plain = rule('08:00', '12:00', 2);
    const weekly: StaffingRule = { ...plain, repeat: { everyWeeks: 1, startingFrom: null, validFrom: null, validTo: null } };
    for (const date of ['2026-11-30', '2026-12-07', '2027-03-29'])
      expect(planDay(day({ date, rules: [weekly] }))).toEqual(planDay(day({ date, rules: [plain] })));
  });
});

describe('planRange', () => {
  const weekdays = ([1, 2, 3, 4, 5] as const).map((wd) => rule('08:00', '12:00', 2, wd));
  const range = { timeZone: TZ, rules: weekdays, exceptions: [], sameDayShare: 0.2, phoneShare: 0 };

  it('covers both ends of the range and skips the weekend', () => {
    const units = planRange({ ...range, from: '2026-11-30', to: '2026-12-06', isHoliday: () => false });
    expect(units).toHaveLength(5 * 48);
    expect(units[0]!.startsAt).toBe(at('2026-11-30T08:00'));
    expect(units.at(-1)!.startsAt).toBe(at('2026-12-04T11:55'));
    const single = planRange({ ...range, from: '2026-12-04', to: '2026-12-04', isHoliday: () => false });
    expect(single).toHaveLength(48);
  });

  it('Christmas week in NRW: 24 December stays open, 25 December is closed', () => {
    const units = planRange({ ...range, from: '2026-12-21', to: '2026-12-27', isHoliday: (d) => isPublicHoliday(d, 'DE-NW') });
    expect(units).toHaveLength(4 * 48);
    expect(units.at(-1)!.startsAt).toBe(at('2026-12-24T11:55'));
  });

  it('holds back seats per day, not over the whole range', () => {
    const units = planRange({ ...range, from: '2026-11-30', to: '2026-12-01', isHoliday: () => false });
    expect(sum(units.slice(0, 48), 'heldBack')).toBe(19);
    expect(sum(units.slice(48), 'heldBack')).toBe(19);
  });

  it('an empty range (from after to) has no units', () => {
    expect(planRange({ ...range, from: '2026-12-02', to: '2026-12-01', isHoliday: () => false })).toEqual([]);
  });
});
