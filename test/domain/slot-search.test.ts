import { describe, it, expect } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { findSlotStarts, findSlotStartsInDays, unitsCovering } from '../../src/domain/slot-search.ts';
import { seatRule, type SeatRule } from '../../src/domain/release.ts';
import { planDay } from '../../src/domain/capacity-plan.ts';
import { UNIT_MS, type ReleasePolicy, type UnitLoad } from '../../src/domain/capacity-types.ts';

const TZ = 'Europe/Berlin';
const at = (local: string): number => Temporal.ZonedDateTime.from(`${local}[${TZ}]`).epochMilliseconds;
const wall = (ms: number): string =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TZ).toPlainDateTime().toString({ smallestUnit: 'minute' });

/** `count` consecutive units from a local start, all with the same capacity and load. */
const block = (local: string, count: number, capacity = 1, load = 0): UnitLoad[] =>
  Array.from({ length: count }, (_, k) => ({ startsAt: at(local) + k * UNIT_MS, capacity, heldBack: 0, phoneReserved: 0, load }));

/** Everything released, every seat usable: isolates the search from the release rules. */
const open: SeatRule = {
  channel: 'online',
  earliestStart: Number.NEGATIVE_INFINITY,
  latestStartExclusive: Number.POSITIVE_INFINITY,
  limitParameters: {
    heldBackReleasedFrom: Number.NEGATIVE_INFINITY,
    heldBackReleasedUntil: Number.POSITIVE_INFINITY,
    phoneSeatsUsable: true,
  },
  limit: (u) => u.capacity,
};
const search = (units: readonly UnitLoad[], durationUnits: number, rule: SeatRule = open, limit = 100) =>
  findSlotStarts({ units, durationUnits, rule, limit }).map(wall);

describe('findSlotStarts', () => {
  it('a one-unit appointment may start in every free unit', () => {
    expect(search(block('2026-12-02T08:00', 3), 1)).toEqual(['2026-12-02T08:00', '2026-12-02T08:05', '2026-12-02T08:10']);
  });

  it('a three-unit appointment needs three consecutive free units', () => {
    expect(search(block('2026-12-02T08:00', 5), 3)).toEqual(['2026-12-02T08:00', '2026-12-02T08:05', '2026-12-02T08:10']);
  });

  it('an appointment does not span the lunch break', () => {
    const units = [...block('2026-12-02T11:45', 3), ...block('2026-12-02T14:00', 3)];
    expect(search(units, 3)).toEqual(['2026-12-02T11:45', '2026-12-02T14:00']);
    expect(search(units, 4)).toEqual([]);
  });

  it('an appointment does not span from one day into the next', () => {
    const units = [...block('2026-12-02T11:50', 2), ...block('2026-12-03T08:00', 1)];
    expect(search(units, 3)).toEqual([]);
  });

  it('a unit at capacity blocks every start whose appointment would cover it', () => {
    const units = [...block('2026-12-02T08:00', 2, 2, 1), ...block('2026-12-02T08:10', 1, 2, 2), ...block('2026-12-02T08:15', 3, 2, 1)];
    expect(search(units, 2)).toEqual(['2026-12-02T08:00', '2026-12-02T08:15', '2026-12-02T08:20']);
  });

  it('a unit over capacity (after a staff reduction) is as full as one at capacity', () => {
    expect(search(block('2026-12-02T08:00', 2, 1, 3), 1)).toEqual([]);
  });

  it('returns at most `limit` starts, the earliest ones', () => {
    const units = block('2026-12-02T08:00', 48);
    expect(search(units, 1, open, 2)).toEqual(['2026-12-02T08:00', '2026-12-02T08:05']);
    expect(search(units, 1, open, 0)).toEqual([]);
  });

  it('past slots and slots inside the lead time are not offered, though their units may be covered', () => {
    const rule: SeatRule = { ...open, earliestStart: at('2026-12-02T08:10') };
    expect(search(block('2026-12-02T08:00', 5), 2, rule)).toEqual(['2026-12-02T08:10', '2026-12-02T08:15']);
  });

  it('slots on days not yet released are not offered, but a released start may run late into its day', () => {
    const rule: SeatRule = { ...open, latestStartExclusive: at('2026-12-03T00:00') };
    const units = [...block('2026-12-02T23:45', 3), ...block('2026-12-03T08:00', 3)];
    expect(search(units, 3, rule)).toEqual(['2026-12-02T23:45']);
  });

  it('seats held for the phone or the same morning count as taken online', () => {
    const units: UnitLoad[] = [{ startsAt: at('2026-12-03T10:00'), capacity: 3, heldBack: 1, phoneReserved: 1, load: 1 }];
    const policy: ReleasePolicy = {
      releaseWeekday: 1,
      releaseTime: '07:00',
      horizonDays: 14,
      sameDayShare: 0.2,
      sameDayReleaseTime: '07:00',
      phoneShare: 0.1,
      minLeadMinutes: 60,
    };
    const now = at('2026-12-02T09:00');
    const online = seatRule({ policy, timeZone: TZ, now, channel: 'online' });
    const phone = seatRule({ policy, timeZone: TZ, now, channel: 'phone' });
    expect(search(units, 1, online)).toEqual([]);
    expect(search(units, 1, phone)).toEqual(['2026-12-03T10:00']);
  });

  it('asks limit() once per unit, whatever the duration', () => {
    let calls = 0;
    const counting: SeatRule = { ...open, limit: (u) => (calls++, u.capacity) };
    findSlotStarts({ units: block('2026-12-02T08:00', 1000, 1), durationUnits: 6, rule: counting, limit: 10_000 });
    expect(calls).toBe(1000);
  });

  it('refuses unsorted or duplicate units and durations below one unit', () => {
    const [a, b] = block('2026-12-02T08:00', 2);
    expect(() => search([b!, a!], 1)).toThrow(RangeError);
    expect(() => search([a!, a!], 1)).toThrow(RangeError);
    expect(() => search([a!], 0)).toThrow(RangeError);
  });
});

