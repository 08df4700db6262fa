// What `setup check` says about a town file, in German (first: the people who keep the file) and
// English. Values the writer typed are quoted the way each language quotes: „25:00“ and "25:00".
import type { z } from 'zod';
import { NAMED_CLOSED_DAYS } from '../../domain/closed-days.ts';
import { WEEKDAY_KEYS } from './town-file-schema.ts';

export type Bilingual = { de: string; en: string };

/** A value as the writer typed it, quoted for each language. */
export function quote(value: unknown): Bilingual {
  if (typeof value === 'string') return { de: `„${value}“`, en: `"${value}"` };
  const shown = typeof value === 'object' && value !== null ? JSON.stringify(value).slice(0, 40) : String(value);
  return { de: shown, en: shown };
}

const both = (value: unknown, make: (q: string, lang: 'de' | 'en') => string): Bilingual => {
  const q = quote(value);
  return { de: make(q.de, 'de'), en: make(q.en, 'en') };
};

// Abbreviations a German writer reaches for first.
const GERMAN_DAYS: Record<string, string> = {
  mo: 'mon',
  di: 'tue',
  mi: 'wed',
  do: 'thu',
  fr: 'fri',
  sa: 'sat',
  so: 'sun',
  montag: 'mon',
  dienstag: 'tue',
  mittwoch: 'wed',
  donnerstag: 'thu',
  freitag: 'fri',
  samstag: 'sat',
  sonnabend: 'sat',
  sonntag: 'sun',
};

/** The texts of the `error: '…'` names in town-file-schema.ts. */
const NAMED: Record<string, (input: unknown) => Bilingual> = {
  id: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} geht als Kennung nicht: nur Kleinbuchstaben a–z, Ziffern und Bindestriche, z. B. rathaus-mitte`
        : `${q} cannot be an id: lower-case letters a–z, digits and hyphens only, e.g. rathaus-mitte`,
    ),
  time: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist keine Uhrzeit (HH:MM, z. B. 08:00; als Ende auch 24:00)`
        : `${q} is not a time of day (HH:MM, e.g. 08:00; an end may be 24:00)`,
    ),
  clock: (v) =>
    both(v, (q, l) => (l === 'de' ? `${q} ist keine Uhrzeit (HH:MM, z. B. 07:00)` : `${q} is not a time of day (HH:MM, e.g. 07:00)`)),
  date: (v) =>
    both(v, (q, l) =>
      l === 'de' ? `${q} ist kein Datum (JJJJ-MM-TT, z. B. 2027-01-09)` : `${q} is not a date (YYYY-MM-DD, e.g. 2027-01-09)`,
    ),
  share: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist kein Anteil: eine Zahl von 0 bis unter 1, z. B. 0.2 für 20 %`
        : `${q} is not a share: a number from 0 to below 1, e.g. 0.2 for 20 %`,
    ),
  url: (v) => both(v, (q, l) => (l === 'de' ? `${q} ist keine Internetadresse (https://…)` : `${q} is not a web address (https://…)`)),
  email: (v) => both(v, (q, l) => (l === 'de' ? `${q} ist keine E-Mail-Adresse` : `${q} is not an email address`)),
  phone: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist keine Telefonnummer (Ziffern, Leerzeichen und + ( ) / -)`
        : `${q} is not a phone number (digits, spaces and + ( ) / -)`,
    ),
  mailFrom: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist keine Absenderadresse (z. B. Bürgerbüro <buergerbuero@stadt.example>)`
        : `${q} is not a sender address (e.g. Bürgerbüro <buergerbuero@stadt.example>)`,
    ),
  weekday: (v) => {
    const meant = typeof v === 'string' ? GERMAN_DAYS[v.toLowerCase()] : undefined;
    const list = WEEKDAY_KEYS.join(', ');
    return both(v, (q, l) =>
      l === 'de'
        ? `${q} ist kein Wochentag (${list})${meant ? `; gemeint ist wohl ${meant}` : ''}`
        : `${q} is not a weekday (${list})${meant ? `; perhaps ${meant}` : ''}`,
    );
  },
  language: (v) => both(v, (q, l) => (l === 'de' ? `${q} ist keine Sprache (de oder en)` : `${q} is not a language (de or en)`)),
  timeZone: (v) =>
    both(v, (q, l) => (l === 'de' ? `${q} ist keine Zeitzone (z. B. Europe/Berlin)` : `${q} is not a time zone (e.g. Europe/Berlin)`)),
  holidayRegion: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist keine bekannte Feiertagsregion (das Land als DE-XX, z. B. DE-NW, DE-BY, DE-BE)`
        : `${q} is not a known holiday region (the Land as DE-XX, e.g. DE-NW, DE-BY, DE-BE)`,
    ),
  closedDay: (v) => {
    const meant = typeof v === 'string' ? closest(v, Object.keys(NAMED_CLOSED_DAYS)) : null;
    return both(v, (q, l) =>
      l === 'de'
        ? `${q} ist kein Schließtag${meant ? `; gemeint ist wohl „${meant}“` : ' (ein Datum wie 2027-02-08, jährlich 12-24, rosenmontag, weiberfastnacht, heiligabend, silvester oder ostern-48)'}`
        : `${q} is not a closing day${meant ? `; perhaps "${meant}"` : ' (a date like 2027-02-08, yearly 12-24, rosenmontag, weiberfastnacht, heiligabend, silvester or ostern-48)'}`,
    );
  },
  confirmation: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} geht nicht: email (Buchung per Link bestätigen) oder none`
        : `${q} is not possible: email (confirm by link) or none`,
    ),
  hostName: (v) =>
    both(v, (q, l) =>
      l === 'de'
        ? `${q} ist kein Hostname (nur der Name wie termine.castrop-rauxel.de, ohne https:// und ohne Pfad)`
        : `${q} is not a host name (the name only, like termine.castrop-rauxel.de, without https:// and without a path)`,
    ),
  version: (v) =>
    both(v, (q, l) =>
      l === 'de' ? `${q}: diese Schalter-Version liest nur version: 1` : `${q}: this version of Schalter reads version: 1 only`,
    ),
};

