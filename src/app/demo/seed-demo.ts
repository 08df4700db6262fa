// Demo data for the fictional town of Musterstadt, loaded on first start. It re-enacts the story
// behind Schalter: a long Thursday at the Bürgerbüro with about 170 booked citizens, so closing
// that day shows at once what a data-centre failure costs and how Schalter handles it.
import { sql, type Insertable, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { IsoDate, ReleasePolicy } from '../../domain/capacity-types.ts';
import { appointmentUnits } from '../../domain/duration.ts';
import { DomainError } from '../../domain/errors.ts';
import { isPublicHoliday } from '../../domain/holidays.ts';
import { seatRule } from '../../domain/release.ts';
import type { DB, Language, ServiceTable, StaffingExceptionTable, StaffingRuleTable } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { searchAvailability } from '../booking/search-availability.ts';
import { bookAppointment } from '../booking/book-appointment.ts';
import { materializeCapacity } from '../booking/materialize-capacity.ts';
import type { AppContext } from '../shared/context.ts';
import type { RequestedService } from '../shared/service-selection.ts';
import { localDayBounds, localPlainDate } from '../../domain/zoned-time.ts';

export type DemoSeedOptions = { onProgress?: (done: number, total: number, label: string) => void };
export type DemoSeedResult = { offices: number; services: number; appointments: number; thursday: IsoDate };

/** Thrown when the database already holds offices: the demo never mixes with real or earlier data. */
export class DemoSeedRefusedError extends Error {
  constructor() {
    super('The database is not empty; demo data is only loaded into an empty database');
    this.name = 'DemoSeedRefusedError';
  }
}

const TIME_ZONE = 'Europe/Berlin';
const HOLIDAY_REGION = 'DE-NW';
const ACTOR = 'demo-seed';
// Changing the seed changes who is booked when; keep it fixed so every demo looks the same.
const PRNG_SEED = 0x5c4a17e2;
const DEMO_DAY_WEEKDAY = 4;

// Office phone numbers come from the Bundesnetzagentur's "drama numbers" (Köln 0221 4710 000-999,
// never assigned), so nobody calls a real Bürgerbüro because a demo showed its number.
const OFFICES = [
  {
    id: 'rathaus',
    name: 'Bürgerbüro Rathaus',
    address: 'Markt 1, 44575 Musterstadt',
    phone: '0221 4710-100',
    email: 'buergerbuero@example.org',
    counters: 6,
  },
  {
    id: 'nord',
    name: 'Stadtteilbüro Nord',
    address: 'Nordring 12, 44577 Musterstadt',
    phone: '0221 4710-200',
    email: 'stadtteilbuero-nord@example.org',
    counters: 2,
  },
] as const;

type ServiceId = 'personalausweis' | 'reisepass' | 'wohnsitz' | 'meldebescheinigung' | 'beglaubigung' | 'fuehrungszeugnis' | 'abholung';

const PHOTO_DE = 'Biometrisches Passfoto – seit Mai 2025 nur digital: vom Fotostudio übermittelt oder hier aufgenommen (6 €)';
const PHOTO_EN = 'Biometric photo – digital only since May 2025: sent by a photo studio or taken here (€6)';

// Fees as of 2026 for applicants aged 24 and over (younger people pay less; the clerk applies that).
const SERVICES: (Insertable<ServiceTable> & { id: ServiceId })[] = [
  {
    id: 'personalausweis',
    name_de: 'Personalausweis beantragen',
    name_en: 'Apply for an ID card',
    duration_minutes: 20,
    // The fee the demo specifies; check the current Personalausweisgebührenverordnung
    // before using these figures for a real municipality.
    fee_cents: 3700,
    max_persons: 5,
    sort_order: 10,
    documents_de: [
      'Bisheriger Personalausweis oder Reisepass',
      PHOTO_DE,
      'Bei Erstausstellung oder Namensänderung: Geburts- oder Heiratsurkunde',
      'Bei Kindern unter 16 Jahren: Zustimmung aller Sorgeberechtigten',
    ],
    documents_en: [
      'Your current ID card or passport',
      PHOTO_EN,
      'First ID card or change of name: birth or marriage certificate',
      'Children under 16: consent of everyone with parental custody',
    ],
  },
  {
    id: 'reisepass',
    name_de: 'Reisepass beantragen',
    name_en: 'Apply for a passport',
    duration_minutes: 20,
    fee_cents: 7000,
    max_persons: 5,
    sort_order: 20,
    documents_de: [
      'Bisheriger Reisepass (auch abgelaufen) oder Personalausweis',
      PHOTO_DE,
      'Bei Erstausstellung oder Namensänderung: Geburts- oder Heiratsurkunde',
      'Bei Minderjährigen: Zustimmung aller Sorgeberechtigten',
    ],
    documents_en: [
      'Your current passport (even if expired) or ID card',
      PHOTO_EN,
      'First passport or change of name: birth or marriage certificate',
      'Minors: consent of everyone with parental custody',
    ],
  },
  {
    id: 'wohnsitz',
    name_de: 'Wohnsitz anmelden/ummelden',
    name_en: 'Register or change your address',
    duration_minutes: 15,
    fee_cents: null,
    max_persons: 5,
    sort_order: 30,
    documents_de: [
      'Personalausweis oder Reisepass jeder umziehenden Person',
      'Wohnungsgeberbestätigung des Vermieters',
      'Wer für andere kommt: Vollmacht',
    ],
    documents_en: [
      'ID card or passport of everyone who moves',
      'Landlord’s confirmation (Wohnungsgeberbestätigung)',
      'If you come on behalf of others: a power of attorney',
    ],
  },
  {
    id: 'meldebescheinigung',
    name_de: 'Meldebescheinigung',
    name_en: 'Certificate of registration',
    duration_minutes: 10,
    // Assumption: municipalities set this fee themselves (commonly 5–10 €); Musterstadt charges 10 €.
    fee_cents: 1000,
    max_persons: 5,
    sort_order: 40,
    documents_de: ['Personalausweis oder Reisepass'],
    documents_en: ['ID card or passport'],
  },
  {
    id: 'beglaubigung',
    name_de: 'Beglaubigung',
    name_en: 'Certified copy',
    duration_minutes: 10,
    fee_cents: 500,
    max_persons: 5,
    sort_order: 50,
    documents_de: ['Originaldokument', 'Die Kopien, die beglaubigt werden sollen', 'Personalausweis oder Reisepass'],
    documents_en: ['The original document', 'The copies to be certified', 'ID card or passport'],
  },
  {
    id: 'fuehrungszeugnis',
    name_de: 'Führungszeugnis beantragen',
    name_en: 'Apply for a certificate of good conduct',
    duration_minutes: 10,
    fee_cents: 1300,
    max_persons: 5,
    sort_order: 60,
    documents_de: [
      'Personalausweis oder Reisepass',
      'Für ein erweitertes Führungszeugnis: Aufforderung des Arbeitgebers oder Vereins',
      'Für ein Ehrenamt: Bestätigung der Einrichtung (dann gebührenfrei)',
    ],
    documents_en: [
      'ID card or passport',
      'For an extended certificate: the request from your employer or club',
      'For voluntary work: confirmation from the organisation (then free of charge)',
    ],
  },
  {
    id: 'abholung',
    name_de: 'Dokument abholen',
    name_en: 'Collect a document',
    duration_minutes: 5,
    fee_cents: null,
    // Parents collect their children's documents in one visit.
    max_persons: 5,
    sort_order: 70,
    documents_de: ['Bisheriger Ausweis oder Pass (wird entwertet)', 'Wer für andere abholt: Vollmacht und deren Ausweis'],
    documents_en: [
      'Your previous ID card or passport (it will be invalidated)',
      'Collecting for someone else: power of attorney and their ID',
    ],
  },
];

type Rule = Omit<Insertable<StaffingRuleTable>, 'id' | 'office_id'>;
const WEEKDAYS = [1, 2, 3, 4, 5] as const;

// One Rathaus counter stays free for walk-ins (collecting documents, emergencies) all day.
const RATHAUS_RULES: Rule[] = [
  ...WEEKDAYS.map((weekday) => ({ weekday, start_time: '08:00', end_time: '12:30', appointment_counters: 5, walkin_counters: 1 })),
  { weekday: 2, start_time: '14:00', end_time: '16:00', appointment_counters: 5, walkin_counters: 1 },
  { weekday: DEMO_DAY_WEEKDAY, start_time: '14:00', end_time: '18:00', appointment_counters: 5, walkin_counters: 1 },
];

// Nord has two counters; on its short days one of them serves walk-ins, and it has no afternoons on Wednesday and Friday.
const NORD_RULES: Rule[] = [
  ...WEEKDAYS.map((weekday) =>
    weekday === 3 || weekday === 5
      ? { weekday, start_time: '08:00', end_time: '12:30', appointment_counters: 1, walkin_counters: 1 }
      : { weekday, start_time: '08:00', end_time: '12:30', appointment_counters: 2, walkin_counters: 0 },
  ),
  { weekday: 2, start_time: '14:00', end_time: '16:00', appointment_counters: 2, walkin_counters: 0 },
  { weekday: DEMO_DAY_WEEKDAY, start_time: '14:00', end_time: '18:00', appointment_counters: 2, walkin_counters: 0 },
];

const RELEASE_POLICY: ReleasePolicy = {
  releaseWeekday: 1,
  releaseTime: '07:00',
  horizonDays: 14,
  sameDayShare: 0.2,
  sameDayReleaseTime: '07:00',
  phoneShare: 0.1,
  minLeadMinutes: 60,
};

type Exception = Omit<Insertable<StaffingExceptionTable>, 'id'>;

/**
 * Heiligabend and Silvester are not public holidays ('bank' days in date-holidays), so the office
 * decides them itself: this is the feature the demo shows. Dated to the coming ones, so the demo
 * still shows them when started in a later year.
 */
function yearEndExceptions(today: Temporal.PlainDate): Exception[] {
  const coming = (month: number, day: number): IsoDate => {
    const thisYear = Temporal.PlainDate.from({ year: today.year, month, day });
    return (Temporal.PlainDate.compare(thisYear, today) >= 0 ? thisYear : thisYear.add({ years: 1 })).toString();
  };
  const christmasEve = coming(12, 24);
  const newYearsEve = coming(12, 31);
  return [
    {
      office_id: 'rathaus',
      date: christmasEve,
      start_time: null,
      end_time: null,
      appointment_counters: 3,
      reason: 'Heiligabend: reduzierte Besetzung',
    },
    {
      office_id: 'rathaus',
      date: christmasEve,
      start_time: '12:00',
      end_time: '18:00',
      appointment_counters: 0,
      reason: 'Heiligabend: ab 12 Uhr geschlossen',
    },
    {
      office_id: 'rathaus',
      date: newYearsEve,
      start_time: '12:00',
      end_time: '18:00',
      appointment_counters: 0,
      reason: 'Silvester: ab 12 Uhr geschlossen',
    },
  ];
}

/**
 * The next Thursday strictly after today that runs on the ordinary plan: a holiday has no
 * capacity, and a date with a staffing exception cannot hold a full day either.
 */
function demoThursday(today: Temporal.PlainDate, exceptions: readonly Exception[]): Temporal.PlainDate {
  const special = new Set(exceptions.map((e) => e.date));
  let day = today.add({ days: (DEMO_DAY_WEEKDAY - today.dayOfWeek + 7) % 7 || 7 });
  while (isPublicHoliday(day.toString(), HOLIDAY_REGION) || special.has(day.toString())) day = day.add({ days: 7 });
  return day;
}

// --- citizens -------------------------------------------------------------------------------

/** mulberry32: tiny, fast, and the same sequence on every machine, which Math.random is not. */
function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const GERMAN_FIRST = [
  'Anna',
  'Lukas',
  'Sophie',
  'Maximilian',
  'Marie',
  'Jonas',
  'Laura',
  'Felix',
  'Lea',
  'Paul',
  'Hannah',
  'Leon',
  'Emma',
  'Tim',
  'Mia',
  'Niklas',
  'Johanna',
  'Tobias',
  'Katharina',
  'Sebastian',
  'Julia',
  'Florian',
  'Sabine',
  'Thomas',
  'Petra',
  'Michael',
  'Ursula',
  'Klaus',
  'Monika',
  'Wolfgang',
  'Brigitte',
  'Jürgen',
  'Renate',
  'Dieter',
  'Gisela',
  'Horst',
  'Karin',
  'Uwe',
  'Heike',
  'Stefan',
  'Andrea',
  'Frank',
  'Nicole',
  'Jörg',
  'Claudia',
  'Dirk',
  'Birgit',
  'Sven',
  'Anja',
  'Björn',
  'Sandra',
  'Marco',
  'Jessica',
  'Dennis',
  'Melanie',
  'Kevin',
  'Jana',
  'Moritz',
  'Greta',
  'Henrik',
  'Elke',
  'Günter',
  'Ingrid',
  'Rüdiger',
  'Lena',
  'Finn',
  'Charlotte',
  'Malte',
  'Friederike',
];
// Ruhr-area surnames include the Polish ones that miners' families brought a century ago.
const GERMAN_LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hartmann',
  'Lange',
  'Schmitz',
  'Werner',
  'Krause',
  'Meier',
  'Lehmann',
  'Köhler',
  'Hermann',
  'Walter',
  'König',
  'Peters',
  'Kaiser',
  'Fuchs',
  'Scholz',
  'Möller',
  'Brinkmann',
  'Overbeck',
  'Kowalski',
  'Schimanski',
  'Nowak',
  'Jankowski',
  'Przybylski',
  'Grabowski',
  'Wiesemann',
  'Tillmann',
];
const OTHER_ORIGINS: { first: readonly string[]; last: readonly string[]; english: number }[] = [
  {
    first: ['Ayşe', 'Mehmet', 'Elif', 'Emre', 'Zeynep', 'Can', 'Fatma', 'Murat'],
    last: ['Yılmaz', 'Kaya', 'Demir', 'Öztürk', 'Aydın', 'Çelik'],
    english: 0,
  },
  { first: ['Agnieszka', 'Piotr', 'Katarzyna', 'Tomasz'], last: ['Kowalczyk', 'Wójcik', 'Lewandowski', 'Zielińska'], english: 0.3 },
  { first: ['Giuseppe', 'Francesca', 'Luca', 'Giulia'], last: ['Rossi', 'Esposito', 'Romano', 'Colombo'], english: 0.2 },
  { first: ['Dimitrios', 'Eleni', 'Georgios', 'Sofia'], last: ['Papadopoulos', 'Georgiou', 'Nikolaidis'], english: 0.2 },
  { first: ['Ahmad', 'Fatima', 'Omar', 'Rania'], last: ['Al-Hassan', 'Haddad', 'Khalil', 'Mansour'], english: 0.5 },
  { first: ['Olena', 'Oleksandr', 'Iryna', 'Andrii'], last: ['Kovalenko', 'Bondarenko', 'Shevchenko'], english: 0.6 },
  { first: ['Priya', 'Arjun', 'Ananya'], last: ['Sharma', 'Iyer', 'Patel'], english: 0.9 },
];

