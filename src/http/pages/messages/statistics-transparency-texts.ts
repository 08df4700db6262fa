// Texts of the public transparency page (/transparenz); joined into the citizen catalogues as `transparency`.

const WEEKDAYS_DE = ['montags', 'dienstags', 'mittwochs', 'donnerstags', 'freitags', 'samstags', 'sonntags'];
const WEEKDAY_NAMES_DE = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
const days = (n: number) => (n === 1 ? '1 Tag' : `${n} Tagen`);

export const transparencyDe = {
  title: 'Wartezeiten im Bürgerbüro',
  intro:
    'Hier sehen Sie, wie lange Sie auf einen Termin warten und wie lange Sie vor Ort typischerweise warten. Die Zahlen werden aus den Terminen und Wartenummern der letzten Wochen berechnet und enthalten keine persönlichen Daten.',
  leadHeading: 'Nächster freier Termin',
  leadCols: { service: 'Dienstleistung', lead: 'Nächster freier Termin' },
  lead: (n: number | null) => (n === null ? 'zurzeit kein freier Termin' : n === 0 ? 'heute' : `in ${days(n)}`),
  waitHeading: 'Wartezeit vor Ort nach Uhrzeit',
  waitIntro:
    'Typische Wartezeit (Median) von der Ankunft bis zum Aufruf, in Minuten, in den letzten 8 Wochen. Felder mit zu wenigen Besuchen bleiben leer.',
  waitCaption: (office: string) => `Typische Wartezeit vor Ort in Minuten – ${office}`,
  weekday: (d: number) => WEEKDAY_NAMES_DE[d - 1] ?? '',
  hourCol: 'Uhrzeit',
  hour: (h: number) => `${h}–${h + 1} Uhr`,
  shortest: (weekday: number, from: number, to: number) => `Am kürzesten ist die Wartezeit ${WEEKDAYS_DE[weekday - 1]} ${from}–${to} Uhr.`,
  noWaits: 'Für diesen Standort liegen noch zu wenige Zahlen vor.',
  release: (weekday: number, time: string, horizon: number) =>
    `Neue Termine werden jeden ${WEEKDAY_NAMES_DE[weekday - 1]} um ${time} Uhr für die nächsten ${days(horizon)} freigegeben.`,
  book: 'Termin buchen',
  minutes: (n: number | null) => (n === null ? '–' : String(n)),
  tableOf: (office: string) => `Tabelle der Wartezeiten – ${office}`,
};

const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const daysEn = (n: number) => (n === 1 ? '1 day' : `${n} days`);

export const transparencyEn: typeof transparencyDe = {
  title: 'Waiting times at the citizen office',
  intro:
    'How long you wait for an appointment, and how long people typically wait on site. The figures are computed from the appointments and tickets of the last weeks and contain no personal data.',
  leadHeading: 'Next free appointment',
  leadCols: { service: 'Service', lead: 'Next free appointment' },
  lead: (n) => (n === null ? 'no free appointment at the moment' : n === 0 ? 'today' : `in ${daysEn(n)}`),
  waitHeading: 'Waiting time on site by time of day',
  waitIntro: 'Typical wait (median) from arrival to being called, in minutes, over the last 8 weeks. Cells with too few visits stay empty.',
  waitCaption: (office) => `Typical waiting time on site in minutes – ${office}`,
  weekday: (d) => WEEKDAYS_EN[d - 1] ?? '',
  hourCol: 'Time',
  hour: (h) => `${h}:00–${h + 1}:00`,
  shortest: (weekday, from, to) => `The wait is shortest on ${WEEKDAYS_EN[weekday - 1]}s from ${from}:00 to ${to}:00.`,
  noWaits: 'Not enough figures for this office yet.',
  release: (weekday, time, horizon) =>
    `New appointments are released every ${WEEKDAYS_EN[weekday - 1]} at ${time} for the next ${daysEn(horizon)}.`,
  book: 'Book an appointment',
  minutes: (n) => (n === null ? '–' : String(n)),
  tableOf: (office) => `Table of waiting times – ${office}`,
};
