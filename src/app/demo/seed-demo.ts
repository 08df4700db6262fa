// Demo data for the fictional town of Musterstadt, loaded on first start. It re-enacts the story
// behind Schalter: a long Thursday at the Bürgerbüro with about 170 booked citizens, so closing
// that day shows at once what a data-centre failure costs and how Schalter handles it.
import { formatDate } from '../messaging/appointment-messages.ts';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { IsoDate, ReleasePolicy } from '../../domain/capacity-types.ts';
import { appointmentUnits } from '../../domain/duration.ts';
import { DomainError } from '../../domain/errors.ts';
import { isPublicHoliday } from '../../domain/holidays.ts';
import { seatRule } from '../../domain/release.ts';
import type { DB, Language } from '../../db/schema.ts';
import { exampleFile } from '../../web-dir.ts';
import { searchAvailability } from '../booking/search-availability.ts';
import { bookAppointment } from '../booking/book-appointment.ts';
import { materializeCapacity } from '../booking/materialize-capacity.ts';
import { applySetup } from '../setup/apply-town-file.ts';
import { checkTownFile } from '../setup/town-file.ts';
import { WEEKDAY_KEYS, type TownFile } from '../setup/town-file-schema.ts';
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

type ServiceId = 'personalausweis' | 'reisepass' | 'wohnsitz' | 'meldebescheinigung' | 'beglaubigung' | 'fuehrungszeugnis' | 'abholung';

/**
 * The demo town is examples/musterstadt.yaml (#21: "the demo becomes a town file"), read through the
 * one reader like any town. Heiligabend and Silvester are not public holidays ('bank' days), so the
 * office decides them itself: the file writes them for 2026 and 2027, and a demo started in a later
 * year gets the coming ones added, so it still shows them.
 */
export function demoTown(today: Temporal.PlainDate): TownFile {
  const { town, problems } = checkTownFile(fs.readFileSync(exampleFile('musterstadt.yaml'), 'utf8'));
  if (!town) throw new Error(`examples/musterstadt.yaml: ${problems.map((p) => `${p.path}: ${p.en}`).join('; ')}`);
  const rathaus = town.offices.find((o) => o.id === 'rathaus')!;
  const coming = (month: number, day: number): IsoDate => {
    const thisYear = Temporal.PlainDate.from({ year: today.year, month, day });
    return (Temporal.PlainDate.compare(thisYear, today) >= 0 ? thisYear : thisYear.add({ years: 1 })).toString();
  };
  const christmasEve = coming(12, 24);
  const newYearsEve = coming(12, 31);
  if (!rathaus.exceptions.some((x) => x.date === christmasEve))
    rathaus.exceptions.push(
      { date: christmasEve, appointmentCounters: 3, reason: 'Heiligabend: reduzierte Besetzung' },
      { date: christmasEve, from: '12:00', to: '18:00', appointmentCounters: 0, reason: 'Heiligabend: ab 12 Uhr geschlossen' },
    );
  if (!rathaus.exceptions.some((x) => x.date === newYearsEve))
    rathaus.exceptions.push({
      date: newYearsEve,
      from: '12:00',
      to: '18:00',
      appointmentCounters: 0,
      reason: 'Silvester: ab 12 Uhr geschlossen',
    });
  return town;
}

/** The release rules of the demo's offices (both the same, `rules: *rules` in the file). */
function releasePolicyOf(town: TownFile): ReleasePolicy {
  const rules = town.offices[0]!.rules;
  return {
    releaseWeekday: (WEEKDAY_KEYS.indexOf(rules.release.weekday) + 1) as ReleasePolicy['releaseWeekday'],
    releaseTime: rules.release.time,
    horizonDays: rules.release.horizonDays,
    sameDayShare: rules.sameDayShare,
    sameDayReleaseTime: rules.sameDayReleaseTime,
    phoneShare: rules.phoneShare,
    minLeadMinutes: rules.minLeadMinutes,
  };
}