type Citizen = { name: string; email: string | null; phone: string | null; language: Language };

/** 'Jürgen Schäfer' -> 'juergen.schaefer': the way people really spell umlauts in addresses. */
function mailbox(first: string, last: string): string {
  const ascii = (s: string) =>
    s
      .toLowerCase()
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss')
      .replace(/ı/g, 'i')
      .replace(/ł/g, 'l')
      .normalize('NFD')
      .replace(/[^a-z0-9-]/g, '');
  return `${ascii(first)}.${ascii(last)}`;
}

function createCitizens(random: Random): () => Citizen {
  const usedMailboxes = new Map<string, number>();
  const usedPhones = new Set<string>();
  // Bundesnetzagentur drama numbers (Köln 0221 4710 xxx, Berlin 030 23125 xxx): never assigned to anyone.
  const phone = (): string => {
    for (;;) {
      const number = `${random() < 0.6 ? '0221 4710' : '030 23125'}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
      if (!usedPhones.has(number)) {
        usedPhones.add(number);
        return number;
      }
    }
  };
  return () => {
    const foreign = random() < 0.2;
    const origin = foreign ? pick(random, OTHER_ORIGINS) : null;
    const first = pick(random, origin?.first ?? GERMAN_FIRST);
    const last = pick(random, origin?.last ?? GERMAN_LAST);
    const language: Language = origin && random() < origin.english ? 'en' : 'de';
    const box = mailbox(first, last);
    const seen = (usedMailboxes.get(box) ?? 0) + 1;
    usedMailboxes.set(box, seen);
    const address = `${box}${seen > 1 ? seen : ''}@${random() < 0.75 ? 'example.org' : 'example.com'}`;
    // Many who book by phone leave only a number; some leave both.
    const contact = random();
    if (contact < 0.2) return { name: `${first} ${last}`, email: null, phone: phone(), language };
    if (contact < 0.35) return { name: `${first} ${last}`, email: address, phone: phone(), language };
    return { name: `${first} ${last}`, email: address, phone: null, language };
  };
}

// --- the Thursday ---------------------------------------------------------------------------

type Booking = { services: RequestedService[]; citizen: Citizen };
const one = (serviceId: ServiceId, persons = 1): RequestedService => ({ serviceId, persons });

/**
 * The Thursday's mix, as fixed counts rather than draws so the day's total is known: phone staff
 * may book 4 of the 5 seats per unit (20 % is held back for the same morning), i.e. 408 seat-units
 * from 08:00 to 12:30 and 14:00 to 18:00. This mix needs 388 of them for 170 appointments, so the
 * day is booked out for phone and web, and the held-back seats remain for "tagesaktuell".
 */
const THURSDAY_MIX: { count: number; services: RequestedService[] }[] = [
  { count: 28, services: [one('personalausweis')] },
  { count: 2, services: [one('personalausweis', 2)] },
  { count: 6, services: [one('reisepass')] },
  { count: 1, services: [one('personalausweis'), one('reisepass')] },
  { count: 14, services: [one('wohnsitz')] },
  { count: 2, services: [one('wohnsitz', 2)] },
  { count: 2, services: [one('wohnsitz'), one('meldebescheinigung')] },
  { count: 14, services: [one('meldebescheinigung')] },
  { count: 16, services: [one('beglaubigung')] },
  { count: 14, services: [one('fuehrungszeugnis')] },
  { count: 66, services: [one('abholung')] },
  { count: 5, services: [one('abholung', 2)] },
];

const DURATION = new Map(SERVICES.map((s) => [s.id as string, s.duration_minutes]));
const unitsOf = (services: readonly RequestedService[]): number =>
  appointmentUnits(services.map((s) => ({ durationMinutes: DURATION.get(s.serviceId)!, persons: s.persons })));

function thursdayBookings(random: Random, citizen: () => Citizen): Booking[] {
  const bookings = THURSDAY_MIX.flatMap(({ count, services }) => Array.from({ length: count }, () => ({ services, citizen: citizen() })));
  // Long appointments first, each at a random free start: short ones then fill the gaps they leave,
  // so the day fills up without the holes a purely random order would strand.
  return bookings
    .map((booking) => ({ booking, order: random() }))
    .sort((a, b) => unitsOf(b.booking.services) - unitsOf(a.booking.services) || a.order - b.order)
    .map(({ booking }) => booking);
}

/** A few appointments elsewhere in the week, so the other days and Nord are not empty. */
const OTHER_DAYS: { officeId: string; services: RequestedService[] }[] = [
  { officeId: 'rathaus', services: [one('reisepass')] },
  { officeId: 'nord', services: [one('wohnsitz', 3)] },
  { officeId: 'nord', services: [one('abholung')] },
];

// --- seeding --------------------------------------------------------------------------------

export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('office').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Loads Musterstadt into an empty database. Refuses (DemoSeedRefusedError) when any office exists,
 * so a second start, or a second process starting at the same moment, never doubles the demo.
 * Run it before the outbox worker starts: the seeded confirmation mails exist for a moment.
 */
export async function seedDemo(ctx: AppContext, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  if (!(await isDatabaseEmpty(ctx.db))) throw new DemoSeedRefusedError();
  const random = createPrng(PRNG_SEED);
  const citizen = createCitizens(random);
  const today = localPlainDate(ctx.now(), TIME_ZONE);
  const exceptions = yearEndExceptions(today);
  const thursday = demoThursday(today, exceptions);
  const bookings = thursdayBookings(random, citizen);

  const total = 3 + bookings.length + OTHER_DAYS.length;
  let done = 0;
  const progress = (label: string, step = 1) => {
    done += step;
    options.onProgress?.(done, total, label);
  };

  await inTransaction(ctx.db, async (trx) => {
    // A seed that committed since the first check is caught here; one running at the very same
    // moment makes this transaction fail on office's primary key and roll back whole.
    if ((await trx.selectFrom('office').select('id').limit(1).executeTakeFirst()) !== undefined) throw new DemoSeedRefusedError();
    for (const office of OFFICES) {
      const { counters, ...row } = office;
      await trx
        .insertInto('office')
        .values({ ...row, time_zone: TIME_ZONE, holiday_region: HOLIDAY_REGION })
        .execute();
      await trx
        .insertInto('counter')
        .values(Array.from({ length: counters }, (_, i) => ({ office_id: office.id, number: i + 1, name: `Schalter ${i + 1}` })))
        .execute();
    }
    await trx.insertInto('service').values(SERVICES).execute();
    // Nord offers everything too: both have the capture stations for ID cards and passports,
    // and a citizen searching any service should see both offices.
    await trx
      .insertInto('office_service')
      .values(OFFICES.flatMap((o) => SERVICES.map((s) => ({ office_id: o.id, service_id: s.id }))))
      .execute();
    await trx
      .insertInto('staffing_rule')
      .values([...RATHAUS_RULES.map((r) => ({ ...r, office_id: 'rathaus' })), ...NORD_RULES.map((r) => ({ ...r, office_id: 'nord' }))])
      .execute();
    await trx.insertInto('staffing_exception').values(exceptions).execute();
    await trx
      .insertInto('release_policy')
      .values(
        OFFICES.map((o) => ({
          office_id: o.id,
          release_weekday: RELEASE_POLICY.releaseWeekday,
          release_time: RELEASE_POLICY.releaseTime,
          horizon_days: RELEASE_POLICY.horizonDays,
          same_day_share: RELEASE_POLICY.sameDayShare,
          same_day_release_time: RELEASE_POLICY.sameDayReleaseTime,
          phone_share: RELEASE_POLICY.phoneShare,
          min_lead_minutes: RELEASE_POLICY.minLeadMinutes,
        })),
      )
      .execute();
  });
  progress('Offices, services and staffing plan');

  const daysToThursday = thursday.since(today).days;
  await materializeCapacity(ctx, { days: Math.max(ctx.settings.capacityDays, daysToThursday + 1) });
  progress('Capacity');

  const bookedIds: string[] = [];
  const widened = await widenHorizonFor(ctx, thursday);
  try {
    for (const [i, booking] of bookings.entries()) {
      const slots = await searchAvailability(ctx, {
        services: booking.services,
        officeId: 'rathaus',
        from: thursday.toString(),
        to: thursday.toString(),
        channel: 'phone',
        limit: 500,
      });
      const id = slots.length > 0 ? await book(ctx, 'rathaus', pick(random, slots).start, booking) : null;
      if (id) bookedIds.push(id);
      const last = i === bookings.length - 1;
      if ((i + 1) % 10 === 0 || last) progress(`Appointments on ${thursday.toString()}`, (i % 10) + 1);
    }
    for (const other of OTHER_DAYS) {
      const slots = (
        await searchAvailability(ctx, {
          services: other.services,
          officeId: other.officeId,
          from: today.add({ days: 1 }).toString(),
          to: today.add({ days: 7 }).toString(),
          channel: 'phone',
          limit: 500,
        })
      ).filter((slot) => !localPlainDate(slot.start, TIME_ZONE).equals(thursday));
      const id =
        slots.length > 0
          ? await book(ctx, other.officeId, pick(random, slots.slice(0, 40)).start, { services: other.services, citizen: citizen() })
          : null;
      if (id) bookedIds.push(id);
      progress('Appointments on other days');
    }
  } finally {
    if (widened) await setHorizon(ctx, RELEASE_POLICY.horizonDays);
  }

  // bookAppointment queues a confirmation mail for every booking with an address and offers no
  // way to skip it; demo citizens must never be mailed, so their messages go in one statement.
  if (bookedIds.length > 0) {
    await ctx.db
      .deleteFrom('outbox')
      .where(sql<string>`split_part(dedupe_key, ':', 2)`, 'in', bookedIds)
      .execute();
  }
  progress('Done');
  return { offices: OFFICES.length, services: SERVICES.length, appointments: bookedIds.length, thursday: thursday.toString() };
}

async function book(ctx: AppContext, officeId: string, start: number, booking: Booking): Promise<string | null> {
  try {
    const { appointment } = await bookAppointment(ctx, {
      officeId,
      start,
      services: booking.services,
      citizen: { name: booking.citizen.name, email: booking.citizen.email, phone: booking.citizen.phone },
      language: booking.citizen.language,
      channel: 'phone',
      source: 'phone',
      actor: ACTOR,
    });
    return appointment.id;
  } catch (error) {
    // Someone real may take the seat between search and booking; the demo then simply has one fewer.
    if (error instanceof DomainError && error.code === 'slot_unavailable') return null;
    throw error;
  }
}

/**
 * Seen from Thursday to Sunday, a holiday Thursday (Ascension, Corpus Christi) or the Christmas
 * week pushes the demo day past the released weeks, where even staff cannot book. The horizon is
 * widened just for seeding and put back afterwards; returns whether it was.
 */
async function widenHorizonFor(ctx: AppContext, day: Temporal.PlainDate): Promise<boolean> {
  const [, dayEnd] = localDayBounds(day, TIME_ZONE);
  const reaches = (horizonDays: number) =>
    seatRule({ policy: { ...RELEASE_POLICY, horizonDays }, timeZone: TIME_ZONE, now: ctx.now(), channel: 'phone' }).latestStartExclusive >=
    dayEnd;
  let horizonDays = RELEASE_POLICY.horizonDays;
  if (reaches(horizonDays)) return false;
  while (!reaches(horizonDays)) horizonDays += 1;
  await setHorizon(ctx, horizonDays);
  return true;
}

async function setHorizon(ctx: AppContext, horizonDays: number): Promise<void> {
  await ctx.db.updateTable('release_policy').set({ horizon_days: horizonDays }).execute();
}