const TYPE_NAMES: Record<string, Bilingual> = {
  string: { de: 'ein Text', en: 'text' },
  number: { de: 'eine Zahl', en: 'a number' },
  int: { de: 'eine ganze Zahl', en: 'a whole number' },
  boolean: { de: 'true oder false', en: 'true or false' },
  array: { de: 'eine Liste (je Eintrag eine Zeile mit „- “, oder [a, b])', en: 'a list (one "- " line per entry, or [a, b])' },
  object: { de: 'ein Abschnitt mit Schlüsseln (schlüssel: wert)', en: 'a section of keys (key: value)' },
};

/** German and English for one zod issue (unknown keys are reported per key by the caller). */
export function issueMessage(issue: z.core.$ZodIssue): Bilingual {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return { de: 'Pflichtangabe fehlt', en: 'is required' };
  if (input === null)
    return { de: 'ist leer: einen Wert eintragen oder die Zeile löschen', en: 'is empty: fill in a value or delete the line' };
  const named = NAMED[issue.message];
  if (named) return named(input);
  const q = quote(input);
  switch (issue.code) {
    case 'invalid_type': {
      const type = TYPE_NAMES[issue.expected] ?? { de: issue.expected, en: issue.expected };
      return { de: `muss ${type.de} sein, nicht ${q.de}`, en: `must be ${type.en}, not ${q.en}` };
    }
    case 'too_small':
      if (issue.origin === 'string') return { de: 'darf nicht leer sein', en: 'must not be empty' };
      if (issue.origin === 'array')
        return Number(issue.minimum) === 1
          ? { de: 'braucht mindestens einen Eintrag', en: 'needs at least one entry' }
          : { de: `braucht mindestens ${issue.minimum} Einträge`, en: `needs at least ${issue.minimum} entries` };
      return issue.inclusive
        ? { de: `muss mindestens ${issue.minimum} sein, nicht ${q.de}`, en: `must be at least ${issue.minimum}, not ${q.en}` }
        : { de: `muss größer als ${issue.minimum} sein, nicht ${q.de}`, en: `must be more than ${issue.minimum}, not ${q.en}` };
    case 'too_big':
      if (issue.origin === 'string')
        return { de: `ist zu lang (höchstens ${issue.maximum} Zeichen)`, en: `is too long (at most ${issue.maximum} characters)` };
      if (issue.origin === 'array')
        return { de: `hat zu viele Einträge (höchstens ${issue.maximum})`, en: `has too many entries (at most ${issue.maximum})` };
      return issue.inclusive
        ? { de: `darf höchstens ${issue.maximum} sein, nicht ${q.de}`, en: `must be at most ${issue.maximum}, not ${q.en}` }
        : { de: `muss kleiner als ${issue.maximum} sein, nicht ${q.de}`, en: `must be less than ${issue.maximum}, not ${q.en}` };
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      return { de: `${q.de} geht nicht; möglich: ${allowed}`, en: `${q.en} is not possible; one of: ${allowed}` };
    }
    default:
      return { de: `ungültig: ${issue.message}`, en: `invalid: ${issue.message}` };
  }
}

