import type { KreisOverview } from '../../app/statistics/statistics-kreis.ts';
import type { UiLanguage } from '../language.ts';
import { toCsv } from './csv.ts';

// The Kreis overview (#20) as German Excel opens it: one row per town and the Kreis in the last row,
// only counts, shares and minutes — no names, no references.

const HEAD = {
  de: ['Stadt', 'Standorte', 'Buchungen eingegangen', 'Bedient', 'Nicht erschienen', 'Quote nicht erschienen', 'Wartezeit Median (Min.)'],
  en: ['Town', 'Offices', 'Bookings made', 'Served', 'No-shows', 'No-show rate', 'Wait median (min)'],
};
const TOTAL = { de: 'Kreis gesamt', en: 'Whole Kreis' };

export function kreisStatisticsCsv(overview: KreisOverview, lang: UiLanguage): string {
  const share = (v: number | null) => {
    if (v === null) return '';
    const text = String(Math.round(v * 1000) / 1000);
    return lang === 'de' ? text.replace('.', ',') : text;
  };
  const row = (name: string, t: KreisOverview['total']) => [
    name,
    t.offices,
    t.booked,
    t.served,
    t.noShow,
    share(t.noShowRate),
    t.waitMedianMinutes,
  ];
  return toCsv([HEAD[lang], ...overview.towns.map((t) => row(t.name, t)), row(TOTAL[lang], overview.total)]);
}

export function kreisStatisticsFilename(overview: KreisOverview): string {
  return `statistik-kreis-${overview.from}-${overview.to}.csv`;
}
