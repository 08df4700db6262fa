import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { readInstant, readIsoDate, readLocalInstant, readWallTime } from '../../src/domain/calendar-text.ts';
import { contactProblems, isEmailAddress, isPhoneNumber } from '../../src/domain/contact.ts';

// The one reading of dates and times from outside (#15). Pattern-shaped text that names no real
// day or time is null, never a RangeError; real ones read exactly as Temporal reads them.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('calendar text', () => {
  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '0000-00-00',
    '9999-99-99',
    '1999-12-31',
    '2100-01-01',
    '2026-1-1',
    ' 2026-11-26',
    '+002026-11-26',
  ])('%s is no date', (text) => {
    expect(readIsoDate(text)).toBeNull();
  });

  it('a date of four digits, month and day is read iff it exists in 2000–2099 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        const exists = (() => {
          try {
            return Temporal.PlainDate.from({ year: y, month: m, day: d }, { overflow: 'reject' }).toString() === text;
          } catch {
            return false;
          }
        })();
        expect(readIsoDate(text)?.toString() ?? null).toBe(exists && y >= 2000 && y <= 2099 ? text : null);
      }),
      { seed: 15, numRuns: 2000 },
    );
  });

  it.each([
    '2026-02-30T09:00:00+01:00',
    '2026-11-26T25:00:00+01:00',
    '2026-11-26T24:00:00Z',
    '2026-11-26T10:61:00+01:00',
    '2026-11-26T09:00:60+01:00',
    '2026-11-26T09:00:00+25:00',
    '2026-11-26T09:00:00',
    '0000-00-00T00:00:00Z',
    '9999-99-99T99:99:99Z',
    '9999-12-31T23:59:59Z',
  ])('%s is no instant', (text) => {
    expect(readInstant(text)).toBeNull();
  });

  it('instants with offset read as Temporal reads them', () => {
    expect(readInstant('2026-11-26T09:00:00+01:00')).toBe(Date.parse('2026-11-26T08:00:00Z'));
    expect(readInstant('2026-11-26T09:00+01:00')).toBe(Date.parse('2026-11-26T08:00:00Z'));
    expect(readInstant('2026-11-26T08:00:00.5Z')).toBe(Date.parse('2026-11-26T08:00:00.500Z'));
    // A second reading of a refused text is refused again (the memo keeps the verdict, not a number).
    expect(readInstant('2026-02-30T09:00:00+01:00')).toBeNull();
  });

  it('wall times: 00:00–23:59, and 24:00 only as the end of a range', () => {
    expect(['25:00', '10:61', '24:01', '9:00', '99:99', '24:00'].map((t) => readWallTime(t))).toEqual([null, null, null, null, null, null]);
    expect(readWallTime('24:00', { endOfDay: true })).toBe(1440);
    expect(readWallTime('07:30')).toBe(450);
  });

  it('a local time skipped when clocks go forward is refused, not moved', () => {
    expect(readLocalInstant('2026-03-29T02:30', 'Europe/Berlin')).toBeNull();
    expect(readLocalInstant('2026-03-29T03:30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(readLocalInstant('2026-02-30T09:00', 'Europe/Berlin')).toBeNull();
  });
});

describe('contact', () => {
  it.each([
    'anna@example.org, victim@example.net',
    'anna@example.org;victim@example.net',
    'anna@example.org\r\nBcc: victim@example.net',
    'anna@example.org\nvictim@example.net',
    'Anna <anna@example.org>',
    '"a,b"@example.org',
    ' anna@example.org',
    `${'a'.repeat(250)}@example.org`,
  ])('%j is not one address', (text) => {
    expect(isEmailAddress(text)).toBe(false);
  });

  it('ordinary addresses and numbers pass', () => {
    expect(isEmailAddress('erika.mustermann+termin@stadt-musterstadt.de')).toBe(true);
    expect(isPhoneNumber('+49 (201) 123-45/6')).toBe(true);
    expect(isPhoneNumber('0201\n123456')).toBe(false);
    expect(contactProblems({ email: 'a@b.de, c@d.de', phone: 'call me' }).map((p) => p.path)).toEqual(['email', 'phone']);
  });
});