export function unknownKeyMessage(key: string, known: readonly string[]): Bilingual {
  const meant = closest(key, known);
  return {
    de: `unbekannter Schlüssel „${key}“${meant ? `; gemeint ist wohl „${meant}“` : known.length ? ` (möglich: ${known.join(', ')})` : ''}`,
    en: `unknown key "${key}"${meant ? `; perhaps "${meant}"` : known.length ? ` (known: ${known.join(', ')})` : ''}`,
  };
}

/** The candidate a typo most likely meant: same letters ignoring case, or at most two edits away. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance <= Math.min(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? null;
}

/** Edits (insert, delete, replace, swap two neighbours) from a to b: "nmae" is one swap from "name". */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const COLON_ADVICE = 'Text mit „: “ in Anführungszeichen setzen (reason: "Heiligabend: ab 12 Uhr")';
const YAML_TEXTS: Record<string, string> = {
  TAB_AS_INDENT: 'Tabulator als Einrückung: bitte mit Leerzeichen einrücken',
  BAD_INDENT: 'die Einrückung passt nicht zu den Zeilen darüber, oder eine schließende Klammer ] bzw. } fehlt',
  MISSING_CHAR: 'hier fehlt ein schließendes Zeichen (Anführungszeichen oder Klammer)',
  MULTIPLE_DOCS: 'mehr als ein Dokument (---) in der Datei; Schalter liest genau eines',
  BAD_ALIAS: 'Verweis (*name) auf einen Anker (&name), den es davor nicht gibt',
  BLOCK_AS_IMPLICIT_KEY: `ein zweites „schlüssel: wert“ in derselben Zeile: ${COLON_ADVICE}, oder die Einrückung prüfen`,
  BLOCK_IN_FLOW: 'in { … } und [ … ] muss Text mit „: “ in Anführungszeichen stehen (reason: "Heiligabend: ab 12 Uhr")',
  MULTILINE_IMPLICIT_KEY: 'Schlüssel und Doppelpunkt müssen auf einer Zeile stehen; die Einrückung prüfen',
  UNEXPECTED_TOKEN: 'an dieser Stelle unerwartet; fehlt ein Doppelpunkt, ein „- “ oder ein Leerzeichen?',
  BAD_SCALAR_START: 'ein Wert darf nicht mit @ oder ` beginnen: in Anführungszeichen setzen',
  BAD_DQ_ESCAPE: 'ungültiges Escape-Zeichen (\\) in Anführungszeichen; einfache Anführungszeichen verwenden',
};

