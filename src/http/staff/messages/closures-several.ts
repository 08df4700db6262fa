// Texts of closing several offices at once (#20), German first; `en` has the same shape.

const people = (n: number) => (n === 1 ? '1 Termin' : `${n.toLocaleString('de-DE')} Termine`);
const peopleEn = (n: number) => (n === 1 ? '1 appointment' : `${n.toLocaleString('en-GB')} appointments`);
const offices = (n: number) => (n === 1 ? '1 Standort' : `${n} Standorte`);
/** After „an“: „an 2 Standorten“. */
const officesDative = (n: number) => (n === 1 ? '1 Standort' : `${n} Standorten`);
const officesEn = (n: number) => (n === 1 ? '1 office' : `${n} offices`);

const de = {
  link: 'Mehrere Standorte auf einmal schließen',
  title: 'Mehrere Standorte schließen',
  intro:
    'Für eine Störung, die mehrere Standorte zugleich trifft (etwa den Ausfall des Rechenzentrums). Wählen Sie einzelne Standorte, alle Standorte einer Stadt oder alle. Alle gewählten Standorte nehmen sofort keine Buchungen mehr an; danach werden die Betroffenen jedes Standorts benachrichtigt. Vor dem Schließen sehen Sie eine Vorschau.',
  offices: 'Welche Standorte?',
  all: 'Alle Standorte',
  wholeTown: (town: string) => `Alle Standorte von ${town}`,
  none: 'Sie können keinen Standort schließen.',
  officesMissing: 'Bitte mindestens einen Standort wählen.',
  previewTitle: 'Vorschau: mehrere Standorte schließen',
  town: 'Stadt',
  office: 'Standort',
  affectedCol: 'Betroffene Termine',
  reachCol: 'E-Mail / SMS / nur Telefon / nicht erreichbar',
  reach: (r: { email: number; sms: number; phoneOnly: number; unreachable: number }) =>
    `${r.email} / ${r.sms} / ${r.phoneOnly} / ${r.unreachable}`,
  townTotal: (town: string) => `${town} zusammen`,
  affected: (n: number, o: number) => `${people(n)} an ${officesDative(o)} betroffen`,
  /** Starts as the preview's warning names it („erst mit „Jetzt schließen“ …“). */
  commit: (o: number) => `Jetzt schließen (${offices(o)})`,
  summaryTitle: 'Standorte geschlossen',
  summaryIntro:
    'Die Standorte nehmen im Zeitraum keine Buchungen mehr an. Die Betroffenen werden jetzt je Standort benachrichtigt; den Stand zeigt die Seite der einzelnen Schließung.',
  summaryTown: (town: string, n: number, o: number) => `${town}: ${people(n)} an ${officesDative(o)}`,
  total: 'Zusammen',
  summaryTable: 'Geschlossene Standorte',
  open: 'Schließung ansehen',
  back: 'Zurück zu den Schließungen',
};

const en: typeof de = {
  link: 'Close several offices at once',
  title: 'Close several offices',
  intro:
    'For a failure that hits several offices at once (such as the data centre going down). Choose single offices, all offices of a town, or all. Every chosen office stops taking bookings at once; then the people affected at each office are told. You see a preview before anything is closed.',
  offices: 'Which offices?',
  all: 'All offices',
  wholeTown: (town: string) => `All offices of ${town}`,
  none: 'There is no office you can close.',
  officesMissing: 'Please choose at least one office.',
  previewTitle: 'Preview: close several offices',
  town: 'Town',
  office: 'Office',
  affectedCol: 'Appointments affected',
  reachCol: 'Email / SMS / phone only / unreachable',
  reach: (r: { email: number; sms: number; phoneOnly: number; unreachable: number }) =>
    `${r.email} / ${r.sms} / ${r.phoneOnly} / ${r.unreachable}`,
  townTotal: (town: string) => `${town} in total`,
  affected: (n: number, o: number) => `${peopleEn(n)} at ${officesEn(o)} affected`,
  commit: (o: number) => `Close now (${officesEn(o)})`,
  summaryTitle: 'Offices closed',
  summaryIntro:
    'The offices take no bookings in this period any more. The people affected are now told office by office; the page of each closure shows how far it has come.',
  summaryTown: (town: string, n: number, o: number) => `${town}: ${peopleEn(n)} at ${officesEn(o)}`,
  total: 'Together',
  summaryTable: 'Offices closed',
  open: 'Show closure',
  back: 'Back to closures',
};

export type SeveralClosureMessages = typeof de;
export const severalClosureMessages = { de, en } as const;
