import type { UnmetDemand } from '../../../domain/statistics-planning.ts';
import { formatDay } from '../dates.ts';

const decimalDe = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const decimalEn = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
// Texts of the statistics pages (team leads), German first; `en` must have the same shape.

const WEEKDAYS_DE = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const days = (n: number) => (n === 1 ? '1 Tag' : `${n} Tagen`);
const count = (n: number, one: string, many: string) => `${n.toLocaleString('de-DE')} ${n === 1 ? one : many}`;
const countEn = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

const de = {
  nav: 'Statistik',
  title: (office: string) => `Statistik – ${office}`,
  filter: 'Zeitraum und Dienstleistung',
  from: 'Von',
  to: 'Bis',
  period: 'Gruppiert nach',
  periodDay: 'Tag',
  periodWeek: 'Woche',
  service: 'Dienstleistung',
  allServices: 'Alle Dienstleistungen',
  target: 'Ziel: Vorlauf höchstens (Tage)',
  show: 'Anzeigen',
  csv: 'Als CSV herunterladen',
  csvHours: 'Ankünfte und Bediente je Wochentag und Stunde als CSV',
  sideBySide: {
    heading: 'Nach Dienstleistung und Standort',
    perService: 'Je Dienstleistung an diesem Standort',
    perOffice: 'Je Standort und gesamt',
    office: 'Standort',
  },
  breakdown: {
    heading: 'Nach Schalter und Mitarbeitenden',
    intro:
      'Bedient, aufgerufen und nicht erschienen, Bearbeitungszeit vom Aufruf bis zum Abschluss. Nur für Teamleitungen sichtbar; zur Planung von Schaltern und Schulungen, nicht zur Leistungs- oder Verhaltenskontrolle einzelner Beschäftigter (Dienstvereinbarung).',
    perCounter: 'Je Schalter',
    perClerk: 'Je Mitarbeiterin und Mitarbeiter (alphabetisch)',
    counter: 'Schalter',
    clerk: 'Name',
    counterName: (n: string) => `Schalter ${n}`,
    noShowsCalled: 'Aufgerufen, nicht erschienen',
    handlingMedian: 'Bearbeitung (Median)',
    handlingMean: 'Bearbeitung (Mittel)',
    none: 'Im Zeitraum wurde an keinem Schalter etwas abgeschlossen.',
    clerkOff:
      'Zahlen je Mitarbeiterin und Mitarbeiter sind ausgeschaltet. Sie werden erst eingeschaltet, wenn eine Dienstvereinbarung mit dem Personalrat sie regelt (Einstellung SCHALTER_CLERK_FIGURES).',
    clerkNote: (min: number, withheld: number) =>
      `Mitarbeitende erscheinen erst ab ${min} abgeschlossenen Vorgängen im Zeitraum, alphabetisch, ohne Rangfolge.` +
      (withheld === 0
        ? ''
        : withheld === 1
          ? ' 1 Person liegt darunter und wird nicht gezeigt.'
          : ` ${withheld} Personen liegen darunter und werden nicht gezeigt.`),
  },
  trend: {
    heading: 'Diese Woche im Vergleich',
    intro:
      'Die Woche bis zum „Bis“-Tag, verglichen mit denselben Wochentagen der Vorwoche und der Woche vor 52 Wochen. „Aufgerufen binnen 15 Min.“: Anteil aller Ankünfte, die spätestens 15 Minuten nach ihrer Terminzeit aufgerufen wurden (Spontankunden und Verspätete: nach ihrer Ankunft); wer nie aufgerufen wurde, zählt als nicht erreicht.',
    caption: 'Kennzahlen dieser Woche, der Vorwoche und der Vorjahreswoche',
    figure: 'Kennzahl',
    current: 'Diese Woche',
    previous: 'Vorwoche',
    change: 'Veränderung zur Vorwoche',
    lastYear: 'Vorjahr',
  },
  /** The change from the week before: counts in percent, shares in percentage points, minutes in minutes. */
  change: (kind: 'count' | 'share' | 'minutes', now: number | null, before: number | null) => {
    if (now === null || before === null) return '–';
    const sign = (v: number, text: string) => (v > 0 ? `+${text}` : v < 0 ? `−${text.replace('-', '')}` : text);
    if (kind === 'minutes') return sign(now - before, `${decimalDe.format(now - before)} Min.`);
    if (kind === 'share') return sign(now - before, `${decimalDe.format(Math.round((now - before) * 1000) / 10)} Prozentpunkte`);
    if (before === 0) return '–';
    return sign(now - before, `${decimalDe.format(Math.round(((now - before) / before) * 1000) / 10)}\u00a0%`);
  },
  headline: 'Nächster freier Termin',
  leadTime: (service: string, n: number | null) =>
    n === null
      ? `${service}: kein freier Termin im freigegebenen Zeitraum`
      : n === 0
        ? `${service}: nächster Termin heute`
        : `${service}: nächster Termin in ${days(n)}`,
  planning: 'Vorschau und Bedarf',
  planningIntro:
    'Vorschau der nächsten vier Wochen aus den freigegebenen Plätzen und der Nachfrage der letzten vier Wochen: den Buchungen und der nicht gedeckten Nachfrage. Buchungen allein zeigen nur, was Platz hatte. Nicht gedeckt geschätzt: Personen auf der Warteliste oder, wenn mehr, vergebliche Suchen geteilt durch 3 (wer nichts findet, sucht mehrmals), dazu abgewiesene Spontankunden.',
  planningCols: {
    service: 'Dienstleistung',
    lead: 'Vorlauf heute (Tage)',
    bookings: 'Buchungen je Woche',
    unmet: 'Nicht gedeckt je Woche (geschätzt)',
    unmetCounts: (d: UnmetDemand) =>
      `Letzte 4 Wochen: ${count(d.waitingListJoined, 'Eintrag', 'Einträge')} auf der Warteliste, ${count(d.searchMisses, 'vergebliche Suche', 'vergebliche Suchen')}, ${count(d.walkinsTurnedAway, 'Spontankunde', 'Spontankunden')} abgewiesen`,
    seats: 'Plätze je Woche',
    week: (n: number) => `in ${n} Wo.`,
    extra: 'Nötige Schalterstunden',
  },
  extraSentence: (hours: number, service: string, target: number) =>
    hours === 0
      ? `${service}: Der Vorlauf bleibt mit den heutigen Plätzen unter ${days(target)}.`
      : `+${hours} Schalterstunden pro Woche halten die Wartezeit für ${service} unter ${days(target)}.`,
  figures: 'Kennzahlen im Zeitraum',
  figuresNote:
    '„Buchungen eingegangen“ zählt nach dem Tag, an dem gebucht wurde, für welchen Termintag auch immer. Alle anderen Termin-Zahlen zählen nach dem Tag des Termins.',
  f: {
    booked: 'Buchungen eingegangen',
    appointmentsDue: 'Termine an den Tagen',
    appointmentsCancelled: 'Termine abgesagt',
    served: 'Bedient',
    noShow: 'Nicht erschienen',
    noShowRate: 'Quote nicht erschienen',
    cancelledByCitizen: 'Abgesagt von Bürgerinnen und Bürgern',
    cancelledByOffice: 'Abgesagt vom Amt',
    walkinsServed: 'Spontankunden bedient',
    walkinsTurnedAway: 'Spontankunden abgewiesen',
    arrivals: 'Ankünfte vor Ort',
    walkinArrivals: 'davon Spontankunden',
    serviceLevel15: 'Aufgerufen binnen 15 Min.',
    serviceLevel30: 'Aufgerufen binnen 30 Min.',
    waitMedian: 'Wartezeit vor Ort (Median)',
    waitP90: 'Wartezeit vor Ort (90\u00a0%)',
    processingMedian: 'Bearbeitungszeit (Median)',
    utilisation: 'Auslastung der Schalter',
  },
  // A median can be 7.5 minutes: „7,5 Min.“ with the German decimal comma.
  minutes: (n: number | null) => (n === null ? '–' : `${decimalDe.format(n)} Min.`),
  number: (n: number) => decimalDe.format(n),
  // A no-break space before „%“ (DIN 5008): the figure never wraps away from its sign.
  percent: (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1).replace('.', ',')}\u00a0%`),
  chartVolume: 'Termine im Zeitraum',
  chartVolumeDesc: (from: string, to: string) =>
    `Termine nach ihrem Tag von ${from} bis ${to}: wahrgenommene und abgesagte, davon bedient und nicht erschienen. Die Zahlen stehen in der Tabelle darunter.`,
  chartWait: 'Wartezeit vor Ort nach Uhrzeit',
  chartWaitDesc:
    'Median und 90. Perzentil der Wartezeit von der Ankunft bis zum Aufruf, nach Stunde der Ankunft, in Minuten. Die Zahlen stehen in der Tabelle darunter.',
  chartLead: 'Vorlauf bis zum nächsten freien Termin',
  chartLeadDesc: 'Tage bis zum nächsten freien Termin, einmal täglich gemessen. Die Zahlen stehen in der Tabelle darunter.',
  hour: 'Stunde',
  day: 'Tag',
  /** A day ('2026-12-10') in a table or sentence; weeks and months stay as they are. */
  date: (d: string) => formatDay(d, 'de'),
  periodHead: 'Zeitraum',
  count: 'Anzahl',
  minutesUnit: 'Minuten',
  daysUnit: 'Tage',
  median: 'Median',
  p90: '90\u00a0%',
  noData: 'Für diesen Zeitraum liegen noch keine Zahlen vor.',
  tableOf: (what: string) => `Tabelle: ${what}`,
  invalid: 'Bitte geben Sie gültige Daten ein (Von nicht nach Bis, höchstens 2 Jahre).',
  demand: 'Nachfrage ohne Termin',
  demandIntro:
    'Wie oft Bürgerinnen und Bürger online nichts Freies gefunden haben, und wer auf der Warteliste steht. Eine Suche nach zwei Anliegen zählt bei beiden.',
  waitingNow: 'Warteliste jetzt',
  waitingNowEmpty: 'Zurzeit steht niemand für diesen Standort auf der Warteliste.',
  waitingCol: 'Personen auf der Warteliste',
  misses: 'Suchen ohne Treffer',
  waitingList: 'Warteliste (Tagesende)',
  chartDemand: 'Suchen ohne Treffer und Warteliste',
  chartDemandDesc: (from: string, to: string) =>
    `Suchen ohne freien Termin und Länge der Warteliste von ${from} bis ${to}. Die Zahlen stehen in der Tabelle darunter.`,
  chartHours: 'Ankünfte und Bediente nach Uhrzeit',
  hoursIntro:
    'Ankünfte: alle, die vor Ort eingecheckt oder eine Wartenummer gezogen haben, nach Stunde der Ankunft. Bedient: Termine und Spontankunden, nach Stunde des Abschlusses. Die Tabellen nach Wochentag zeigen den Durchschnitt je Öffnungstag.',
  chartHoursDesc: (from: string, to: string) =>
    `Ankünfte und Bediente je Stunde von ${from} bis ${to}, zusammengezählt. Die Zahlen stehen in der Tabelle darunter.`,
  arrivals: 'Ankünfte',
  servedAll: 'Bedient (Termine und spontan)',
  arrivalsByWeekday: 'Ankünfte je Stunde nach Wochentag (Durchschnitt je Öffnungstag)',
  servedByWeekday: 'Bediente je Stunde nach Wochentag (Durchschnitt je Öffnungstag)',
  hourSpan: (h: number) => `${String(h).padStart(2, '0')}–${String(h + 1).padStart(2, '0')} Uhr`,
  weekdayDays: (wd: number, n: number) => `${WEEKDAYS_DE[wd - 1] ?? wd} (${n === 1 ? '1 Tag' : `${n} Tage`})`,
};

const daysEn = (n: number) => (n === 1 ? '1 day' : `${n} days`);

const en: typeof de = {
  nav: 'Statistics',
  title: (office) => `Statistics – ${office}`,
  filter: 'Period and service',
  from: 'From',
  to: 'To',
  period: 'Grouped by',
  periodDay: 'Day',
  periodWeek: 'Week',
  service: 'Service',
  allServices: 'All services',
  target: 'Target: lead time at most (days)',
  show: 'Show',
  csv: 'Download as CSV',
  csvHours: 'Arrivals and served by weekday and hour as CSV',
  sideBySide: {
    heading: 'By service and office',
    perService: 'Per service at this office',
    perOffice: 'Per office and in total',
    office: 'Office',
  },
  breakdown: {
    heading: 'By counter and staff member',
    intro:
      'Served, called and not present, handling time from call to completion. Visible to team leads only; for planning counters and training, not for monitoring the performance or conduct of individual employees (service agreement).',
    perCounter: 'Per counter',
    perClerk: 'Per staff member (alphabetical)',
    counter: 'Counter',
    clerk: 'Name',
    counterName: (n) => `Counter ${n}`,
    noShowsCalled: 'Called, no-show',
    handlingMedian: 'Handling (median)',
    handlingMean: 'Handling (mean)',
    none: 'Nothing was completed at any counter in the period.',
    clerkOff:
      'Figures per staff member are switched off. They are switched on only once a service agreement with the staff council covers them (setting SCHALTER_CLERK_FIGURES).',
    clerkNote: (min, withheld) =>
      `Staff members appear only from ${min} completed tickets in the period, alphabetically, without any ranking.` +
      (withheld === 0
        ? ''
        : withheld === 1
          ? ' 1 person is below that and not shown.'
          : ` ${withheld} people are below that and not shown.`),
  },
  trend: {
    heading: 'This week compared',
    intro:
      'The week up to the “To” day, compared with the same weekdays of the week before and of the week 52 weeks earlier. “Called within 15 min”: share of all arrivals called at most 15 minutes after their appointment time (walk-ins and late arrivals: after arriving); anyone never called counts as not reached.',
    caption: 'Figures of this week, the week before and the same week last year',
    figure: 'Figure',
    current: 'This week',
    previous: 'Week before',
    change: 'Change from the week before',
    lastYear: 'Last year',
  },
  change: (kind, now, before) => {
    if (now === null || before === null) return '–';
    const sign = (v: number, text: string) => (v > 0 ? `+${text}` : v < 0 ? `−${text.replace('-', '')}` : text);
    if (kind === 'minutes') return sign(now - before, `${decimalEn.format(now - before)} min`);
    if (kind === 'share') return sign(now - before, `${decimalEn.format(Math.round((now - before) * 1000) / 10)} percentage points`);
    if (before === 0) return '–';
    return sign(now - before, `${decimalEn.format(Math.round(((now - before) / before) * 1000) / 10)}\u00a0%`);
  },
  headline: 'Next free appointment',
  leadTime: (service, n) =>
    n === null
      ? `${service}: no free appointment in the released period`
      : n === 0
        ? `${service}: next appointment today`
        : `${service}: next appointment in ${daysEn(n)}`,
  planning: 'Outlook and what it takes',
  planningIntro:
    'Outlook for the next four weeks from the released seats and the demand of the last four weeks: the bookings and the demand not met. Bookings alone show only what found a seat. Not met, estimated: people on the waiting list or, if more, searches that found nothing divided by 3 (who finds nothing searches several times), plus walk-ins turned away.',
  planningCols: {
    service: 'Service',
    lead: 'Lead time today (days)',
    bookings: 'Bookings per week',
    unmet: 'Not met per week (estimated)',
    unmetCounts: (d) =>
      `Last 4 weeks: ${countEn(d.waitingListJoined, 'entry', 'entries')} on the waiting list, ${countEn(d.searchMisses, 'search', 'searches')} that found nothing, ${countEn(d.walkinsTurnedAway, 'walk-in', 'walk-ins')} turned away`,
    seats: 'Seats per week',
    week: (n) => `in ${n} wk`,
    extra: 'Counter hours needed',
  },
  extraSentence: (hours, service, target) =>
    hours === 0
      ? `${service}: today's seats keep the lead time under ${daysEn(target)}.`
      : `+${hours} counter hours per week keep the lead time for ${service} under ${daysEn(target)}.`,
  figures: 'Figures for the period',
  figuresNote:
    '“Bookings made” counts by the day the booking was made, for whatever day. All other appointment figures count by the day of the appointment.',
  f: {
    booked: 'Bookings made',
    appointmentsDue: 'Appointments on these days',
    appointmentsCancelled: 'Appointments cancelled',
    served: 'Served',
    noShow: 'No-shows',
    noShowRate: 'No-show rate',
    cancelledByCitizen: 'Cancelled by citizens',
    cancelledByOffice: 'Cancelled by the office',
    walkinsServed: 'Walk-ins served',
    walkinsTurnedAway: 'Walk-ins turned away',
    arrivals: 'Arrivals on site',
    walkinArrivals: 'of which walk-ins',
    serviceLevel15: 'Called within 15 min',
    serviceLevel30: 'Called within 30 min',
    waitMedian: 'Waiting time on site (median)',
    waitP90: 'Waiting time on site (90\u00a0%)',
    processingMedian: 'Processing time (median)',
    utilisation: 'Counter utilisation',
  },
  minutes: (n) => (n === null ? '–' : `${decimalEn.format(n)} min`),
  number: (n) => decimalEn.format(n),
  percent: (v) => (v === null ? '–' : `${(v * 100).toFixed(1)}\u00a0%`),
  chartVolume: 'Appointments in the period',
  chartVolumeDesc: (from, to) =>
    `Appointments by their day from ${from} to ${to}: kept and cancelled, of which served and no-show. The numbers are in the table below.`,
  chartWait: 'Waiting time on site by hour',
  chartWaitDesc:
    'Median and 90th percentile of the wait from arrival to call, by hour of arrival, in minutes. The numbers are in the table below.',
  chartLead: 'Lead time to the next free appointment',
  chartLeadDesc: 'Days to the next free appointment, measured once a day. The numbers are in the table below.',
  hour: 'Hour',
  day: 'Day',
  date: (d: string) => formatDay(d, 'en'),
  periodHead: 'Period',
  count: 'Count',
  minutesUnit: 'minutes',
  daysUnit: 'days',
  median: 'Median',
  p90: '90\u00a0%',
  noData: 'No figures for this period yet.',
  tableOf: (what) => `Table: ${what}`,
  invalid: 'Please enter valid dates (From not after To, at most 2 years).',
  demand: 'Demand without an appointment',
  demandIntro: 'How often citizens found nothing free online, and who is on the waiting list. A search for two services counts for both.',
  waitingNow: 'Waiting list now',
  waitingNowEmpty: 'Nobody is on the waiting list for this office at the moment.',
  waitingCol: 'People on the waiting list',
  misses: 'Searches without result',
  waitingList: 'Waiting list (end of day)',
  chartDemand: 'Searches without result and waiting list',
  chartDemandDesc: (from, to) =>
    `Searches that found no free appointment and waiting-list length from ${from} to ${to}. The numbers are in the table below.`,
  chartHours: 'Arrivals and served by hour',
  hoursIntro:
    'Arrivals: everyone who checked in on site or took a ticket, by hour of arrival. Served: appointments and walk-ins, by hour of completion. The tables by weekday show the average per open day.',
  chartHoursDesc: (from, to) => `Arrivals and served per hour from ${from} to ${to}, summed. The numbers are in the table below.`,
  arrivals: 'Arrivals',
  servedAll: 'Served (appointments and walk-ins)',
  arrivalsByWeekday: 'Arrivals per hour by weekday (average per open day)',
  servedByWeekday: 'Served per hour by weekday (average per open day)',
  hourSpan: (h) => `${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`,
  weekdayDays: (wd, n) => `${WEEKDAYS_EN[wd - 1] ?? wd} (${n === 1 ? '1 day' : `${n} days`})`,
};

export type StatisticsMessages = typeof de;
export const statisticsMessages = { de, en } as const;
