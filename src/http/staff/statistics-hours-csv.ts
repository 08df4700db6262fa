import type { StatisticsReport } from '../../app/statistics/read-statistics.ts';
import type { UiLanguage } from '../language.ts';
import { toCsv } from './csv.ts';

// Arrivals and served by weekday and hour (#17 item 2) as a second CSV: one row per weekday and
// hour, the shape a staffing plan is drawn up in. Totals and the average per open day.

const HEAD = {
  de: [
    'Wochentag',
    'Stunde',
    'Öffnungstage',
    'Ankünfte vor Ort',
    'Ankünfte spontan',
    'Bedient (Termine)',
    'Bedient (spontan)',
    'Ankünfte je Tag',
    'Bedient je Tag',
  ],
  en: [
    'Weekday',
    'Hour',
    'Open days',
    'Arrivals on site',
    'Walk-in arrivals',
    'Served (appointments)',
    'Served (walk-ins)',
    'Arrivals per day',
    'Served per day',
  ],
};
const WEEKDAYS = {
  de: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

export function statisticsHoursCsv(report: StatisticsReport, lang: UiLanguage): string {
  const num = (v: number) => (lang === 'de' ? String(v).replace('.', ',') : String(v));
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return toCsv([
    HEAD[lang],
    ...report.byWeekdayHour.map((c) => [
      WEEKDAYS[lang][c.weekday - 1] ?? c.weekday,
      `${hh(c.hour)}–${hh(c.hour + 1)}`,
      c.days,
      c.arrivals,
      c.walkinArrivals,
      c.served,
      c.walkinsServed,
      num(c.arrivalsPerDay),
      num(c.servedPerDay),
    ]),
  ]);
}

export function statisticsHoursFilename(report: StatisticsReport): string {
  return `statistik-stunden-${report.officeId}-${report.serviceId === '*' ? 'alle' : report.serviceId}-${report.from}-${report.to}.csv`;
}
