// The rules of a town file that span keys: ids that must exist or be unique, times that must run
// forwards, counters an office must have, lines of opening hours that must not meet. They run on
// every part that passed the schema, so one `setup check` lists everything at once.
import type { Weekday } from '../../domain/capacity-types.ts';
import { UNIT_MINUTES } from '../../domain/capacity-types.ts';
import { readWallTime } from '../../domain/calendar-text.ts';
import { isClosedDay, readClosedDay } from '../../domain/closed-days.ts';
import { publicHolidayName } from '../../domain/holidays.ts';
import { epochDay, firstCommonDate, weekdayOfEpochDay, type WeekPattern } from '../../domain/week-pattern.ts';
import { closest, KREIS_TEXTS, type Bilingual } from './town-file-messages.ts';
import { RESERVED_TOWN_IDS } from './reserved-town-ids.ts';
import {
  isHolidayRegion,
  WEEKDAY_KEYS,
  type Municipality,
  type TownCounter,
  type TownException,
  type TownHours,
  type TownOffice,
  type TownService,
} from './town-file-schema.ts';

export type Segment = string | number;
export type RawProblem = Bilingual & { path: Segment[] };

/**
 * The parts of a file that passed the schema, each alone (undefined where one did not), so that a
 * mistake in one line of hours does not hide the cross-checks of the others. Ids are as written.
 */
export type TownParts = {
  /** As written, also when the municipality has other mistakes. */
  municipalityId: string | undefined;
  municipality: Municipality | undefined;
  /** The Kreis keys of the municipality, each parsed alone: a mistake elsewhere in it hides none of their checks. */
  kreis: { siteUrl: string | undefined; hostNames: string[] | undefined; neighbours: string[] | undefined };
  services: (TownService | undefined)[];
  /** Every service id written, also of services with other mistakes: no false "unknown service". */
  serviceIds: (string | undefined)[];
  officeIds: (string | undefined)[];
  offices: OfficeParts[];
};

export type OfficeParts = {
  services: string[] | undefined;
  counters: (TownCounter | undefined)[];
  hours: (TownHours | undefined)[];
  exceptions: (TownException | undefined)[];
  rules: TownOffice['rules'] | undefined;
  holidayRegion: string | undefined;
  closedDays: string[] | undefined;
};

const DAY_DE = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
const DAY_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** The longest exception: a longer change of plan is a line of hours with validFrom/validTo. */
const MAX_EXCEPTION_DAYS = 366;

export function crossCheck(parts: TownParts): RawProblem[] {
  const problems: RawProblem[] = [];
  const add = (path: Segment[], de: string, en: string) => problems.push({ path, de, en });
  const knownServices = parts.serviceIds.filter((s): s is string => s !== undefined);

  duplicates(parts.serviceIds, (j, first, id) =>
    add(['services', j, 'id'], `„${id}“ gibt es schon (services[${first}])`, `"${id}" exists already (services[${first}])`),
  );
  duplicates(parts.officeIds, (j, first, id) =>
    add(['offices', j, 'id'], `„${id}“ gibt es schon (offices[${first}])`, `"${id}" exists already (offices[${first}])`),
  );

  parts.services.forEach((service, i) => {
    const { de, en } = service?.documents ?? { de: [], en: [] };
    if (en.length > 0 && en.length !== de.length) {
      add(
        ['services', i, 'documents', 'en'],
        `${en.length} Einträge, documents.de hat ${de.length}: jede Unterlage braucht beide Sprachen`,
        `${en.length} entries, documents.de has ${de.length}: every document needs both languages`,
      );
    }
  });

  parts.offices.forEach((office, i) => checkOffice(office, ['offices', i], parts, knownServices, add));

  if (parts.municipalityId !== undefined && RESERVED_TOWN_IDS.has(parts.municipalityId)) {
    const text = KREIS_TEXTS.reservedId(parts.municipalityId);
    add(['municipality', 'id'], text.de, text.en);
  }

  const { neighbours = [], hostNames = [], siteUrl } = parts.kreis;
  neighbours.forEach((id, k) => {
    if (id === parts.municipalityId)
      add(['municipality', 'neighbours', k], KREIS_TEXTS.ownNeighbour(id).de, KREIS_TEXTS.ownNeighbour(id).en);
  });
  duplicates(neighbours, (k, first, id) => {
    const text = KREIS_TEXTS.neighbourTwice(id, first);
    add(['municipality', 'neighbours', k], text.de, text.en);
  });
  const site = siteUrl ? hostOf(siteUrl) : undefined;
  hostNames.forEach((host, k) => {
    const earlier = hostNames.indexOf(host);
    const where = host === site ? 'siteUrl' : earlier < k ? `hostNames[${earlier}]` : null;
    if (where === null) return;
    const text = KREIS_TEXTS.hostTaken(host, `municipality.${where}`);
    add(['municipality', 'hostNames', k], text.de, text.en);
  });
  return problems;
}

