import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTownFile, type TownFileProblem } from '../../../src/app/setup/town-file.ts';
import { townFileJsonSchema } from '../../../src/app/setup/town-file-schema.ts';
import { TOWN_FILE_TEMPLATE } from '../../../src/app/setup/town-file-template.ts';

// The town file read by `setup check` (#21): every problem at once, each at its place, in German
// and English. The small town below is valid; each case breaks it in one way.
const TOWN = `municipality:
  id: castrop-rauxel
  name: Stadt Castrop-Rauxel
  mailFrom: "Bürgerbüro <bb@castrop-rauxel.example>"
  imprintUrl: https://www.castrop-rauxel.example/impressum
  privacyUrl: https://www.castrop-rauxel.example/datenschutz
  holidayRegion: DE-NW
  closedDays: [2027-02-08, 2027-12-24]
services:
  - id: personalausweis
    name: { de: Personalausweis beantragen, en: Apply for an ID card }
    minutes: { first: 20, further: 15 }
    feeCents: 4600
    documents: { de: [Altes Dokument], en: [Old document] }
    online: true
    maxPersons: 4
  - id: meldebescheinigung
    name: { de: Meldebescheinigung, en: Certificate of registration }
    minutes: { first: 10 }
offices:
  - id: rathaus
    name: Bürgerbüro Rathaus
    address: Markt 1, 44575 Castrop-Rauxel
    services: [personalausweis, meldebescheinigung]
    counters: [{ number: 1, name: Schalter 1 }, { number: 2, name: Schalter 2, services: [personalausweis] }]
    hours:
      - { days: [mon, tue, wed, fri], from: "08:00", to: "12:30", appointmentCounters: 2, walkinCounters: 0 }
      - { days: [sat], everyWeeks: 2, startingFrom: 2027-01-09, from: "09:00", to: "12:00", appointmentCounters: 1 }
    exceptions: [{ date: 2027-01-12, appointmentCounters: 1, reason: Fortbildung }]
    rules: { release: { weekday: mon, time: "07:00", horizonDays: 14 }, sameDayShare: 0.2, phoneShare: 0.1, walkinQuota: 20 }
  - id: nord
    name: Stadtteilbüro Nord
    address: Nordring 12, 44577 Castrop-Rauxel
    counters: [{ number: 1 }]
    hours:
      - { days: [thu], from: "14:00", to: "18:00", appointmentCounters: 1 }
`;

/** The town with one piece of text replaced (which must occur). */
function broken(find: string, replace: string, base = TOWN): string {
  expect(base).toContain(find);
  return base.replace(find, replace);
}

const problemsOf = (text: string): TownFileProblem[] => checkTownFile(text).problems;
const lines = (text: string) => problemsOf(text).map((p) => `${p.path}: ${p.de}`);

