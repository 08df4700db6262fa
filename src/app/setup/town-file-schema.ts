// The town file (#21, docs/decisions/0011-town-file.md): the one definition of a town's set-up.
// `schalter setup schema` prints it as JSON Schema for editors; `setup check` reads files with it.
// Keys named in the issue are a contract that outside tools write: rename none of them.
// Every `error: '…'` names an entry of town-file-messages.ts, where the German and English texts live.
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar-text.ts';
import { readClosedDay } from '../../domain/closed-days.ts';
import { isEmailAddress, isPhoneNumber } from '../../domain/contact.ts';
import { isPublicHoliday } from '../../domain/holidays.ts';

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** The longest release horizon: beyond it nobody can plan staff, and capacity is laid out 120 days ahead. */
export const MAX_HORIZON_DAYS = 90;

const ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// 'Bürgerbüro <bb@stadt.example>' or a bare address: the From: of every mail the town sends.
const MAIL_FROM = /^(?:[^<>\r\n]+ <([^<>\s]+)>|([^<>\s]+))$/;

const text = (max: number) => z.string().trim().min(1).max(max);
const id = (what: string) =>
  z
    .string({ error: 'id' })
    .regex(ID, { error: 'id' })
    .meta({ description: `Kennung ${what}: a–z, 0–9, Bindestrich (id)` });
const count = (max: number) => z.int().min(0).max(max);
const time = z
  .string({ error: 'time' })
  .regex(TIME, { error: 'time' })
  .meta({ description: 'Uhrzeit HH:MM, Ende auch 24:00 (time of day)' });
const clock = z.string({ error: 'clock' }).regex(CLOCK, { error: 'clock' }).meta({ description: 'Uhrzeit HH:MM (time of day)' });
const date = z
  .string({ error: 'date' })
  .regex(DATE, { error: 'date' })
  .refine(isIsoDate, { error: 'date', abort: true })
  .meta({ format: 'date', description: 'Datum JJJJ-MM-TT (date)' });
const share = z
  .number({ error: 'share' })
  .min(0, { error: 'share' })
  .lt(1, { error: 'share' })
  .meta({ description: 'Anteil von 0 bis unter 1, z. B. 0.2 = 20 % (share)' });
const url = z.url({ protocol: /^https?$/, error: 'url' });
const email = z.string({ error: 'email' }).refine(isEmailAddress, { error: 'email' });
const phone = z.string({ error: 'phone' }).refine(isPhoneNumber, { error: 'phone' });
// A host name as in a URL: labels of a–z, 0–9 and hyphens, dot-separated (no port, no scheme).
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const hostName = z
  .string({ error: 'hostName' })
  .regex(HOST, { error: 'hostName' })
  .meta({ description: 'Hostname ohne https:// und Pfad, z. B. termine.castrop-rauxel.de (host name)' });
const weekday = z.enum(WEEKDAY_KEYS, { error: 'weekday' });
const language = z.enum(['de', 'en'], { error: 'language' });

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function isHolidayRegion(region: string): boolean {
  try {
    isPublicHoliday('2026-01-01', region);
    return true;
  } catch {
    return false;
  }
}

const timeZone = z
  .string({ error: 'timeZone' })
  .refine(isTimeZone, { error: 'timeZone' })
  .meta({ description: 'Zeitzone, z. B. Europe/Berlin' });
const holidayRegion = z
  .string({ error: 'holidayRegion' })
  .refine(isHolidayRegion, { error: 'holidayRegion' })
  .meta({ description: 'Feiertage dieses Landes, z. B. DE-NW, DE-BY (holiday region)' });
const closedDay = z
  .string({ error: 'closedDay' })
  .refine((s) => readClosedDay(s) !== null, { error: 'closedDay' })
  .meta({ description: 'Schließtag: 2027-02-08, jährlich 12-24, rosenmontag, weiberfastnacht, heiligabend, silvester, ostern-48' });
const closedDays = z.array(closedDay);

/** Short texts in both languages: both are shown (German first, English alongside). */
const bilingual = (max: number) => z.strictObject({ de: text(max), en: text(max) });
/** Longer texts; without `en` the German text is shown to English readers too. */
const explained = z.strictObject({ de: text(2000), en: text(2000).optional() });

