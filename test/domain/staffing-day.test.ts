import { describe, expect, it } from 'vitest';
import { mostCounters, staffingOn, type StaffingLine } from '../../src/domain/staffing-day.ts';

// The month view's reading of a date (#19) must agree with how the capacity plan lays it out:
// lines add up, a whole-day exception sets the counters of the planned hours, one with times wins.

const lines: StaffingLine[] = [
  { weekday: 1, from: '08:00', to: '12:00', appointment: 3, walkin: 1 },
  { weekday: 1, from: '10:00', to: '12:00', appointment: 3, walkin: 0 },
  {
    weekday: 6,
    from: '09:00',
    to: '12:00',
    appointment: 2,
    walkin: 0,
    repeat: { everyWeeks: 2, startingFrom: '2027-01-09', validFrom: null, validTo: null },
  },
];

describe('staffingOn', () => {
  it('adds up lines of the same weekday into stretches of equal staffing', () => {
    expect(staffingOn('2027-01-11', { lines, changes: [] }).ranges).toEqual([
      { from: '08:00', to: '10:00', appointment: 3, walkin: 1 },
      { from: '10:00', to: '12:00', appointment: 6, walkin: 1 },
    ]);
  });

  it('a whole-day exception „3 statt 6 Schalter“ keeps the hours and the walk-in counters; the regular plan stays beside it', () => {
    const day = staffingOn('2027-01-11', {
      lines,
      changes: [{ date: '2027-01-11', until: null, from: null, to: null, appointment: 3, walkin: null, reason: 'Fortbildung' }],
    });
    expect(day.ranges).toEqual([{ from: '08:00', to: '12:00', appointment: 3, walkin: 1 }]);
    expect(mostCounters(day.regular)).toBe(6);
    expect(day.changes.map((c) => c.reason)).toEqual(['Fortbildung']);
  });

  it('an exception with times wins over a whole-day one and may open extra hours; a range of days covers each', () => {
    const changes = [
      { date: '2027-01-11', until: '2027-01-12', from: null, to: null, appointment: 0, walkin: 0, reason: 'Umzug' },
      { date: '2027-01-12', until: null, from: '14:00', to: '16:00', appointment: 1, walkin: null, reason: 'Notdienst' },
    ];
    expect(staffingOn('2027-01-11', { lines, changes }).ranges).toEqual([]);
    expect(staffingOn('2027-01-12', { lines, changes }).ranges).toEqual([{ from: '14:00', to: '16:00', appointment: 1, walkin: 0 }]);
  });

  it('every second Saturday counts from its start date', () => {
    expect(mostCounters(staffingOn('2027-01-09', { lines, changes: [] }).ranges)).toBe(2);
    expect(staffingOn('2027-01-16', { lines, changes: [] }).ranges).toEqual([]);
    expect(mostCounters(staffingOn('2027-01-23', { lines, changes: [] }).ranges)).toBe(2);
  });
});