/** The host of a site URL, as the request's Host header names it (lower case, no port). */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The rules of a Kreis file across its towns: ids of towns, offices and services unique in the whole
 * file (they are unique per installation: they are in URLs), and a host selecting one town only.
 * Each town's own rules are crossCheck's, on its entry.
 */
export function kreisCheck(towns: readonly TownParts[]): RawProblem[] {
  const problems: RawProblem[] = [];
  const at = (i: number) => `municipalities[${i}]`;
  const townIds = new Map<string, number>();
  const offices = new Map<string, string>();
  const services = new Map<string, string>();
  const hosts = new Map<string, string>();
  const claim = (seen: Map<string, string>, id: string | undefined, where: string, report: (first: string) => void) => {
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, where);
    else report(first);
  };
  towns.forEach((town, i) => {
    const id = town.municipalityId;
    if (id !== undefined) {
      const first = townIds.get(id);
      if (first === undefined) townIds.set(id, i);
      else problems.push({ path: ['municipalities', i, 'municipality', 'id'], ...KREIS_TEXTS.idTaken('town', id, at(first)) });
    }
    town.officeIds.forEach((officeId, j) =>
      claim(offices, officeId, `${at(i)}.offices[${j}]`, (first) => {
        // Twice in one town is crossCheck's to say.
        if (!first.startsWith(`${at(i)}.`))
          problems.push({ path: ['municipalities', i, 'offices', j, 'id'], ...KREIS_TEXTS.idTaken('office', officeId!, first) });
      }),
    );
    town.serviceIds.forEach((serviceId, j) =>
      claim(services, serviceId, `${at(i)}.services[${j}]`, (first) => {
        if (!first.startsWith(`${at(i)}.`))
          problems.push({ path: ['municipalities', i, 'services', j, 'id'], ...KREIS_TEXTS.idTaken('service', serviceId!, first) });
      }),
    );
    const { siteUrl, hostNames = [] } = town.kreis;
    const site = siteUrl ? hostOf(siteUrl) : undefined;
    claim(hosts, site, `${at(i)}.municipality.siteUrl`, (first) =>
      problems.push({ path: ['municipalities', i, 'municipality', 'siteUrl'], ...KREIS_TEXTS.hostTaken(site!, first) }),
    );
    hostNames.forEach((host, k) => {
      if (host === site || hostNames.indexOf(host) < k) return; // the town's own repetition: crossCheck's
      claim(hosts, host, `${at(i)}.municipality.hostNames[${k}]`, (first) =>
        problems.push({ path: ['municipalities', i, 'municipality', 'hostNames', k], ...KREIS_TEXTS.hostTaken(host, first) }),
      );
    });
  });
  return problems;
}

type Add = (path: Segment[], de: string, en: string) => void;

