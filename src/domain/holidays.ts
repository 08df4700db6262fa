// Public holidays of a German Land (or any date-holidays region), as closed days for the capacity plan.
// Only `type === 'public'` counts: Heiligabend and Silvester are 'bank' half days and offices decide
// those themselves through staffing exceptions.
import Holidays from 'date-holidays';
import type { IsoDate } from './capacity-types.ts';

type Language = 'de' | 'en';

const instances = new Map<string, Holidays>();
// region|year|language -> date -> name; slot search asks for the same few years over and over.
const yearTables = new Map<string, Map<IsoDate, string>>();

function holidaysFor(region: string): Holidays {
  const cached = instances.get(region);
  if (cached) return cached;
  const [country, state, subRegion, ...rest] = region.split('-');
  // date-holidays answers an unknown region with "no holidays"; that would silently open offices
  // on Christmas, so a typo in the configuration must fail loudly instead.
  const probe = new Holidays();
  if (!country || rest.length > 0 || !(country in (probe.getCountries() ?? {}))) {
    throw new RangeError(`unknown holiday region '${region}'`);
  }
  if (state !== undefined && !(state in (probe.getStates(country) ?? {}))) {
    throw new RangeError(`unknown holiday region '${region}'`);
  }
  if (subRegion !== undefined && state !== undefined && !(subRegion in (probe.getRegions(country, state) ?? {}))) {
    throw new RangeError(`unknown holiday region '${region}'`);
  }
  const instance =
    state === undefined
      ? new Holidays(country)
      : subRegion === undefined
        ? new Holidays(country, state)
        : new Holidays(country, state, subRegion);
  instances.set(region, instance);
  return instance;
}

function yearTable(region: string, year: number, language: Language): Map<IsoDate, string> {
  const key = `${region}|${year}|${language}`;
  const cached = yearTables.get(key);
  if (cached) return cached;
  const table = new Map<IsoDate, string>();
  for (const holiday of holidaysFor(region).getHolidays(year, language)) {
    if (holiday.type !== 'public') continue;
    // `date` is the local calendar date ('2026-06-04 00:00:00'), independent of the process time zone.
    const date = holiday.date.slice(0, 10);
    // Two public holidays on one date (e.g. Ostersonntag and a state day) keep the first name.
    if (!table.has(date)) table.set(date, holiday.name);
  }
  yearTables.set(key, table);
  return table;
}

function yearOf(date: IsoDate): number {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(date);
  if (!match) throw new RangeError(`not an ISO date: '${date}'`);
  return Number(match[1]);
}

export function isPublicHoliday(date: IsoDate, region: string): boolean {
  return yearTable(region, yearOf(date), 'de').has(date);
}

export function publicHolidayName(date: IsoDate, region: string, language: Language): string | null {
  return yearTable(region, yearOf(date), language).get(date) ?? null;
}