describe('a valid town file', () => {
  it('reads with every default filled in; a share of 0 stays 0', () => {
    const { town, problems } = checkTownFile(broken('sameDayShare: 0.2', 'sameDayShare: 0'));
    expect(problems).toEqual([]);
    expect(town!.offices[0]!.rules).toMatchObject({
      sameDayShare: 0,
      phoneShare: 0.1,
      minLeadMinutes: 0,
      confirmation: 'email',
      release: { weekday: 'mon', time: '07:00', horizonDays: 14 },
    });
    expect(town!.offices[1]).toMatchObject({
      timeZone: 'Europe/Berlin',
      exceptions: [],
      rules: { sameDayShare: 0, phoneShare: 0, release: { horizonDays: 14 } },
    });
    expect(town!.offices[1]!.hours[0]).toMatchObject({ everyWeeks: 1, walkinCounters: 0 });
    expect(town!.services[1]).toMatchObject({ online: true, maxPersons: 5, feeRules: [], documents: { de: [], en: [] } });
    expect(town!.municipality).toMatchObject({ defaultLanguage: 'de', holidayRegion: 'DE-NW' });
  });

  it.each([
    ['the init template', TOWN_FILE_TEMPLATE],
    ['examples/musterstadt.yaml', fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/musterstadt.yaml'), 'utf8')],
    ['examples/erlenbruch.yaml', fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/erlenbruch.yaml'), 'utf8')],
  ])('%s passes the check', (_name, text) => {
    expect(problemsOf(text)).toEqual([]);
  });

  it('the JSON Schema lists the contract keys and does not require what has a default', () => {
    type Shape = { properties: Record<string, unknown>; required?: string[]; items?: Shape };
    // A town file or a Kreis file (#20); the town's keys are the same in both.
    const schema = townFileJsonSchema() as { anyOf: { properties: Record<string, Shape>; required: string[] }[] };
    const [town, kreis] = schema.anyOf;
    expect(kreis!.required).toEqual(['municipalities']);
    for (const properties of [town!.properties, kreis!.properties.municipalities!.items!.properties as Record<string, Shape>]) {
      expect(Object.keys(properties.municipality!.properties)).toEqual(
        expect.arrayContaining([
          'id',
          'name',
          'mailFrom',
          'imprintUrl',
          'privacyUrl',
          'holidayRegion',
          'closedDays',
          'siteUrl',
          'hostNames',
          'retentionDays',
          'neighbours',
        ]),
      );
      expect(Object.keys(properties.services!.items!.properties)).toEqual(
        expect.arrayContaining(['id', 'name', 'minutes', 'feeCents', 'documents', 'online', 'maxPersons']),
      );
      expect(Object.keys(properties.offices!.items!.properties)).toEqual(
        expect.arrayContaining(['id', 'name', 'address', 'services', 'counters', 'hours', 'exceptions', 'rules']),
      );
      expect(properties.offices!.items!.required).toEqual(['id', 'name', 'address', 'counters', 'hours']);
    }
  });
});

describe('every problem of a file at once, at its place', () => {
  it('a time that does not exist: the issue’s own example', () => {
    const [problem] = problemsOf(broken('to: "12:00", appointmentCounters: 1 }', 'to: "25:00", appointmentCounters: 1 }'));
    expect(problem).toEqual({
      path: 'offices[0].hours[1].to',
      line: 28,
      column: 84,
      de: '„25:00“ ist keine Uhrzeit (HH:MM, z. B. 08:00; als Ende auch 24:00)',
      en: '"25:00" is not a time of day (HH:MM, e.g. 08:00; an end may be 24:00)',
    });
  });

  it('three mistakes in three places are all listed, in the order of the file', () => {
    let text = broken('id: castrop-rauxel', 'id: Castrop Rauxel');
    text = broken('maxPersons: 4', 'maxPersons: vier', text);
    text = broken('{ number: 1 }', '{ number: 1, nmae: Eins }', text);
    expect(lines(text)).toEqual([
      'municipality.id: „Castrop Rauxel“ geht als Kennung nicht: nur Kleinbuchstaben a–z, Ziffern und Bindestriche, z. B. rathaus-mitte',
      'services[0].maxPersons: muss eine Zahl sein, nicht „vier“',
      'offices[1].counters[0].nmae: unbekannter Schlüssel „nmae“; gemeint ist wohl „name“',
    ]);
  });

  it.each([
    ['a missing key', '    name: Stadtteilbüro Nord\n', '', 'offices[1].name: Pflichtangabe fehlt'],
    [
      'an empty value',
      'address: Nordring 12, 44577 Castrop-Rauxel',
      'address:',
      'offices[1].address: ist leer: einen Wert eintragen oder die Zeile löschen',
    ],
    [
      'a date that does not exist',
      'date: 2027-01-12',
      'date: 2027-02-30',
      'offices[0].exceptions[0].date: „2027-02-30“ ist kein Datum (JJJJ-MM-TT, z. B. 2027-01-09)',
    ],
    [
      'a German weekday',
      'days: [thu]',
      'days: [do]',
      'offices[1].hours[0].days[0]: „do“ ist kein Wochentag (mon, tue, wed, thu, fri, sat, sun); gemeint ist wohl thu',
    ],
    [
      'a share in per cent',
      'phoneShare: 0.1',
      'phoneShare: 10',
      'offices[0].rules.phoneShare: 10 ist kein Anteil: eine Zahl von 0 bis unter 1, z. B. 0.2 für 20 %',
    ],
    [
      'a horizon beyond 90 days',
      'horizonDays: 14',
      'horizonDays: 120',
      'offices[0].rules.release.horizonDays: darf höchstens 90 sein, nicht 120',
    ],
    [
      'a web address without scheme',
      'privacyUrl: https://www.castrop-rauxel.example/datenschutz',
      'privacyUrl: www.castrop-rauxel.example',
      'municipality.privacyUrl: „www.castrop-rauxel.example“ ist keine Internetadresse (https://…)',
    ],
    [
      'a misspelt closing day',
      'closedDays: [2027-02-08, 2027-12-24]',
      'closedDays: [2027-02-08, sylvester]',
      'municipality.closedDays[1]: „sylvester“ ist kein Schließtag; gemeint ist wohl „silvester“',
    ],
    [
      'an unknown holiday region',
      'holidayRegion: DE-NW',
      'holidayRegion: DE-NRW',
      'municipality.holidayRegion: „DE-NRW“ ist keine bekannte Feiertagsregion (das Land als DE-XX, z. B. DE-NW, DE-BY, DE-BE)',
    ],
    [
      'a sender without address',
      'mailFrom: "Bürgerbüro <bb@castrop-rauxel.example>"',
      'mailFrom: Bürgerbüro',
      'municipality.mailFrom: „Bürgerbüro“ ist keine Absenderadresse (z. B. Bürgerbüro <buergerbuero@stadt.example>)',
    ],
    [
      'a list written as one value',
      'days: [thu]',
      'days: thu',
      'offices[1].hours[0].days: muss eine Liste (je Eintrag eine Zeile mit „- “, oder [a, b]) sein, nicht „thu“',
    ],
    ['no counters', 'counters: [{ number: 1 }]', 'counters: []', 'offices[1].counters: braucht mindestens einen Eintrag'],
  ])('%s', (_label, find, replace, expected) => {
    expect(lines(broken(find, replace))).toEqual([expected]);
  });

  it.each([
    [
      'a service id twice',
      'id: meldebescheinigung',
      'id: personalausweis',
      [
        'services[1].id: „personalausweis“ gibt es schon (services[0])',
        'offices[0].services[1]: „meldebescheinigung“ ist keine Dienstleistung dieser Datei',
      ],
    ],
    ['an office id twice', 'id: nord', 'id: rathaus', ['offices[1].id: „rathaus“ gibt es schon (offices[0])']],
    [
      'an unknown service at an office',
      'services: [personalausweis, meldebescheinigung]',
      'services: [personalausweis, meldebescheinigun]',
      ['offices[0].services[1]: „meldebescheinigun“ ist keine Dienstleistung dieser Datei; gemeint ist wohl „meldebescheinigung“'],
    ],
    [
      'a counter number twice',
      '{ number: 2, name: Schalter 2',
      '{ number: 1, name: Schalter 2',
      ['offices[0].counters[1].number: Schalter 1 gibt es in diesem Standort schon (counters[0])'],
    ],
    [
      'a counter serving what the office does not offer',
      'services: [personalausweis, meldebescheinigung]',
      'services: [meldebescheinigung]',
      ['offices[0].counters[1].services[0]: „personalausweis“ bietet dieser Standort nicht an (fehlt in services)'],
    ],
    [
      'an end before the start',
      'from: "14:00", to: "18:00"',
      'from: "14:00", to: "13:00"',
      ['offices[1].hours[0].to: „13:00“ liegt nicht nach dem Beginn „14:00“'],
    ],
    [
      'a time off the 5-minute grid',
      'to: "18:00"',
      'to: "17:58"',
      ['offices[1].hours[0].to: „17:58“ liegt nicht im 5-Minuten-Raster der Termine (z. B. 17:55)'],
    ],
    [
      'more counters staffed than the office has',
      'appointmentCounters: 2, walkinCounters: 0',
      'appointmentCounters: 2, walkinCounters: 1',
      ['offices[0].hours[0].appointmentCounters: 2 Schalter für Termine und 1 für Spontankunden, der Standort hat aber nur 2 (counters)'],
    ],
    [
      'every second week without a start',
      'everyWeeks: 2, startingFrom: 2027-01-09,',
      'everyWeeks: 2,',
      ['offices[0].hours[1].startingFrom: Pflichtangabe bei everyWeeks: 2: das Datum, ab dem gezählt wird'],
    ],
    [
      'a start on another weekday',
      'startingFrom: 2027-01-09',
      'startingFrom: 2027-01-08',
      ['offices[0].hours[1].startingFrom: 2027-01-08 ist ein Freitag, die Zeile gilt aber für sat'],
    ],
    [
      'overlapping hours',
      '- { days: [sat],',
      '- { days: [fri, sat],',
      [
        'offices[0].hours[1]: überschneidet sich mit hours[0] (Freitag 08:00–12:30, z. B. am 2027-01-15); eine Uhrzeit darf an einem Tag nur in einer Zeile stehen',
      ],
    ],
    [
      'an exception with a start and no end',
      'appointmentCounters: 1, reason: Fortbildung',
      'from: "08:00", appointmentCounters: 1, reason: Fortbildung',
      ['offices[0].exceptions[0].to: Pflichtangabe, wenn from angegeben ist (ohne from und to gilt die Ausnahme den ganzen Tag)'],
    ],
    [
      'an exception on a public holiday',
      'date: 2027-01-12',
      'date: 2027-01-01',
      ['offices[0].exceptions[0].date: 2027-01-01 ist ein Feiertag (Neujahr): die Ausnahme wirkt nicht'],
    ],
    [
      'an exception on a closing day',
      'date: 2027-01-12',
      'date: 2027-02-08',
      ['offices[0].exceptions[0].date: 2027-02-08 ist ein Schließtag (closedDays): die Ausnahme wirkt nicht'],
    ],
    [
      'a range that ends before it starts',
      'date: 2027-01-12,',
      'date: 2027-01-12, until: 2027-01-11,',
      ['offices[0].exceptions[0].until: 2027-01-11 liegt vor date 2027-01-12'],
    ],
    [
      'shares above 1 together',
      'sameDayShare: 0.2, phoneShare: 0.1',
      'sameDayShare: 0.6, phoneShare: 0.5',
      ['offices[0].rules.phoneShare: sameDayShare und phoneShare zusammen über 1 (0.6 + 0.5)'],
    ],
    [
      'documents in one language only partly',
      'en: [Old document]',
      'en: [Old document, Photo]',
      ['services[0].documents.en: 2 Einträge, documents.de hat 1: jede Unterlage braucht beide Sprachen'],
    ],
  ])('cross-check: %s', (_label, find, replace, expected) => {
    expect(lines(broken(find, replace))).toEqual(expected);
  });

  it('a mistake in one line of hours does not hide the cross-checks of another office', () => {
    let text = broken('to: "12:30"', 'to: "25:00"');
    text = broken('from: "14:00", to: "18:00"', 'from: "14:00", to: "13:00"', text);
    expect(lines(text)).toEqual([
      'offices[0].hours[0].to: „25:00“ ist keine Uhrzeit (HH:MM, z. B. 08:00; als Ende auch 24:00)',
      'offices[1].hours[0].to: „13:00“ liegt nicht nach dem Beginn „14:00“',
    ]);
  });

  it('English goes with every German message', () => {
    const [problem] = problemsOf(broken('days: [thu]', 'days: [do]'));
    expect(problem!.en).toBe('"do" is not a weekday (mon, tue, wed, thu, fri, sat, sun); perhaps thu');
  });

  it('a whole-day exception and a time of the same day may meet (Heiligabend); two whole days may not', () => {
    const heiligabend =
      '[{ date: 2027-12-23, appointmentCounters: 1, reason: Heiligabend }, { date: 2027-12-23, from: "12:00", to: "18:00", appointmentCounters: 0, reason: ab 12 Uhr }]';
    expect(lines(broken('[{ date: 2027-01-12, appointmentCounters: 1, reason: Fortbildung }]', heiligabend))).toEqual([]);
    const twice =
      '[{ date: 2027-01-11, until: 2027-01-15, appointmentCounters: 1, reason: a }, { date: 2027-01-12, appointmentCounters: 0, reason: b }]';
    expect(lines(broken('[{ date: 2027-01-12, appointmentCounters: 1, reason: Fortbildung }]', twice))).toEqual([
      'offices[0].exceptions[1]: gilt zur selben Zeit wie exceptions[0] (2027-01-11)',
    ]);
  });

  it('alternating Saturdays do not overlap', () => {
    const other =
      '- { days: [sat], everyWeeks: 2, startingFrom: 2027-01-16, from: "09:00", to: "12:00", appointmentCounters: 1 }\n    exceptions:';
    expect(lines(broken('\n    exceptions:', `\n      ${other}`))).toEqual([]);
  });

  it('YAML that cannot be read: every syntax error with line and column, nothing else', () => {
    const problems = problemsOf('municipality:\n  id: a\n  id: b\nservices:\n\t- x\n');
    expect(problems).toEqual([
      { path: '', line: 3, column: 3, de: '„id“ steht in diesem Abschnitt zweimal', en: '"id" appears twice in this section' },
      {
        path: '',
        line: 5,
        column: 1,
        de: 'YAML: Tabulator als Einrückung: bitte mit Leerzeichen einrücken',
        en: 'YAML: Tabs are not allowed as indentation',
      },
    ]);
  });

  it.each([
    [
      'a colon in a value',
      'reason: Heiligabend: ab 12 Uhr',
      '1:9: YAML: ein zweites „schlüssel: wert“ in derselben Zeile: Text mit „: “ in Anführungszeichen setzen (reason: "Heiligabend: ab 12 Uhr"), oder die Einrückung prüfen',
    ],
    [
      'a colon in a value in braces',
      'x: { reason: Heiligabend: ab 12 Uhr }',
      '1:14: YAML: in { … } und [ … ] muss Text mit „: “ in Anführungszeichen stehen (reason: "Heiligabend: ab 12 Uhr")',
    ],
    [
      'a missing bracket',
      'days: [mon, tue\nfrom: 1',
      '2:1: YAML: die Einrückung passt nicht zu den Zeilen darüber, oder eine schließende Klammer ] bzw. } fehlt',
    ],
    ['an alias without anchor', 'rules: *regeln', '1:8: YAML: Verweis (*name) auf einen Anker (&name), den es davor nicht gibt'],
  ])('YAML mistakes people make: %s', (_label, text, expected) => {
    expect(problemsOf(text).map((p) => `${p.line}:${p.column}: ${p.de}`)).toEqual([expected]);
  });

  it('an empty file and a file that is a list', () => {
    expect(lines('')).toEqual([': Die Datei ist leer']);
    expect(lines('# nur ein Kommentar\n')).toEqual([': Die Datei ist leer']);
    expect(lines('- a\n')).toEqual([': muss ein Abschnitt mit Schlüsseln (schlüssel: wert) sein, nicht ["a"]']);
  });

  it('a problem inside an anchor shared by two offices is placed at the anchor', () => {
    let text = broken('rules: { release:', 'rules: &rules { release:');
    text = broken('horizonDays: 14', 'horizonDays: 99', text);
    text = `${text}    rules: *rules\n`;
    const problems = problemsOf(text).filter((p) => p.path.endsWith('horizonDays'));
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['offices[0].rules.release.horizonDays', 30],
      ['offices[1].rules.release.horizonDays', 30],
    ]);
  });
});
