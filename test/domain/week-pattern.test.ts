import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Weekday } from '../../src/domain/capacity-types.ts';
import {
  epochDay,
  firstCommonDate,
  isoOfEpochDay,
  patternCovers,
  weekdayOfEpochDay,
  type WeekPattern,
} from '../../src/domain/week-pattern.ts';

const weekly = (weekdays: Weekday[], more: Partial<WeekPattern> = {}): WeekPattern => ({
  weekdays,
  everyWeeks: 1,
  startingFrom: null,
  validFrom: null,
  validTo: null,
  ...more,
});

describe('week patterns of opening hours', () => {
  it('every second Saturday counts 14-day steps from its first day, across the turn of the year', () => {
    const saturdays = weekly([6], { everyWeeks: 2, startingFrom: '2026-12-19' });
    const covered = ['2026-12-19', '2026-12-26', '2027-01-02', '2027-01-09', '2027-01-16'].filter((d) => patternCovers(saturdays, d));
    expect(covered).toEqual(['2026-12-19', '2027-01-02', '2027-01-16']);
    expect(patternCovers(saturdays, '2026-12-05')).toBe(false);
  });

  it('a start date in mid-week begins the count with the week that starts on it', () => {
    const mondayAndFriday = weekly([1, 5], { everyWeeks: 2, startingFrom: '2027-01-06' }); // a Wednesday
    expect(
      ['2027-01-08', '2027-01-11', '2027-01-15', '2027-01-18', '2027-01-22', '2027-01-25'].filter((d) => patternCovers(mondayAndFriday, d)),
    ).toEqual(['2027-01-08', '2027-01-11', '2027-01-22', '2027-01-25']);
  });

  it('validFrom and validTo bound the pattern, both inclusive', () => {
    const summer = weekly([4], { validFrom: '2027-07-01', validTo: '2027-08-26' });
    expect(patternCovers(summer, '2027-06-24')).toBe(false);
    expect(patternCovers(summer, '2027-07-01')).toBe(true);
    expect(patternCovers(summer, '2027-08-26')).toBe(true);
    expect(patternCovers(summer, '2027-09-02')).toBe(false);
  });

  it('alternating Saturdays never meet; one of them and a weekly Saturday do', () => {
    const a = weekly([6], { everyWeeks: 2, startingFrom: '2027-01-09' });
    const b = weekly([6], { everyWeeks: 2, startingFrom: '2027-01-16' });
    expect(firstCommonDate(a, b)).toBeNull();
    expect(firstCommonDate(a, weekly([6]))).toBe('2027-01-09');
    expect(firstCommonDate(weekly([6], { validTo: '2027-01-08' }), a)).toBeNull();
  });

  it('the first common date is the first date both cover (property, against walking the calendar)', () => {
    const start = epochDay('2026-12-28');
    const date = fc.integer({ min: 0, max: 120 }).map((d) => isoOfEpochDay(start + d));
    const pattern = fc
      .record({
        weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }).map((w) => w as Weekday[]),
        everyWeeks: fc.integer({ min: 1, max: 5 }),
        startingFrom: fc.option(date),
        validFrom: fc.option(date),
        validTo: fc.option(date),
      })
      .map((p) => (p.startingFrom === null ? { ...p, everyWeeks: 1 } : p));
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        let expected: string | null = null;
        // Every bound lies within days 0–120 and two patterns repeat together within lcm(7·5, 7·4) = 140 days.
        for (let d = start - 150; d < start + 270 && expected === null; d += 1) {
          if (patternCovers(a, isoOfEpochDay(d)) && patternCovers(b, isoOfEpochDay(d))) expected = isoOfEpochDay(d);
        }
        const found = firstCommonDate(a, b);
        if (expected === null) expect(found).toBeNull();
        else if (a.validFrom ?? a.startingFrom ?? b.validFrom ?? b.startingFrom) expect(found).toBe(expected);
        // Open towards the past: any common date proves the meeting.
        else expect(found !== null && patternCovers(a, found) && patternCovers(b, found)).toBe(true);
      }),
      { seed: 21, numRuns: 400 },
    );
  });

  it('knows the weekday of an epoch day', () => {
    expect(weekdayOfEpochDay(epochDay('1970-01-01'))).toBe(4);
    expect(weekdayOfEpochDay(epochDay('1969-12-29'))).toBe(1);
    expect(weekdayOfEpochDay(epochDay('2027-02-08'))).toBe(1);
  });
});