export const MunicipalitySchema = z.strictObject({
  id: id('der Stadt'),
  name: text(120),
  siteTitle: text(120).optional().meta({ description: 'Titel der Terminseiten; ohne Angabe der Name' }),
  logo: text(300).optional().meta({ description: 'Logodatei (SVG/PNG), relativ zur Stadtdatei' }),
  mailFrom: z.string({ error: 'mailFrom' }).regex(MAIL_FROM, { error: 'mailFrom' }).refine(isMailFrom, { error: 'mailFrom' }),
  phone: phone.optional(),
  imprintUrl: url,
  privacyUrl: url,
  accessibilityUrl: url.optional().meta({ description: 'Erklärung zur Barrierefreiheit mit Kontakt (BITV 2.0)' }),
  signLanguageVideoUrl: url.optional().meta({
    description:
      'Video in Deutscher Gebärdensprache (BITV 2.0 § 4) für /gebaerdensprache; ohne Angabe nennt die Seite den Weg mit Dolmetschung',
  }),
  defaultLanguage: language.default('de'),
  holidayRegion: holidayRegion.default('DE-NW'),
  closedDays: closedDays.default([]),
  // Issue #20 (a Kreis: several towns in one installation, decision 0014).
  siteUrl: url.optional().meta({
    description:
      'Terminseite der Stadt, z. B. https://termine.castrop-rauxel.de: Links in ihren E-Mails führen dorthin, ihr Host wählt die Stadt',
  }),
  hostNames: z.array(hostName).default([]).meta({ description: 'weitere Hostnamen derselben Terminseite' }),
  retentionDays: z
    .int()
    .min(1)
    .max(3650)
    .optional()
    .meta({ description: 'Tage, die personenbezogene Daten nach dem Termin bleiben; ohne Angabe SCHALTER_RETENTION_DAYS' }),
  neighbours: z
    .array(id('einer Nachbarstadt'))
    .default([])
    .meta({ description: 'Städte des Kreises, deren Standorte die Suche „beliebiger Standort“ mit anbietet' }),
});

const FeeRuleSchema = z.strictObject({
  label: bilingual(200),
  feeCents: count(1_000_000),
  ageBelow: z.int().min(1).max(120).optional().meta({ description: 'gilt für Antragstellende unter diesem Alter' }),
});

export const ServiceSchema = z.strictObject({
  id: id('der Dienstleistung'),
  name: bilingual(120),
  description: explained.optional(),
  minutes: z.strictObject({
    first: z.int().min(1).max(480),
    further: z.int().min(1).max(480).optional().meta({ description: 'jede weitere Person; ohne Angabe wie first' }),
  }),
  feeCents: count(1_000_000).optional().meta({ description: 'Gebühr in Cent; ohne Angabe gebührenfrei' }),
  feeRules: z.array(FeeRuleSchema).default([]),
  documents: z.strictObject({ de: z.array(text(300)).default([]), en: z.array(text(300)).default([]) }).prefault({}),
  online: z.boolean().default(true).meta({ description: 'false: nur telefonisch oder am Schalter buchbar' }),
  maxPersons: z.int().min(1).max(20).default(5),
});

export const CounterSchema = z.strictObject({
  number: z.int().min(1).max(999),
  name: text(60).optional().meta({ description: 'ohne Angabe „Schalter <number>“' }),
  services: z.array(id('der Dienstleistung')).optional().meta({ description: 'ohne Angabe alle des Standorts' }),
});

export const HoursSchema = z.strictObject({
  days: z.array(weekday).min(1),
  everyWeeks: z.int().min(1).max(52).default(1).meta({ description: 'jede n-te Woche, gezählt ab startingFrom' }),
  startingFrom: date.optional(),
  validFrom: date.optional(),
  validTo: date.optional(),
  from: time,
  to: time,
  appointmentCounters: count(99),
  walkinCounters: count(99).default(0),
});

export const ExceptionSchema = z.strictObject({
  date,
  until: date.optional().meta({ description: 'letzter Tag eines Zeitraums (einschließlich)' }),
  from: time.optional().meta({ description: 'ohne from/to gilt die Ausnahme den ganzen Tag' }),
  to: time.optional(),
  appointmentCounters: count(99).meta({ description: '0 schließt den Tag (oder die Zeit from–to)' }),
  walkinCounters: count(99).optional(),
  reason: text(200),
});

