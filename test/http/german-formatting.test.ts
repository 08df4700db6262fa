import { describe, expect, it } from 'vitest';
import { closureNoticeText } from '../../src/http/pages/closure-notice.tsx';
import { formatShortDate, formatWaitMinutes } from '../../src/http/pages/format.ts';
import { officeMessages } from '../../src/http/office/messages.ts';
import { counterMessages } from '../../src/http/staff/messages/counter.ts';
import { formatDay, formatDayShort, formatWhen } from '../../src/http/staff/dates.ts';
import { changeLines } from '../../src/http/staff/audit-log-text.ts';
import type { AuditLine } from '../../src/app/staff/read-audit-log.ts';
import { statisticsMessages } from '../../src/http/staff/messages/statistics.ts';
import { BarChart } from '../../src/http/staff/charts.tsx';

// #22 item 4: „etwa 0 Min.“, „1 Personen warten“ (the display's script) and „heute bis 00:00 Uhr“.

const at = (iso: string) => Date.parse(iso);
/** Thursday 10 December 2026, 10:00 in Berlin. */
const NOW = at('2026-12-10T10:00:00+01:00');
const notice = (from: string, to: string) => ({
  officeId: 'test',
  officeName: 'Testamt',
  timeZone: 'Europe/Berlin',
  from: at(from),
  to: at(to),
  reason: 'Stromausfall',
});

describe('closure notices', () => {
  const text = (from: string, to: string, lang: 'de' | 'en' = 'de') => closureNoticeText(notice(from, to), lang, NOW);

  it('a closure to the end of today is the whole day or the rest of it, never „bis 00:00 Uhr“', () => {
    expect(text('2026-12-10T00:00:00+01:00', '2026-12-11T00:00:00+01:00')).toBe(
      'Testamt: heute ganztägig geschlossen. Grund: Stromausfall.',
    );
    expect(text('2026-12-10T09:30:00+01:00', '2026-12-11T00:00:00+01:00')).toBe(
      'Testamt: heute bis Betriebsschluss geschlossen. Grund: Stromausfall.',
    );
    expect(text('2026-12-10T14:00:00+01:00', '2026-12-11T00:00:00+01:00')).toBe(
      'Testamt: heute ab 14:00 Uhr geschlossen. Grund: Stromausfall.',
    );
    expect(text('2026-12-10T00:00:00+01:00', '2026-12-11T00:00:00+01:00', 'en')).toBe(
      'Testamt: closed all day today. Reason: Stromausfall.',
    );
  });

  it('whole days later on are named as days', () => {
    expect(text('2026-12-09T00:00:00+01:00', '2026-12-12T00:00:00+01:00')).toBe(
      'Testamt: geschlossen bis einschließlich Fr., 11.12.2026. Grund: Stromausfall.',
    );
    expect(text('2026-12-14T00:00:00+01:00', '2026-12-15T00:00:00+01:00')).toBe(
      'Testamt: am Mo., 14.12.2026 ganztägig geschlossen. Grund: Stromausfall.',
    );
    expect(text('2026-12-14T00:00:00+01:00', '2026-12-16T00:00:00+01:00')).toBe(
      'Testamt: geschlossen von Mo., 14.12.2026 bis einschließlich Di., 15.12.2026. Grund: Stromausfall.',
    );
  });

  it('times within a day stay times', () => {
    expect(text('2026-12-10T08:00:00+01:00', '2026-12-10T18:00:00+01:00')).toBe(
      'Testamt: heute bis 18:00 Uhr geschlossen. Grund: Stromausfall.',
    );
    expect(text('2026-12-10T12:00:00+01:00', '2026-12-10T14:00:00+01:00')).toBe(
      'Testamt: heute von 12:00 Uhr bis 14:00 Uhr geschlossen. Grund: Stromausfall.',
    );
  });
});