function checkOffice(office: OfficeParts, at: Segment[], parts: TownParts, knownServices: string[], add: Add): void {
  const known = new Set(knownServices);
  const unknownService = (path: Segment[], id: string) => {
    const meant = closest(id, knownServices);
    add(
      path,
      `„${id}“ ist keine Dienstleistung dieser Datei${meant ? `; gemeint ist wohl „${meant}“` : ''}`,
      `"${id}" is not a service of this file${meant ? `; perhaps "${meant}"` : ''}`,
    );
  };
  (office.services ?? []).forEach((id, k) => known.has(id) || unknownService([...at, 'services', k], id));
  duplicates(office.services ?? [], (k, first, id) =>
    add([...at, 'services', k], `„${id}“ steht schon in services[${first}]`, `"${id}" is listed already in services[${first}]`),
  );
  const offered = new Set(office.services ?? knownServices);

  duplicates(
    office.counters.map((c) => c?.number),
    (k, first, n) =>
      add(
        [...at, 'counters', k, 'number'],
        `Schalter ${n} gibt es in diesem Standort schon (counters[${first}])`,
        `counter ${n} exists already in this office (counters[${first}])`,
      ),
  );
  office.counters.forEach((counter, k) =>
    counter?.services?.forEach((id, s) => {
      if (!known.has(id)) unknownService([...at, 'counters', k, 'services', s], id);
      else if (!offered.has(id))
        add(
          [...at, 'counters', k, 'services', s],
          `„${id}“ bietet dieser Standort nicht an (fehlt in services)`,
          `this office does not offer "${id}" (missing from services)`,
        );
    }),
  );
  // Without counters the schema has said so; counting what they cannot do would only repeat it.
  const counters = office.counters.length;
  if (counters > 0 && office.counters.every((c) => c?.services !== undefined)) {
    const served = new Set(office.counters.flatMap((c) => c?.services ?? []));
    [...offered].forEach((id) => {
      if (served.has(id)) return;
      const k = office.services?.indexOf(id) ?? -1;
      add(
        k >= 0 ? [...at, 'services', k] : [...at, 'counters'],
        `„${id}“ bedient keiner der Schalter (counters[].services)`,
        `no counter serves "${id}" (counters[].services)`,
      );
    });
  }

  const tooManyCounters = (path: Segment[], appointment: number, walkin: number) =>
    counters > 0 &&
    appointment + walkin > counters &&
    add(
      path,
      `${appointment} Schalter für Termine und ${walkin} für Spontankunden, der Standort hat aber nur ${counters} (counters)`,
      `${appointment} counters for appointments and ${walkin} for walk-ins, but the office has only ${counters} (counters)`,
    );

  office.hours.forEach((row, h) => {
    if (!row) return;
    const here = [...at, 'hours', h];
    checkRange(row.from, row.to, here, add);
    duplicates(row.days, (d, first, day) =>
      add([...here, 'days', d], `${day} steht schon in days[${first}]`, `${day} is listed already in days[${first}]`),
    );
    if (row.everyWeeks > 1 && !row.startingFrom) {
      add(
        [...here, 'startingFrom'],
        `Pflichtangabe bei everyWeeks: ${row.everyWeeks}: das Datum, ab dem gezählt wird`,
        `required with everyWeeks: ${row.everyWeeks}: the date counting starts from`,
      );
    }
    if (row.startingFrom) {
      const weekday = weekdayOfEpochDay(epochDay(row.startingFrom));
      if (!row.days.includes(WEEKDAY_KEYS[weekday - 1]!)) {
        add(
          [...here, 'startingFrom'],
          `${row.startingFrom} ist ein ${DAY_DE[weekday - 1]}, die Zeile gilt aber für ${row.days.join(', ')}`,
          `${row.startingFrom} is a ${DAY_EN[weekday - 1]}, but the line is for ${row.days.join(', ')}`,
        );
      }
    }
    if (row.validFrom && row.validTo && row.validTo < row.validFrom) {
      add(
        [...here, 'validTo'],
        `${row.validTo} liegt vor validFrom ${row.validFrom}`,
        `${row.validTo} is before validFrom ${row.validFrom}`,
      );
    }
    tooManyCounters([...here, 'appointmentCounters'], row.appointmentCounters, row.walkinCounters);
    office.hours.slice(0, h).forEach((earlier, e) => {
      if (!earlier || !(row.from < earlier.to && earlier.from < row.to)) return;
      const common = firstCommonDate(pattern(earlier), pattern(row));
      if (common === null) return;
      const day = weekdayOfEpochDay(epochDay(common));
      const when = earlier.validFrom || earlier.startingFrom || row.validFrom || row.startingFrom ? `, z. B. am ${common}` : '';
      const whenEn = when ? `, e.g. on ${common}` : '';
      add(
        here,
        `überschneidet sich mit hours[${e}] (${DAY_DE[day - 1]} ${earlier.from}–${earlier.to}${when}); eine Uhrzeit darf an einem Tag nur in einer Zeile stehen`,
        `overlaps hours[${e}] (${DAY_EN[day - 1]} ${earlier.from}–${earlier.to}${whenEn}); a time of day may stand in one line only`,
      );
    });
  });

  const region = office.holidayRegion ?? parts.municipality?.holidayRegion;
  const closed = (office.closedDays ?? parts.municipality?.closedDays ?? []).map(readClosedDay).filter((r) => r !== null);
  office.exceptions.forEach((x, k) => {
    if (!x) return;
    const here = [...at, 'exceptions', k];
    checkException(x, here, add);
    tooManyCounters([...here, 'appointmentCounters'], x.appointmentCounters, x.walkinCounters ?? 0);
    office.exceptions.slice(0, k).forEach((earlier, e) => {
      const isWholeDay = (ex: TownException) => ex.from === undefined && ex.to === undefined;
      // A whole day and a time of that day may meet (3 counters all day, none after 12:00): the time wins.
      if (!earlier || isWholeDay(x) !== isWholeDay(earlier) || !datesMeet(x, earlier)) return;
      if (!isWholeDay(x) && !(x.from! < earlier.to! && earlier.from! < x.to!)) return;
      add(
        here,
        `gilt zur selben Zeit wie exceptions[${e}] (${earlier.date}${earlier.from ? ` ${earlier.from}–${earlier.to}` : ''})`,
        `applies at the same time as exceptions[${e}] (${earlier.date}${earlier.from ? ` ${earlier.from}–${earlier.to}` : ''})`,
      );
    });
    if (x.until !== undefined) return;
    const holiday = region && isHolidayRegion(region) ? publicHolidayName(x.date, region, 'de') : null;
    if (holiday)
      add(
        [...here, 'date'],
        `${x.date} ist ein Feiertag (${holiday}): die Ausnahme wirkt nicht`,
        `${x.date} is a public holiday (${publicHolidayName(x.date, region!, 'en')}): the exception has no effect`,
      );
    else if (isClosedDay(x.date, closed))
      add(
        [...here, 'date'],
        `${x.date} ist ein Schließtag (closedDays): die Ausnahme wirkt nicht`,
        `${x.date} is a closing day (closedDays): the exception has no effect`,
      );
  });

  if (!office.rules) return;
  const { sameDayShare, phoneShare } = office.rules;
  if (sameDayShare + phoneShare > 1 + 1e-9) {
    add(
      [...at, 'rules', 'phoneShare'],
      `sameDayShare und phoneShare zusammen über 1 (${sameDayShare} + ${phoneShare})`,
      `sameDayShare and phoneShare together exceed 1 (${sameDayShare} + ${phoneShare})`,
    );
  }
}

