import { describe, expect, it } from 'vitest';
import { closureWindowFromChoice } from '../../src/domain/closure-window.ts';

const tz = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);

describe('closure form quick choices', () => {
  const now = at('2026-11-25T08:12:00+01:00');

  it('"jetzt bis 18:00" runs from now to 18:00 local time, and is refused after 18:00', () => {
    expect(closureWindowFromChoice({ kind: 'now-until-18' }, { now, timeZone: tz })).toEqual({
      from: now,
      to: at('2026-11-25T18:00:00+01:00'),
    });
    expect(closureWindowFromChoice({ kind: 'now-until-18' }, { now: at('2026-11-25T18:30:00+01:00'), timeZone: tz })).toEqual({
      field: 'to',
      reason: 'past',
    });
  });

  it('"heute" ends at local midnight; a whole day and several days are whole local days (DST day has 23 h)', () => {
    expect(closureWindowFromChoice({ kind: 'rest-of-today' }, { now, timeZone: tz })).toEqual({
      from: now,
      to: at('2026-11-26T00:00:00+01:00'),
    });
    expect(closureWindowFromChoice({ kind: 'day', date: '2026-11-27' }, { now, timeZone: tz })).toEqual({
      from: at('2026-11-27T00:00:00+01:00'),
      to: at('2026-11-28T00:00:00+01:00'),
    });
    expect(closureWindowFromChoice({ kind: 'days', date: '2026-11-30', untilDate: '2026-12-02' }, { now, timeZone: tz })).toEqual({
      from: at('2026-11-30T00:00:00+01:00'),
      to: at('2026-12-03T00:00:00+01:00'),
    });
    const dst = closureWindowFromChoice({ kind: 'day', date: '2027-03-28' }, { now, timeZone: tz }) as { from: number; to: number };
    expect(dst.to - dst.from).toBe(23 * 3_600_000);
  });

  it('free times are local; a time in the DST gap, a wrong order, the past and more than 31 days are refused', () => {
    expect(closureWindowFromChoice({ kind: 'free', from: '2026-11-26T08:00', to: '2026-11-26T10:30' }, { now, timeZone: tz })).toEqual({
      from: at('2026-11-26T08:00:00+01:00'),
      to: at('2026-11-26T10:30:00+01:00'),
    });
    expect(closureWindowFromChoice({ kind: 'free', from: '2027-03-28T02:30', to: '2027-03-28T04:00' }, { now, timeZone: tz })).toEqual({
      field: 'from',
      reason: 'invalid',
    });
    expect(closureWindowFromChoice({ kind: 'free', from: '2026-11-26T10:00', to: '2026-11-26T09:00' }, { now, timeZone: tz })).toEqual({
      field: 'to',
      reason: 'order',
    });
    expect(closureWindowFromChoice({ kind: 'day', date: '2026-11-24' }, { now, timeZone: tz })).toEqual({ field: 'date', reason: 'past' });
    expect(closureWindowFromChoice({ kind: 'days', date: '2026-12-01', untilDate: '2027-01-15' }, { now, timeZone: tz })).toEqual({
      field: 'untilDate',
      reason: 'too_long',
    });
    expect(closureWindowFromChoice({ kind: 'day', date: '' }, { now, timeZone: tz })).toEqual({ field: 'date', reason: 'missing' });
    expect(closureWindowFromChoice({ kind: 'day', date: '2026-02-30' }, { now, timeZone: tz })).toEqual({
      field: 'date',
      reason: 'invalid',
    });
  });
});