/**
 * The next Thursday strictly after today that runs on the ordinary plan: a holiday has no
 * capacity, and a date with a staffing exception cannot hold a full day either.
 */
function demoThursday(today: Temporal.PlainDate, exceptions: readonly { date: string }[]): Temporal.PlainDate {
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

function thursdayBookings(random: Random, citizen: () => Citizen, town: TownFile): Booking[] {
  const duration = new Map(town.services.map((s) => [s.id, s.minutes]));
  const unitsOf = (services: readonly RequestedService[]): number =>
    appointmentUnits(
      services.map((s) => ({
        durationMinutes: duration.get(s.serviceId)!.first,
        furtherMinutes: duration.get(s.serviceId)!.further,
        persons: s.persons,
      })),
    );
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
  const town = demoTown(today);
  const policy = releasePolicyOf(town);
  const thursday = demoThursday(today, town.offices.find((o) => o.id === 'rathaus')!.exceptions);
  const bookings = thursdayBookings(random, citizen, town);

  const total = 3 + bookings.length + OTHER_DAYS.length;
  let done = 0;
  const progress = (label: string, step = 1) => {
    done += step;
    options.onProgress?.(done, total, label);
  };

  // Loaded as any town is (setup apply). A seed that committed since the first check, or one running
  // at the very same moment, leaves this one nothing to change: then it refuses rather than book twice.
  const logo = town.municipality.logo ? new Uint8Array(fs.readFileSync(exampleFile(town.municipality.logo))) : undefined;
  const applied = await applySetup(ctx, town, { actor: ACTOR, logo });
  if (!applied.applied) throw new DemoSeedRefusedError();
  progress('Standorte, Dienstleistungen und Besetzung / offices, services and staffing');

  const daysToThursday = thursday.since(today).days;
  await materializeCapacity(ctx, { days: Math.max(ctx.settings.capacityDays, daysToThursday + 1) });
  progress('Kapazität / capacity');

  const bookedIds: string[] = [];
  const thursdayText = formatDate(new Date(`${thursday.toString()}T12:00:00Z`), 'UTC', 'de');
  const widened = await widenHorizonFor(ctx, thursday, policy);
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
      if ((i + 1) % 10 === 0 || last) progress(`Termine am ${thursdayText} / appointments on that day`, (i % 10) + 1);
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
      progress('Termine an anderen Tagen / appointments on other days');
    }
  } finally {
    if (widened) await setHorizon(ctx, policy.horizonDays);
  }

  // bookAppointment queues a confirmation mail for every booking with an address and offers no
  // way to skip it; demo citizens must never be mailed, so their messages go in one statement.
  if (bookedIds.length > 0) {
    await ctx.db
      .deleteFrom('outbox')
      .where(sql<string>`split_part(dedupe_key, ':', 2)`, 'in', bookedIds)
      .execute();
  }
  progress('fertig / done');
  return { offices: town.offices.length, services: town.services.length, appointments: bookedIds.length, thursday: thursday.toString() };
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
async function widenHorizonFor(ctx: AppContext, day: Temporal.PlainDate, policy: ReleasePolicy): Promise<boolean> {
  const [, dayEnd] = localDayBounds(day, TIME_ZONE);
  const reaches = (horizonDays: number) =>
    seatRule({ policy: { ...policy, horizonDays }, timeZone: TIME_ZONE, now: ctx.now(), channel: 'phone' }).latestStartExclusive >= dayEnd;
  let horizonDays = policy.horizonDays;
  if (reaches(horizonDays)) return false;
  while (!reaches(horizonDays)) horizonDays += 1;
  await setHorizon(ctx, horizonDays);
  return true;
}

async function setHorizon(ctx: AppContext, horizonDays: number): Promise<void> {
  await ctx.db.updateTable('release_policy').set({ horizon_days: horizonDays }).execute();
}