function checkRange(from: string, to: string, at: Segment[], add: Add): void {
  for (const [key, time] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const minutes = readWallTime(time, { endOfDay: true });
    if (minutes !== null && minutes % UNIT_MINUTES !== 0) {
      add(
        [...at, key],
        `„${time}“ liegt nicht im ${UNIT_MINUTES}-Minuten-Raster der Termine (z. B. ${roundDown(minutes)})`,
        `"${time}" is not on the ${UNIT_MINUTES}-minute grid of appointments (e.g. ${roundDown(minutes)})`,
      );
    }
  }
  if (to <= from) add([...at, 'to'], `„${to}“ liegt nicht nach dem Beginn „${from}“`, `"${to}" is not after the start "${from}"`);
}

function checkException(x: TownException, at: Segment[], add: Add): void {
  if (x.from !== undefined && x.to === undefined)
    add(
      [...at, 'to'],
      'Pflichtangabe, wenn from angegeben ist (ohne from und to gilt die Ausnahme den ganzen Tag)',
      'required when from is given (without from and to the exception covers the whole day)',
    );
  if (x.to !== undefined && x.from === undefined)
    add(
      [...at, 'from'],
      'Pflichtangabe, wenn to angegeben ist (ohne from und to gilt die Ausnahme den ganzen Tag)',
      'required when to is given (without from and to the exception covers the whole day)',
    );
  if (x.from !== undefined && x.to !== undefined) checkRange(x.from, x.to, at, add);
  if (x.until === undefined) return;
  const days = epochDay(x.until) - epochDay(x.date);
  if (days < 0) add([...at, 'until'], `${x.until} liegt vor date ${x.date}`, `${x.until} is before date ${x.date}`);
  if (days >= MAX_EXCEPTION_DAYS) {
    add(
      [...at, 'until'],
      `eine Ausnahme gilt höchstens ${MAX_EXCEPTION_DAYS} Tage; für länger Öffnungszeiten mit validFrom/validTo schreiben`,
      `an exception lasts at most ${MAX_EXCEPTION_DAYS} days; for longer, write hours with validFrom/validTo`,
    );
  }
}

function datesMeet(a: TownException, b: TownException): boolean {
  return a.date <= (b.until ?? b.date) && b.date <= (a.until ?? a.date);
}

function pattern(row: TownHours): WeekPattern {
  return {
    weekdays: row.days.map((d) => (WEEKDAY_KEYS.indexOf(d) + 1) as Weekday),
    everyWeeks: row.everyWeeks,
    startingFrom: row.startingFrom ?? null,
    validFrom: row.validFrom ?? null,
    validTo: row.validTo ?? null,
  };
}

/** Calls `report(index, firstIndex, value)` for every value seen before (undefined never counts). */
function duplicates<T>(values: readonly (T | undefined)[], report: (index: number, first: number, value: T) => void): void {
  const seen = new Map<T, number>();
  values.forEach((value, index) => {
    if (value === undefined) return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else report(index, first, value);
  });
}

const roundDown = (minutes: number) => {
  const m = minutes - (minutes % UNIT_MINUTES);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
