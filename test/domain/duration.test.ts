import { describe, it, expect } from 'vitest';
import { appointmentUnits } from '../../src/domain/duration.ts';

describe('appointmentUnits', () => {
  it('a 15-minute service for one person takes three 5-minute units', () => {
    expect(appointmentUnits([{ durationMinutes: 15, persons: 1 }])).toBe(3);
  });

  it('rounds a 7-minute service up to two units', () => {
    expect(appointmentUnits([{ durationMinutes: 7, persons: 1 }])).toBe(2);
  });

  it('multiplies each service by its persons: ID cards for a couple plus one Meldebescheinigung', () => {
    expect(
      appointmentUnits([
        { durationMinutes: 15, persons: 2 },
        { durationMinutes: 5, persons: 1 },
      ]),
    ).toBe(7);
  });

  it('each further person takes the further minutes: an ID card for three is 20 + 2 x 15 minutes, 10 units', () => {
    expect(appointmentUnits([{ durationMinutes: 20, furtherMinutes: 15, persons: 3 }])).toBe(10);
    expect(appointmentUnits([{ durationMinutes: 20, furtherMinutes: 15, persons: 1 }])).toBe(4);
    expect(appointmentUnits([{ durationMinutes: 20, furtherMinutes: null, persons: 3 }])).toBe(12);
  });

  it('adds the minutes of all services before rounding, so 7 + 8 minutes take 3 units, not 4', () => {
    expect(
      appointmentUnits([
        { durationMinutes: 7, persons: 1 },
        { durationMinutes: 8, persons: 1 },
      ]),
    ).toBe(3);
  });

  it('rounds the total of persons up: 12 minutes for 3 persons is 36 minutes, 8 units', () => {
    expect(appointmentUnits([{ durationMinutes: 12, persons: 3 }])).toBe(8);
  });

  it('does not add a unit when fractional minutes add up to an exact multiple', () => {
    expect(appointmentUnits([{ durationMinutes: 2.5, persons: 2 }])).toBe(1);
    expect(appointmentUnits([{ durationMinutes: 1.1, persons: 50 }])).toBe(11);
  });

  it('refuses an appointment without services', () => {
    expect(() => appointmentUnits([])).toThrow(RangeError);
  });

  it('refuses zero, negative or fractional persons', () => {
    for (const persons of [0, -1, 1.5, Number.NaN]) {
      expect(() => appointmentUnits([{ durationMinutes: 10, persons }])).toThrow(RangeError);
    }
  });

  it('refuses a service without a positive duration', () => {
    for (const durationMinutes of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => appointmentUnits([{ durationMinutes, persons: 1 }])).toThrow(RangeError);
    }
  });

  it('one bad item spoils the whole list', () => {
    expect(() =>
      appointmentUnits([
        { durationMinutes: 10, persons: 1 },
        { durationMinutes: 10, persons: 0 },
      ]),
    ).toThrow(RangeError);
  });
});
