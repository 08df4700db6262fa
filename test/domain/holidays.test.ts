import { describe, it, expect } from 'vitest';
import { isPublicHoliday, publicHolidayName } from '../../src/domain/holidays.ts';

describe('isPublicHoliday', () => {
  it('Fronleichnam 2026-06-04 closes offices in NRW but not in Berlin', () => {
    expect(isPublicHoliday('2026-06-04', 'DE-NW')).toBe(true);
    expect(isPublicHoliday('2026-06-04', 'DE-BE')).toBe(false);
  });

  it('the Wednesday before Fronleichnam is an ordinary working day', () => {
    expect(isPublicHoliday('2026-06-03', 'DE-NW')).toBe(false);
  });

  it('Heiligabend and Silvester are only bank half-days, not public holidays', () => {
    expect(isPublicHoliday('2026-12-24', 'DE-NW')).toBe(false);
    expect(isPublicHoliday('2026-12-31', 'DE-NW')).toBe(false);
  });

  it('both Christmas days and Neujahr are public holidays everywhere in Germany', () => {
    for (const region of ['DE-NW', 'DE-BE', 'DE']) {
      expect(isPublicHoliday('2026-12-25', region)).toBe(true);
      expect(isPublicHoliday('2026-12-26', region)).toBe(true);
      expect(isPublicHoliday('2027-01-01', region)).toBe(true);
    }
  });

  it('Allerheiligen is public in NRW, Frauentag only in Berlin', () => {
    expect(isPublicHoliday('2026-11-01', 'DE-NW')).toBe(true);
    expect(isPublicHoliday('2026-11-01', 'DE-BE')).toBe(false);
    expect(isPublicHoliday('2026-03-08', 'DE-BE')).toBe(true);
    expect(isPublicHoliday('2026-03-08', 'DE-NW')).toBe(false);
  });

  it('movable feasts follow Easter of their own year (Fronleichnam 2027 is 27 May)', () => {
    expect(isPublicHoliday('2026-06-04', 'DE-NW')).toBe(true);
    expect(isPublicHoliday('2027-06-04', 'DE-NW')).toBe(false);
    expect(isPublicHoliday('2027-05-27', 'DE-NW')).toBe(true);
  });

  it('observances such as Rosenmontag do not close the office', () => {
    expect(isPublicHoliday('2026-02-16', 'DE-NW')).toBe(false);
  });

  it('a mistyped region fails loudly instead of reporting no holidays', () => {
    expect(() => isPublicHoliday('2026-12-25', 'DE-XX')).toThrow(RangeError);
    expect(() => isPublicHoliday('2026-12-25', 'XX')).toThrow(RangeError);
    expect(() => isPublicHoliday('2026-12-25', '')).toThrow(RangeError);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => isPublicHoliday('25.12.2026', 'DE-NW')).toThrow(RangeError);
  });
});

describe('publicHolidayName', () => {
  it('names the holiday in German and in English', () => {
    expect(publicHolidayName('2026-06-04', 'DE-NW', 'de')).toBe('Fronleichnam');
    expect(publicHolidayName('2026-06-04', 'DE-NW', 'en')).toBe('Corpus Christi');
    expect(publicHolidayName('2026-12-25', 'DE-NW', 'de')).toBe('1. Weihnachtstag');
  });

  it('gives null for working days and for days that are not public holidays', () => {
    expect(publicHolidayName('2026-06-04', 'DE-BE', 'de')).toBeNull();
    expect(publicHolidayName('2026-12-24', 'DE-NW', 'de')).toBeNull();
    expect(publicHolidayName('2026-06-03', 'DE-NW', 'en')).toBeNull();
  });
});
