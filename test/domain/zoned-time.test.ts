import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isoInZone, offsetAt } from '../../src/domain/zoned-time.ts';

const temporalIso = (ms: number, zone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' });

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
      for (const zone of ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York']) expect(isoInZone(ms, zone), `${zone} ${ms}`).toBe(temporalIso(ms, zone));
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
