import type { StatisticsReport } from '../../app/statistics/read-statistics.ts';
import type { UiLanguage } from '../language.ts';
import { toCsv } from './csv.ts';
import { demandByPeriod } from '../../app/statistics/statistics-demand.ts';

const HEAD = {
  de: [
    'Zeitraum',
    'Buchungen eingegangen',
    'Bedient',
    'Nicht erschienen',
    'Quote nicht erschienen',
    'Abgesagt Bürger',
    'Abgesagt Amt',
    'Spontan bedient',
    'Spontan abgewiesen',
    'Wartezeit Median (Min.)',
    'Wartezeit 90 % (Min.)',
    'Bearbeitung Median (Min.)',
    'Auslastung',
    'Schalterstunden',
    'Suchen ohne Treffer',
    'Warteliste',
    'Termine an den Tagen',
    'Termine abgesagt',
    'Ankünfte vor Ort',
    'Ankünfte spontan',
    'Aufgerufen binnen 15 Min.',
    'Aufgerufen binnen 30 Min.',
  ],
  en: [
    'Period',
    'Bookings made',
    'Served',
    'No-shows',
    'No-show rate',
    'Cancelled by citizen',
    'Cancelled by office',
    'Walk-ins served',
    'Walk-ins turned away',
    'Wait median (min)',
    'Wait 90 % (min)',
    'Processing median (min)',
    'Utilisation',
    'Counter hours',
    'Searches without result',
    'Waiting list',
    'Appointments on these days',
    'Appointments cancelled',
    'Arrivals on site',
    'Walk-in arrivals',
    'Called within 15 min',
    'Called within 30 min',
  ],
};

/**
 * One row per day or week, as German Excel opens it (decimal comma in German). „Buchungen
 * eingegangen“ counts by the day the booking was made; every other appointment column by the day of
 * the appointment (#17 item 5).
 */
export function statisticsCsv(report: StatisticsReport, lang: UiLanguage): string {
  const num = (v: number | null) =>
    v === null ? '' : lang === 'de' ? String(Math.round(v * 1000) / 1000).replace('.', ',') : String(Math.round(v * 1000) / 1000);
  // Demand (#8): searches that found nothing in the period; the waiting list at its end.
  const demand = demandByPeriod(report.demand, report.period);
  const periods = [...new Set([...report.periods.map((p) => p.period), ...demand.keys()])].sort();
  const figures = new Map(report.periods.map((p) => [p.period, p]));
  return toCsv([
    HEAD[lang],
    ...periods.map((period) => {
      const p = figures.get(period);
      const d = demand.get(period);
      const counts = p
        ? [
            p.booked,
            p.served,
            p.noShow,
            num(p.noShowRate),
            p.cancelledByCitizen,
            p.cancelledByOffice,
            p.walkinsServed,
            p.walkinsTurnedAway,
            p.waitMedianMinutes,
            p.waitP90Minutes,
            p.processingMedianMinutes,
            num(p.utilisation),
            num(p.staffedHours),
          ]
        : Array.from({ length: 13 }, () => '');
      // Appended, so the columns before them keep their places for existing spreadsheets.
      return [
        period,
        ...counts,
        d?.misses ?? 0,
        d?.waiting ?? '',
        p?.appointmentsDue ?? '',
        p?.appointmentsCancelled ?? '',
        p?.arrivals ?? '',
        p?.walkinArrivals ?? '',
        p ? num(p.serviceLevel15) : '',
        p ? num(p.serviceLevel30) : '',
      ];
    }),
  ]);
}

export function statisticsFilename(report: StatisticsReport): string {
  return `statistik-${report.officeId}-${report.serviceId === '*' ? 'alle' : report.serviceId}-${report.from}-${report.to}.csv`;
}
