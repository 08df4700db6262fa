import { describe, expect, it } from 'vitest';
import { deviates, openingOn, type OpeningException, type OpeningLine } from '../../src/domain/opening-hours.ts';

// The office page's opening hours (#24 item 4): the weekly lines, then the exceptions as the
// capacity plan applies them; open is any staffed counter, closed is a holiday or closing day.

const lines: OpeningLine[] = [
  { weekday: 4, start: '08:00', end: '12:30', open: true },
  { weekday: 4, start: '14:00', end: '18:00', open: true },
  // A walk-in-only afternoon is open too; a line without any counter is not.
  { weekday: 5, start: '13:00', end: '15:00', open: true },
  { weekday: 5, start: '15:00', end: '16:00', open: false },
  {
    weekday: 6,
    start: '09:00',
    end: '12:00',
    open: true,
    repeat: { everyWeeks: 2, startingFrom: '2027-01-09', validFrom: null, validTo: null },
  },
];
const plan = (exceptions: OpeningException[] = [], extra: { holiday?: string; closedDay?: boolean } = {}) => ({
  lines,
  exceptions,
  holiday: extra.holiday ?? null,
  closedDay: extra.closedDay ?? false,
});
const x = (e: Partial<OpeningException>): OpeningException => ({
  date: '2027-01-14',
  endDate: null,
  start: null,
  end: null,
  open: false,
  reason: 'r',
  ...e,
});

describe('openingOn', () => {
  it('merges the lines of a day and leaves out lines without counters', () => {
    expect(openingOn('2027-01-14', plan()).ranges).toEqual([
      { from: '08:00', to: '12:30' },
      { from: '14:00', to: '18:00' },
    ]);
    expect(openingOn('2027-01-15', plan()).ranges).toEqual([{ from: '13:00', to: '15:00' }]);
  });

  it('a Saturday every second week, counted from its start', () => {
    expect(openingOn('2027-01-09', plan()).ranges).toEqual([{ from: '09:00', to: '12:00' }]);
    expect(openingOn('2027-01-16', plan()).ranges).toEqual([]);
    expect(openingOn('2027-01-23', plan()).ranges).toEqual([{ from: '09:00', to: '12:00' }]);
  });

  it('a whole-day closure, a closed afternoon and extra hours, each with its reason', () => {
    const closed = openingOn('2027-01-14', plan([x({ reason: 'Betriebsausflug' })]));
    expect(closed).toMatchObject({ ranges: [], reasons: ['Betriebsausflug'] });
    expect(deviates(closed)).toBe(true);
    const noon = openingOn('2027-01-14', plan([x({ start: '12:00', end: '18:00', reason: 'Silvester' })]));
    expect(noon).toMatchObject({ ranges: [{ from: '08:00', to: '12:00' }], reasons: ['Silvester'] });
    const extra = openingOn(
      '2027-01-16',
      plan([x({ date: '2027-01-16', start: '10:00', end: '13:00', open: true, reason: 'Ausweistag' })]),
    );
    expect(extra.ranges).toEqual([{ from: '10:00', to: '13:00' }]);
  });

  it('fewer counters on the same hours are no deviation a citizen needs to read', () => {
    const day = openingOn('2027-01-14', plan([x({ open: true, reason: 'Fortbildung' })]));
    expect(day.reasons).toEqual([]);
    expect(deviates(day)).toBe(false);
  });

  it('a public holiday or closing day closes all day', () => {
    expect(openingOn('2027-01-14', plan([], { holiday: 'Neujahr' }))).toMatchObject({ ranges: [], holiday: 'Neujahr', reasons: [] });
    expect(openingOn('2027-01-14', plan([], { closedDay: true })).ranges).toEqual([]);
  });
});
