import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isoInZone, localDate, localDayBounds, localDayStart, localPlainDate, offsetAt } from '../../src/domain/zoned-time.ts';

const temporalIso = (ms: number, zone: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' });

describe('isoInZone', () => {
  it('writes what Temporal writes, across the DST changes of 2026 and odd offsets', () => {
    const zones = ['Europe/Berlin', 'UTC', 'America/St_Johns', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    // Every 5 minutes around Berlin's spring and autumn changes, plus scattered instants with milliseconds.
    const instants: number[] = [];
    for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
      for (let t = change - 3 * 3_600_000; t <= change + 3 * 3_600_000; t += 5 * 60_000) instants.push(t, t - 1, t + 120);
    }
    for (let i = 0; i < 2_000; i++) instants.push(Date.UTC(2026, 0, 1) + Math.floor(i * 15_811_237.3));
    for (const zone of zones) for (const ms of instants) expect(isoInZone(ms, zone), `${zone} ${ms}`).toBe(temporalIso(ms, zone));
  });

  it('writes the minute-rounded offset Temporal writes for local mean time, whose offsets have seconds', () => {
    for (const ms of [Date.UTC(1890, 0, 1), Date.UTC(1890, 5, 1, 12, 34, 56, 789), Date.UTC(1850, 0, 1, 23, 59, 59)]) {
      for (const zone of ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York'])
        expect(isoInZone(ms, zone), `${zone} ${ms}`).toBe(temporalIso(ms, zone));
    }
    expect(isoInZone(Date.UTC(1890, 0, 1), 'Europe/Berlin')).toBe('1890-01-01T00:53:28+00:53');
  });

  it('formats the booking examples people see', () => {
    expect(isoInZone(Date.UTC(2026, 11, 3, 8, 40), 'Europe/Berlin')).toBe('2026-12-03T09:40:00+01:00');
    expect(isoInZone(new Date(Date.UTC(2026, 6, 3, 8, 40)), 'Europe/Berlin')).toBe('2026-07-03T10:40:00+02:00');
    expect(offsetAt('Europe/Berlin', Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(3_600_000);
    expect(offsetAt('Europe/Berlin', Date.UTC(2026, 2, 29, 1))).toBe(7_200_000);
  });
});

const temporalDate = (ms: number, zone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate();
const HOUR = 3_600_000;

describe('localDate and localPlainDate', () => {
  it('give the date Temporal gives, around midnight, the DST changes and odd offsets', () => {
    const zones = [
      'Europe/Berlin',
      'UTC',
      'America/St_Johns',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Pacific/Kiritimati',
      'America/Santiago',
    ];
    const instants: number[] = [];
    // Berlin's midnights either side of the changes, and the changes themselves, to the millisecond.
    for (const edge of [
      Date.UTC(2026, 2, 28, 23),
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 2, 29, 22),
      Date.UTC(2026, 9, 24, 22),
      Date.UTC(2026, 9, 25, 1),
      Date.UTC(2026, 9, 25, 23),
    ]) {
      for (const d of [-HOUR, -60_000, -1, 0, 1, 60_000, HOUR]) instants.push(edge + d);
    }
    for (let i = 0; i < 2_000; i++) instants.push(Date.UTC(2026, 0, 1) + Math.floor(i * 15_811_237.3));
    for (const zone of zones) {
      for (const ms of instants) {
        expect(localDate(ms, zone), `${zone} ${ms}`).toBe(temporalDate(ms, zone).toString());
        expect(localPlainDate(ms, zone).equals(temporalDate(ms, zone)), `${zone} ${ms}`).toBe(true);
      }
    }
  });

  it('give what Temporal gives off the 15-minute grid: local mean time, before 1970, years past 9999', () => {
    for (const ms of [
      Date.UTC(1890, 0, 1),
      Date.UTC(1893, 3, 1, 23, 30),
      Date.UTC(1850, 0, 1, 23, 59, 59),
      -1,
      Date.UTC(10_000, 0, 1, 12),
    ]) {
      for (const zone of ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York'])
        expect(localDate(ms, zone), `${zone} ${ms}`).toBe(temporalDate(ms, zone).toString());
    }
    // Berlin ran on local mean time (+00:53:28) until April 1893: 23:10 UTC was already the next day.
    expect(localDate(Date.UTC(1890, 0, 1, 23, 10), 'Europe/Berlin')).toBe('1890-01-02');
  });

  it('take the day of the office, not of UTC', () => {
    expect(localDate(Date.UTC(2026, 11, 31, 23, 30), 'Europe/Berlin')).toBe('2027-01-01');
    expect(localDate(Date.UTC(2026, 11, 31, 22, 59, 59, 999), 'Europe/Berlin')).toBe('2026-12-31');
    expect(localDate(Date.UTC(2026, 6, 31, 22), 'Europe/Berlin')).toBe('2026-08-01');
    expect(localDate(Date.UTC(2026, 6, 31, 21, 59), 'Europe/Berlin')).toBe('2026-07-31');
  });

  it('throw as Temporal does for instants it refuses and zones it does not know', () => {
    for (const bad of [Number.NaN, 1.5, Number.POSITIVE_INFINITY, 9e15]) {
      expect(() => localDate(bad, 'Europe/Berlin'), String(bad)).toThrow(RangeError);
      expect(() => temporalDate(bad, 'Europe/Berlin'), String(bad)).toThrow(RangeError);
    }
    expect(() => localDate(0, 'Europe/Nowhere')).toThrow(RangeError);
  });
});

describe('localDayStart and localDayBounds', () => {
  it('start an ordinary Berlin day at local midnight and make it 24 hours long', () => {
    expect(localDayStart('2026-12-03', 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 2, 23));
    expect(localDayBounds('2026-07-03', 'Europe/Berlin')).toEqual([Date.UTC(2026, 6, 2, 22), Date.UTC(2026, 6, 3, 22)]);
  });

  it('make the spring-forward day 23 hours and the fall-back day 25 hours long in Berlin', () => {
    const [springStart, springEnd] = localDayBounds('2026-03-29', 'Europe/Berlin');
    expect([springStart, springEnd]).toEqual([Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22)]);
    expect(springEnd - springStart).toBe(23 * HOUR);
    const [autumnStart, autumnEnd] = localDayBounds(Temporal.PlainDate.from('2026-10-25'), 'Europe/Berlin');
    expect([autumnStart, autumnEnd]).toEqual([Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23)]);
    expect(autumnEnd - autumnStart).toBe(25 * HOUR);
  });

  it('agree with the local date: the start belongs to the day, the instant before it to the day before', () => {
    for (
      let day = Temporal.PlainDate.from('2026-01-01');
      Temporal.PlainDate.compare(day, Temporal.PlainDate.from('2027-01-01')) < 0;
      day = day.add({ days: 1 })
    ) {
      const [start, end] = localDayBounds(day, 'Europe/Berlin');
      expect(start).toBe(localDayStart(day.toString(), 'Europe/Berlin'));
      expect(end).toBe(localDayStart(day.add({ days: 1 }), 'Europe/Berlin'));
      expect(localDate(start, 'Europe/Berlin')).toBe(day.toString());
      expect(localDate(start - 1, 'Europe/Berlin')).toBe(day.subtract({ days: 1 }).toString());
      expect(localDate(end - 1, 'Europe/Berlin')).toBe(day.toString());
    }
  });

  it('start a day that skips midnight at its first instant (Santiago, September 2026)', () => {
    // Chile moves from 24:00 to 01:00: the 6th of September has no midnight.
    expect(localDayStart('2026-09-06', 'America/Santiago')).toBe(
      Temporal.ZonedDateTime.from('2026-09-06T01:00-03:00[America/Santiago]').epochMilliseconds,
    );
    expect(localDayBounds('2026-09-06', 'America/Santiago')[1] - localDayStart('2026-09-06', 'America/Santiago')).toBe(23 * HOUR);
  });

  it('refuse a date that does not exist, as Temporal does', () => {
    expect(() => localDayStart('2026-02-30', 'Europe/Berlin')).toThrow(RangeError);
  });
});