export const RulesSchema = z.strictObject({
  release: z
    .strictObject({
      weekday: weekday.default('mon'),
      time: clock.default('07:00'),
      horizonDays: z.int().min(1).max(MAX_HORIZON_DAYS).default(14),
    })
    .prefault({}),
  sameDayShare: share.default(0),
  sameDayReleaseTime: clock.default('07:00'),
  phoneShare: share.default(0),
  walkinQuota: count(10_000).optional().meta({ description: 'Wartenummern für Spontankunden je Tag; ohne Angabe aus den walkinCounters' }),
  walkinMinutes: z.int().min(1).max(240).default(15),
  minLeadMinutes: count(14 * 24 * 60).default(0),
  checkinEarlyMinutes: count(240).default(30),
  checkinLateMinutes: count(240).default(15),
  confirmation: z.enum(['email', 'none'], { error: 'confirmation' }).default('email'),
  reminderHours: z
    .int()
    .min(1)
    .max(7 * 24)
    .default(24),
  waitingListHoldMinutes: z
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(120),
  replacementHoldHours: z
    .int()
    .min(1)
    .max(14 * 24)
    .default(48),
});

/**
 * How the building can be reached (#24 item 4): the text, and four facts the office page lists. A
 * fact not written is not stated (the page says nothing), `false` a stated "no".
 */
const AccessibilitySchema = z.strictObject({
  de: text(2000).optional(),
  en: text(2000).optional(),
  stepFreeEntrance: z.boolean().optional().meta({ description: 'stufenloser Eingang (oder Rampe)' }),
  lift: z.boolean().optional().meta({ description: 'Aufzug zu den Räumen des Bürgerbüros' }),
  accessibleToilet: z.boolean().optional().meta({ description: 'barrierefreies WC' }),
  hearingLoop: z.boolean().optional().meta({ description: 'Induktionsschleife für Hörgeräte' }),
});

export const OfficeSchema = z.strictObject({
  id: id('des Standorts'),
  name: text(120),
  address: text(200),
  phone: phone.optional(),
  email: email.optional(),
  directions: explained.optional(),
  publicTransport: explained.optional().meta({ description: 'Bus und Bahn: Haltestellen und Linien' }),
  accessibility: AccessibilitySchema.optional(),
  timeZone: timeZone.default('Europe/Berlin'),
  holidayRegion: holidayRegion.optional().meta({ description: 'ersetzt die Angabe der Stadt' }),
  closedDays: closedDays.optional().meta({ description: 'ersetzt die Schließtage der Stadt' }),
  services: z.array(id('der Dienstleistung')).optional().meta({ description: 'ohne Angabe alle Dienstleistungen' }),
  counters: z.array(CounterSchema).min(1),
  hours: z.array(HoursSchema).min(1),
  exceptions: z.array(ExceptionSchema).default([]),
  rules: RulesSchema.prefault({}),
});

const version = z.literal(1, { error: 'version' }).default(1);
const townParts = {
  municipality: MunicipalitySchema,
  services: z.array(ServiceSchema).min(1),
  offices: z.array(OfficeSchema).min(1),
};

export const TownFileSchema = z
  .strictObject({ version, ...townParts })
  .meta({ title: 'Schalter: Stadtdatei / town file', description: 'docs/decisions/0011-town-file.md' });

/** One town of a Kreis file: a town file without `version` (the Kreis file has one for all). */
export const KreisTownSchema = z.strictObject(townParts);

/** Several towns of one installation (#20, decision 0014); applying it changes only the towns it names. */
export const KreisFileSchema = z
  .strictObject({ version, municipalities: z.array(KreisTownSchema).min(1) })
  .meta({ title: 'Schalter: Kreisdatei / Kreis file', description: 'docs/decisions/0011-town-file.md, 0014-kreis.md' });

/** The town as read: every default filled in. */
export type TownFile = z.output<typeof TownFileSchema>;
/** The town as written: what a file (or an outside tool) may leave out. */
export type TownFileInput = z.input<typeof TownFileSchema>;
export type KreisFileInput = z.input<typeof KreisFileSchema>;
export type Municipality = TownFile['municipality'];
export type TownService = TownFile['services'][number];
export type TownOffice = TownFile['offices'][number];
export type TownCounter = TownOffice['counters'][number];
export type TownHours = TownOffice['hours'][number];
export type TownException = TownOffice['exceptions'][number];

function isMailFrom(value: string): boolean {
  const match = MAIL_FROM.exec(value);
  return match !== null && isEmailAddress(match[1] ?? match[2] ?? '');
}

/** The JSON Schema of what may be written (defaults are not required): a town file or a Kreis file. */
export function townFileJsonSchema(): Record<string, unknown> {
  const either = z
    .union([TownFileSchema, KreisFileSchema])
    .meta({ title: 'Schalter: Stadtdatei oder Kreisdatei / town file or Kreis file', description: 'docs/decisions/0011-town-file.md' });
  return z.toJSONSchema(either, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