/** A syntax error of the YAML parser (or its code, for errors found while resolving), in German, with the parser's own English. */
export function yamlMessage(error: { code: string; message: string; pos: readonly [number, number] }, source: string): Bilingual {
  const en = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    // The parser marks only the key's first character; the key runs up to its colon.
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(source.slice(error.pos[0]))?.[1] ?? source.slice(error.pos[0], error.pos[1]);
    return { de: `„${key}“ steht in diesem Abschnitt zweimal`, en: `"${key}" appears twice in this section` };
  }
  return { de: `YAML: ${YAML_TEXTS[error.code] ?? 'die Zeile ist so nicht lesbar'}`, en: `YAML: ${en}` };
}

/** What the checks of a Kreis file (#20, several towns in one file) say. */
export const KREIS_TEXTS = {
  bothTopKeys: (): Bilingual => ({
    de: 'municipality und municipalities schließen sich aus: eine Stadtdatei hat municipality, eine Kreisdatei municipalities (eine Liste von Städten)',
    en: 'municipality and municipalities exclude each other: a town file has municipality, a Kreis file municipalities (a list of towns)',
  }),
  oneTownOnly: (): Bilingual => ({
    de: 'eine Kreisdatei mit mehreren Städten geht hier nicht: bitte die Datei einer Stadt (municipality:)',
    en: 'a Kreis file of several towns does not fit here: please the file of one town (municipality:)',
  }),
  /** An id given twice in the file: `where` names the first place (`municipalities[0].offices[1]`). */
  idTaken: (what: 'town' | 'office' | 'service', id: string, where: string): Bilingual => {
    const de = { town: 'Die Stadt', office: 'Den Standort', service: 'Die Dienstleistung' }[what];
    const en = { town: 'the town', office: 'the office', service: 'the service' }[what];
    return {
      de: `${de} „${id}“ gibt es in dieser Datei schon (${where}); Kennungen gelten für die ganze Installation`,
      en: `${en} "${id}" exists already in this file (${where}); ids hold for the whole installation`,
    };
  },
  hostTaken: (host: string, where: string): Bilingual => ({
    de: `Der Hostname „${host}“ gehört schon zu ${where}: ein Host wählt genau eine Stadt`,
    en: `the host name "${host}" belongs already to ${where}: a host selects exactly one town`,
  }),
  /** A town id that is a path of the citizen pages: under /{id}/ it would hide that page. */
  reservedId: (id: string): Bilingual => ({
    de: `„${id}“ ist ein Pfad der Terminseiten (/${id}): eine Stadt mit dieser Kennung würde ihn verdecken; bitte eine andere Kennung, z. B. den Ortsnamen`,
    en: `"${id}" is a path of the booking site (/${id}): a town with this id would hide it; please another id, e.g. the town's name`,
  }),
  ownNeighbour: (id: string): Bilingual => ({
    de: `„${id}“ ist die Stadt selbst: Nachbarn sind die anderen Städte des Kreises`,
    en: `"${id}" is the town itself: neighbours are the other towns of the Kreis`,
  }),
  neighbourTwice: (id: string, first: number): Bilingual => ({
    de: `„${id}“ steht schon in neighbours[${first}]`,
    en: `"${id}" is listed already in neighbours[${first}]`,
  }),
  /** The document of one town sent for another (`?municipality=`, a page of that town). */
  otherTown: (written: string, asked: string): Bilingual => ({
    de: `„${written}“: hier wird die Einrichtung der Stadt „${asked}“ bearbeitet; die Kennung einer Stadt lässt sich nicht ändern`,
    en: `"${written}": this edits the set-up of the town "${asked}"; a town's id cannot be changed`,
  }),
  /** Apply: a neighbour that is neither in the file nor set up in the installation. */
  unknownNeighbour: (id: string, meant: string | null): Bilingual => ({
    de: `„${id}“ ist keine Stadt dieser Datei und keine, die hier schon eingerichtet ist${meant ? `; gemeint ist wohl „${meant}“` : ''}`,
    en: `"${id}" is no town of this file and none set up here already${meant ? `; perhaps "${meant}"` : ''}`,
  }),
};