describe('waiting times and counts', () => {
  it('never „etwa 0“, and one minute is singular', () => {
    expect([0, 1, 7].map((m) => formatWaitMinutes(m, 'de'))).toEqual(['weniger als 1 Minute', 'etwa 1 Minute', 'etwa 7 Minuten']);
    expect([0, 1, 7].map((m) => formatWaitMinutes(m, 'en'))).toEqual(['less than a minute', 'about 1 minute', 'about 7 minutes']);
    const t = officeMessages('de');
    expect(t.display.walkinWait(0)).toBe('Wartezeit ohne Termin: weniger als 1 Minute');
    expect(t.kiosk.waitAbout(1)).toBe('Geschätzte Wartezeit: etwa 1 Minute. Bitte achten Sie auf den Bildschirm.');
    expect(counterMessages('de').counter.waiting(3, 0)).toBe('3 wartend · Wartezeit ohne Termin: weniger als 1 Minute');
  });

  it('persons in singular and plural', () => {
    const t = officeMessages('de');
    expect([t.display.waiting(0), t.display.waiting(1), t.display.waiting(2)]).toEqual([
      'Niemand wartet',
      '1 Person wartet',
      '2 Personen warten',
    ]);
  });

  it('dates in one style', () => {
    expect(formatShortDate('2026-12-10', 'de')).toBe('Do., 10.12.2026');
    expect(formatShortDate('2026-12-10', 'en')).toBe('Thu, 10 Dec 2026');
  });
});

describe('dates on the staff pages', () => {
  it('„Do., 10.12.2026“ and „Do., 10.12.2026, 09:00“ in office time; weeks stay as they are', () => {
    expect(formatDay('2026-12-10', 'de')).toBe('Do., 10.12.2026');
    expect(formatDay('2026-W50', 'de')).toBe('2026-W50');
    // Shaped like a date, but none (a notice text in the audit log, found by the fuzz test): as it is, not a 500.
    expect(formatDay('2026-13-01', 'de')).toBe('2026-13-01');
    expect(formatDay('2026-02-30', 'en')).toBe('2026-02-30');
    // The audit log renders what people typed: a notice shaped like a time that is none stays text.
    const line = { details: { payload: { holderName: '2026-11-26T25:00:00+01:00', orderNumber: '2026-13-01' } } } as unknown as AuditLine;
    const w = { lang: 'de' as const, officeName: () => null, serviceName: () => null, timeZone: 'Europe/Berlin' };
    expect(changeLines(line, w).join(' ')).toMatch(/2026-11-26T25:00:00\+01:00.*2026-13-01/);
    expect(formatDay('2026-12-10', 'en')).toBe(formatShortDate('2026-12-10', 'en'));
    expect(formatWhen('2026-12-10T09:00:00+01:00', 'de')).toBe('Do., 10.12.2026, 09:00');
    expect(formatWhen('2026-07-02T23:30:00+02:00', 'de')).toBe('Do., 02.07.2026, 23:30');
    expect(formatDayShort('2026-12-10')).toBe('10.12.');
  });

  it('decimals with a comma in German', () => {
    expect(statisticsMessages.de.minutes(7.5)).toBe('7,5 Min.');
    // A chart of waits up to 5 minutes has its middle line at 2,5, not 2.5.
    const chart = String(
      BarChart({
        id: 'c',
        title: 'Wartezeit',
        desc: 'Median',
        categories: ['8', '9'],
        series: [{ name: 'Median', values: [5, 2], tone: 'a' }],
        unit: 'Minuten',
        number: statisticsMessages.de.number,
      }),
    );
    expect(chart).toContain('>2,5<');
    expect(chart).not.toContain('2.5<');
    expect(statisticsMessages.de.minutes(12)).toBe('12 Min.');
    expect(statisticsMessages.en.minutes(7.5)).toBe('7.5 min');
    expect(statisticsMessages.de.percent(0.125)).toBe('12,5\u00a0%');
  });
});
