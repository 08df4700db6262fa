import { describe, expect, it } from 'vitest';
import { closedDayIn, easterSunday, isClosedDay, isOfficeClosedOn, readClosedDay, readClosedDays } from '../../src/domain/closed-days.ts';
import { publicHolidayName } from '../../src/domain/holidays.ts';

describe('closing days of a town', () => {
  it.each([
    [2000, '2000-04-23'],
    [2024, '2024-03-31'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('agrees with date-holidays on Easter Monday and Good Friday across the calendar range', () => {
    for (let year = 2000; year <= 2099; year += 7) {
      expect(publicHolidayName(closedDayIn({ kind: 'easter', offset: 1 }, year)!, 'DE-NW', 'de')).toBe('Ostermontag');
      expect(publicHolidayName(closedDayIn({ kind: 'easter', offset: -2 }, year)!, 'DE-NW', 'de')).toBe('Karfreitag');
    }
  });

  it('Rosenmontag 2027 is 8 February and Weiberfastnacht the Thursday before', () => {
    expect(closedDayIn(readClosedDay('rosenmontag')!, 2027)).toBe('2027-02-08');
    expect(closedDayIn(readClosedDay('weiberfastnacht')!, 2027)).toBe('2027-02-04');
    expect(closedDayIn(readClosedDay('ostern-48')!, 2026)).toBe('2026-02-16');
  });

  it('reads dates, yearly days, Easter offsets and names, and nothing else', () => {
    expect(readClosedDay('2027-05-07')).toEqual({ kind: 'date', date: '2027-05-07' });
    expect(readClosedDay('12-24')).toEqual({ kind: 'yearly', month: 12, day: 24 });
    expect(readClosedDay('02-29')).toEqual({ kind: 'yearly', month: 2, day: 29 });
    expect(readClosedDay('ostern+50')).toEqual({ kind: 'easter', offset: 50 });
    expect(readClosedDay('silvester')).toEqual({ kind: 'yearly', month: 12, day: 31 });
    for (const text of ['2027-02-30', '13-01', '12-32', 'ostern', 'ostern-100', 'Rosenmontag', 'karneval', '', '2027-2-8']) {
      expect(readClosedDay(text), text).toBeNull();
    }
  });

  it('29 February closes only in leap years; a fixed date only in its year', () => {
    expect(closedDayIn({ kind: 'yearly', month: 2, day: 29 }, 2027)).toBeNull();
    expect(closedDayIn({ kind: 'yearly', month: 2, day: 29 }, 2028)).toBe('2028-02-29');
    const rules = [readClosedDay('2027-05-07')!, readClosedDay('heiligabend')!];
    expect(isClosedDay('2027-05-07', rules)).toBe(true);
    expect(isClosedDay('2028-05-07', rules)).toBe(false);
    expect(isClosedDay('2031-12-24', rules)).toBe(true);
  });
});

describe('an office is shut on', () => {
  const erlenbruch = { holidayRegion: 'DE-NW', closedDays: readClosedDays(['rosenmontag', 'heiligabend', '2027-05-07']) };

  it('the public holidays of its region and its own closing days, and on no other day', () => {
    expect(isOfficeClosedOn('2027-02-08', erlenbruch)).toBe(true); // Rosenmontag
    expect(isOfficeClosedOn('2027-05-06', erlenbruch)).toBe(true); // Christi Himmelfahrt
    expect(isOfficeClosedOn('2027-05-07', erlenbruch)).toBe(true); // Brückentag
    expect(isOfficeClosedOn('2027-12-24', erlenbruch)).toBe(true);
    expect(isOfficeClosedOn('2027-02-09', erlenbruch)).toBe(false);
    expect(isOfficeClosedOn('2027-02-08', { holidayRegion: 'DE-NW', closedDays: [] })).toBe(false);
  });
});