describe('findSlotStartsInDays', () => {
  // Two days with gaps, a run across midnight and units at capacity here and there.
  const units: UnitLoad[] = [
    ...block('2026-12-02T08:00', 30, 2),
    ...block('2026-12-02T23:40', 8, 2),
    ...block('2026-12-03T09:00', 40, 2),
  ].map((u, i) => ({ ...u, load: i % 7 === 3 ? 2 : i % 2 }));
  const days = (cuts: number[]) => [0, ...cuts].map((cut, i) => units.slice(cut, [...cuts, units.length][i]));

  it('finds what findSlotStarts finds in the same units as one array, wherever they are cut', () => {
    const rule: SeatRule = { ...open, earliestStart: at('2026-12-02T08:20'), latestStartExclusive: at('2026-12-03T11:00') };
    for (const cuts of [[], [34], [30, 38], [1, 2, 3, 50, 77]]) {
      for (const durationUnits of [1, 2, 4]) {
        for (const limit of [1, 5, 1000]) {
          const expected = findSlotStarts({ units, durationUnits, rule, limit });
          expect(findSlotStartsInDays({ days: days(cuts), durationUnits, rule, limit }), `${cuts} ${durationUnits} ${limit}`).toEqual(
            expected,
          );
        }
      }
    }
    expect(findSlotStarts({ units, durationUnits: 2, rule, limit: 1000 }).map(wall)).toContain('2026-12-02T23:55');
  });

  it('refuses days out of order', () => {
    expect(() => findSlotStartsInDays({ days: days([30]).reverse(), durationUnits: 1, rule: open, limit: 1000 })).toThrow(RangeError);
  });
});

describe('findSlotStarts on a planned Monday around the 07:00 release', () => {
  const policy: ReleasePolicy = {
    releaseWeekday: 1,
    releaseTime: '07:00',
    horizonDays: 14,
    sameDayShare: 0,
    sameDayReleaseTime: '07:00',
    phoneShare: 0,
    minLeadMinutes: 60,
  };
  const units: UnitLoad[] = planDay({
    date: '2026-12-07',
    timeZone: TZ,
    rules: [{ weekday: 1, start: '08:00', end: '12:00', appointmentCounters: 2 }],
    exceptions: [],
    isHoliday: false,
    sameDayShare: 0,
    phoneShare: 0,
  }).map((u) => ({ ...u, load: 0 }));
  const first = (local: string) =>
    findSlotStarts({ units, durationUnits: 3, rule: seatRule({ policy, timeZone: TZ, now: at(local), channel: 'online' }), limit: 1 }).map(
      wall,
    );

  it('at Monday 06:59 Monday 7 December offers nothing yet', () => {
    expect(first('2026-11-30T06:59')).toEqual([]);
  });

  it('at Monday 07:00 its first slot is bookable', () => {
    expect(first('2026-11-30T07:00')).toEqual(['2026-12-07T08:00']);
  });
});

describe('unitsCovering', () => {
  it('lists the unit starts a three-unit appointment occupies', () => {
    const start = at('2026-12-02T08:00');
    expect(unitsCovering(start, 3)).toEqual([start, start + UNIT_MS, start + 2 * UNIT_MS]);
  });

  it('runs on through the fall-back hour in real time', () => {
    const start = at('2026-10-25T02:55+02:00');
    expect(unitsCovering(start, 2).map(wall)).toEqual(['2026-10-25T02:55', '2026-10-25T02:00']);
  });

  it('refuses a start off the unit grid and empty appointments', () => {
    expect(() => unitsCovering(at('2026-12-02T08:02'), 1)).toThrow(RangeError);
    expect(() => unitsCovering(at('2026-12-02T08:00'), 0)).toThrow(RangeError);
  });
});
