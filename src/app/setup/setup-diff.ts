// What a new town file changes (#21): the row sets of the current and the new set-up compared
// table by table, named in words a clerk reviews before applying (German) with English alongside.
// Pure. Rows are compared by their values, so the same set-up written differently is no change.
import { formatDate } from '../messaging/appointment-messages.ts';
import {
  canonicalJson,
  type CounterRow,
  type MunicipalityRow,
  type OfficeRow,
  type ServiceRow,
  type StaffingExceptionRow,
  type StaffingRuleRow,
  type TownRows,
} from './town-rows.ts';

export type SetupChangeAction = 'created' | 'changed' | 'removed';
export type SetupChangeSubject = 'municipality' | 'service' | 'office' | 'office_services' | 'counter' | 'hours' | 'exception' | 'rules';

export type SetupChange = {
  action: SetupChangeAction;
  subject: SetupChangeSubject;
  /** The office it belongs to; null for the municipality and services. */
  officeId: string | null;
  /** The office, service, counter number, or the line of hours / exception it names. */
  id: string;
  de: string;
  en: string;
};

const DAYS_DE = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];
const DAYS_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Column names a clerk understands, for "changed: …". */
export const FIELD_DE: Record<string, string> = {
  name: 'Name',
  name_de: 'Name',
  name_en: 'Name (englisch)',
  site_title: 'Seitentitel',
  mail_from: 'Absender',
  phone: 'Telefon',
  email: 'E-Mail',
  address: 'Anschrift',
  imprint_url: 'Impressum',
  privacy_url: 'Datenschutz',
  accessibility_url: 'Barrierefreiheit',
  sign_language_video_url: 'Video in Gebärdensprache',
  default_language: 'Sprache',
  holiday_region: 'Feiertagsregion',
  closed_days: 'Schließtage',
  site_url: 'Terminseite',
  host_names: 'weitere Hostnamen',
  retention_days: 'Aufbewahrung (Tage)',
  neighbours: 'Nachbarstädte',
  description_de: 'Beschreibung',
  description_en: 'Beschreibung (englisch)',
  duration_minutes: 'Dauer',
  duration_further_minutes: 'Dauer je weitere Person',
  fee_cents: 'Gebühr',
  fee_rules: 'Gebührenregeln',
  online_bookable: 'online buchbar',
  max_persons: 'Personen höchstens',
  documents_de: 'Unterlagen',
  documents_en: 'Unterlagen (englisch)',
  sort_order: 'Reihenfolge',
  directions_de: 'Anfahrt',
  directions_en: 'Anfahrt (englisch)',
  accessibility_de: 'Zugänglichkeit',
  accessibility_en: 'Zugänglichkeit (englisch)',
  public_transport_de: 'Bus und Bahn',
  public_transport_en: 'Bus und Bahn (englisch)',
  step_free_entrance: 'stufenloser Eingang',
  lift: 'Aufzug',
  accessible_toilet: 'barrierefreies WC',
  hearing_loop: 'Induktionsschleife',
  time_zone: 'Zeitzone',
  services: 'Dienstleistungen',
  release_weekday: 'Freigabetag',
  release_time: 'Freigabezeit',
  horizon_days: 'Buchungshorizont',
  same_day_share: 'Anteil tagesaktuell',
  same_day_release_time: 'Freigabe tagesaktuell',
  phone_share: 'Anteil Telefon',
  min_lead_minutes: 'Mindestvorlauf',
  walkin_quota: 'Wartenummern je Tag',
  walkin_minutes: 'Minuten je Spontankunde',
  checkin_early_minutes: 'Anmeldung früher',
  checkin_late_minutes: 'Anmeldung später',
  confirmation: 'Bestätigung',
  reminder_hours: 'Erinnerung',
  waiting_list_hold_minutes: 'Warteliste: Haltezeit',
  replacement_hold_hours: 'Ersatztermin: Haltezeit',
};

const key = canonicalJson;

function changedFields<T extends Record<string, unknown>>(before: T, after: T, ignore: readonly string[] = []): string[] {
  return Object.keys(after).filter((k) => !ignore.includes(k) && key(before[k]) !== key(after[k]));
}

const fieldsDe = (fields: string[]) => fields.map((f) => FIELD_DE[f] ?? f).join(', ');
const fieldsEn = (fields: string[]) => fields.join(', ');

/** Every difference between two set-ups; empty when they mean the same rows. */
export function diffSetup(current: TownRows, next: TownRows): SetupChange[] {
  const n = namesOf(current, next);
  const changes: SetupChange[] = [];
  const push = (c: SetupChange) => changes.push(c);

  // The municipality.
  if (next.municipality) {
    const before = current.municipality;
    if (!before || before.id !== next.municipality.id)
      push({
        action: 'created',
        subject: 'municipality',
        officeId: null,
        id: next.municipality.id,
        de: `Stadt „${next.municipality.name}“ neu eingerichtet`,
        en: `municipality "${next.municipality.name}" set up`,
      });
    else {
      const fields = changedFields(before, next.municipality, ['logo_file', 'logo_image']);
      if (fields.length)
        push({
          action: 'changed',
          subject: 'municipality',
          officeId: null,
          id: before.id,
          de: `Stadt „${next.municipality.name}“ geändert: ${fieldsDe(fields)}`,
          en: `municipality "${next.municipality.name}" changed: ${fieldsEn(fields)}`,
        });
      const logo = logoChange(before, next.municipality);
      if (logo) push({ action: 'changed', subject: 'municipality', officeId: null, id: before.id, ...logo });
    }
  }

  // Services, with their fee rules.
  const feeRulesOf = (rows: TownRows, id: string) =>
    rows.feeRules.filter((r) => r.service_id === id).sort((a, b) => a.position - b.position);
  for (const [id, before, after] of matchBy(current.services, next.services, (s) => s.id)) {
    if (!before) {
      push(entity('created', 'service', null, id, `Dienstleistung „${after!.name_de}“`, `service "${after!.name_en}"`));
      continue;
    }
    if (!after) {
      push(entity('removed', 'service', null, id, `Dienstleistung „${before.name_de}“`, `service "${before.name_en}"`));
      continue;
    }
    const fields = changedFields<ServiceRow>(before, after);
    if (key(feeRulesOf(current, id)) !== key(feeRulesOf(next, id))) fields.push('fee_rules');
    if (fields.length)
      push({
        action: 'changed',
        subject: 'service',
        officeId: null,
        id,
        de: `Dienstleistung „${after.name_de}“ geändert: ${fieldsDe(fields)}`,
        en: `service "${after.name_en}" changed: ${fieldsEn(fields)}`,
      });
  }

  // Offices and what belongs to each.
  for (const [officeId, before, after] of matchBy(current.offices, next.offices, (o) => o.id)) {
    if (!before) {
      push(entity('created', 'office', officeId, officeId, `Standort „${after!.name}“`, `office "${after!.name}"`));
      continue;
    }
    if (!after) {
      push(entity('removed', 'office', officeId, officeId, `Standort „${before.name}“`, `office "${before.name}"`));
      continue;
    }
    const fields = changedFields<OfficeRow>(before, after);
    if (fields.length)
      push({
        action: 'changed',
        subject: 'office',
        officeId,
        id: officeId,
        de: `Standort „${after.name}“ geändert: ${fieldsDe(fields)}`,
        en: `office "${after.name}" changed: ${fieldsEn(fields)}`,
      });
    changes.push(...officeParts(officeId, current, next, n));
  }
  return changes;
}

/** The logo on a line of its own: the file name may stay while the image changes. */
function logoChange(before: MunicipalityRow, after: MunicipalityRow): { de: string; en: string } | null {
  if (before.logo_file === after.logo_file && before.logo_image === after.logo_image) return null;
  if (after.logo_file === null) return { de: 'Logo entfernt', en: 'logo removed' };
  if (before.logo_file === null) return { de: `Logo neu: „${after.logo_file}“`, en: `logo added: "${after.logo_file}"` };
  if (before.logo_file !== after.logo_file)
    return {
      de: `Logo geändert: „${after.logo_file}“ statt „${before.logo_file}“`,
      en: `logo changed: "${after.logo_file}" instead of "${before.logo_file}"`,
    };
  return { de: `Logo geändert: neues Bild in „${after.logo_file}“`, en: `logo changed: a new image in "${after.logo_file}"` };
}

function officeParts(officeId: string, current: TownRows, next: TownRows, n: Names): SetupChange[] {
  const changes: SetupChange[] = [];
  const office = n.office(officeId);
  const own = <T extends { office_id: string }>(rows: T[]) => rows.filter((r) => r.office_id === officeId);

  const offeredBefore = new Set(own(current.officeServices).map((s) => s.service_id));
  const offeredAfter = new Set(own(next.officeServices).map((s) => s.service_id));
  const added = [...offeredAfter].filter((s) => !offeredBefore.has(s));
  const dropped = [...offeredBefore].filter((s) => !offeredAfter.has(s));
  if (added.length || dropped.length) {
    const list = (lang: 'de' | 'en') =>
      [...added.map((s) => `+ ${n.service(s, lang)}`), ...dropped.map((s) => `− ${n.service(s, lang)}`)].join(', ');
    changes.push({
      action: 'changed',
      subject: 'office_services',
      officeId,
      id: officeId,
      de: `Standort „${office}“: Dienstleistungen ${list('de')}`,
      en: `office "${office}": services ${list('en')}`,
    });
  }

  const servedBy = (rows: TownRows, n: number) =>
    rows.counterServices
      .filter((s) => s.office_id === officeId && s.counter_number === n)
      .map((s) => s.service_id)
      .sort();
  for (const [number, before, after] of matchBy(own(current.counters), own(next.counters), (c: CounterRow) => String(c.number))) {
    const name = (after ?? before)!.name;
    if (!before || !after) {
      changes.push(
        entity(
          before ? 'removed' : 'created',
          'counter',
          officeId,
          number,
          `Standort „${office}“: ${name} (Nr. ${number})`,
          `office "${office}": counter ${number} ("${name}")`,
        ),
      );
      continue;
    }
    const fields = changedFields(before, after);
    if (key(servedBy(current, before.number)) !== key(servedBy(next, after.number))) fields.push('services');
    if (fields.length)
      changes.push({
        action: 'changed',
        subject: 'counter',
        officeId,
        id: number,
        de: `Standort „${office}“: Schalter ${number} geändert: ${fieldsDe(fields)}`,
        en: `office "${office}": counter ${number} changed: ${fieldsEn(fields)}`,
      });
  }

  const hours = multisetDiff(own(current.staffingRules), own(next.staffingRules), hoursKey);
  for (const [action, rows] of [
    ['removed', hours.removed],
    ['created', hours.created],
  ] as const) {
    for (const line of groupHours(rows)) {
      changes.push({
        action,
        subject: 'hours',
        officeId,
        id: line.en,
        de: `Standort „${office}“: Öffnungszeit ${action === 'created' ? 'neu' : 'entfällt'}: ${line.de}`,
        en: `office "${office}": opening hours ${action === 'created' ? 'added' : 'removed'}: ${line.en}`,
      });
    }
  }

  const exceptions = multisetDiff(own(current.staffingExceptions), own(next.staffingExceptions), (x) => key(x));
  for (const [action, rows] of [
    ['removed', exceptions.removed],
    ['created', exceptions.created],
  ] as const) {
    for (const x of rows) {
      const text = exceptionText(x);
      changes.push({
        action,
        subject: 'exception',
        officeId,
        id: text.en,
        de: `Standort „${office}“: Ausnahme ${action === 'created' ? 'neu' : 'entfällt'}: ${text.de}`,
        en: `office "${office}": exception ${action === 'created' ? 'added' : 'removed'}: ${text.en}`,
      });
    }
  }

  const ruleFields = [
    ...changedFields(own(current.releasePolicies)[0] ?? {}, own(next.releasePolicies)[0] ?? {}),
    ...changedFields(own(current.queueSettings)[0] ?? {}, own(next.queueSettings)[0] ?? {}),
    ...changedFields(own(current.officeSettings)[0] ?? {}, own(next.officeSettings)[0] ?? {}),
  ];
  if (ruleFields.length)
    changes.push({
      action: 'changed',
      subject: 'rules',
      officeId,
      id: officeId,
      de: `Standort „${office}“: Regeln geändert: ${fieldsDe(ruleFields)}`,
      en: `office "${office}": rules changed: ${fieldsEn(ruleFields)}`,
    });
  return changes;
}

function entity(
  action: SetupChangeAction,
  subject: SetupChangeSubject,
  officeId: string | null,
  id: string,
  de: string,
  en: string,
): SetupChange {
  const verbDe = { created: 'neu', changed: 'geändert', removed: 'entfernt' }[action];
  const verbEn = { created: 'created', changed: 'changed', removed: 'removed' }[action];
  return { action, subject, officeId, id, de: `${de} ${verbDe}`, en: `${en} ${verbEn}` };
}

/** Pairs of rows with the same key: [key, before, after], before or after missing for new or removed ones. */
function matchBy<T>(before: readonly T[], after: readonly T[], keyOf: (row: T) => string): [string, T | undefined, T | undefined][] {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const pairs: [string, T | undefined, T | undefined][] = after.map((r) => [keyOf(r), old.get(keyOf(r)), r]);
  const seen = new Set(after.map(keyOf));
  for (const r of before) if (!seen.has(keyOf(r))) pairs.push([keyOf(r), r, undefined]);
  return pairs;
}

/** Rows without a key of their own (staffing lines, exceptions): what is only on one side. */
export function multisetDiff<T>(before: readonly T[], after: readonly T[], keyOf: (row: T) => string): { removed: T[]; created: T[] } {
  const count = new Map<string, number>();
  for (const r of before) count.set(keyOf(r), (count.get(keyOf(r)) ?? 0) + 1);
  const created: T[] = [];
  for (const r of after) {
    const n = count.get(keyOf(r)) ?? 0;
    if (n > 0) count.set(keyOf(r), n - 1);
    else created.push(r);
  }
  const removed: T[] = [];
  for (const r of before) {
    const n = count.get(keyOf(r)) ?? 0;
    if (n > 0) {
      count.set(keyOf(r), n - 1);
      removed.push(r);
    }
  }
  return { removed, created };
}

const hoursKey = (r: StaffingRuleRow) => key(r);

/** Staffing rows of one side as lines (weekdays together), e.g. „Mo, Di 08:00–12:30, 5 Termin- und 1 Spontanschalter“. */
function groupHours(rows: StaffingRuleRow[]): { de: string; en: string }[] {
  const lines = new Map<string, StaffingRuleRow[]>();
  for (const r of rows) {
    const k = key({ ...r, weekday: 0 });
    lines.set(k, [...(lines.get(k) ?? []), r]);
  }
  return [...lines.values()].map((group) => {
    const r = group[0]!;
    const days = [...new Set(group.map((g) => g.weekday))].sort((a, b) => a - b);
    const repeatDe = r.every_weeks > 1 ? `, alle ${r.every_weeks} Wochen ab ${day(r.starting_from, 'de')}` : '';
    const repeatEn = r.every_weeks > 1 ? `, every ${r.every_weeks} weeks from ${day(r.starting_from, 'en')}` : '';
    const validDe = r.valid_from || r.valid_to ? `, gültig ${day(r.valid_from, 'de')} bis ${day(r.valid_to, 'de')}` : '';
    const validEn = r.valid_from || r.valid_to ? `, valid ${day(r.valid_from, 'en')} to ${day(r.valid_to, 'en')}` : '';
    return {
      de: `${days.map((d) => DAYS_DE[d - 1]).join(', ')} ${r.start_time}–${r.end_time}, ${r.appointment_counters} Termin- und ${r.walkin_counters} Spontanschalter${repeatDe}${validDe}`,
      en: `${days.map((d) => DAYS_EN[d - 1]).join(', ')} ${r.start_time}–${r.end_time}, ${r.appointment_counters} appointment and ${r.walkin_counters} walk-in counters${repeatEn}${validEn}`,
    };
  });
}

function exceptionText(x: StaffingExceptionRow): { de: string; en: string } {
  const dates = x.end_date ? `${day(x.date, 'de')} bis ${day(x.end_date, 'de')}` : day(x.date, 'de');
  const datesEn = x.end_date ? `${day(x.date, 'en')} to ${day(x.end_date, 'en')}` : day(x.date, 'en');
  const time = x.start_time ? ` ${x.start_time}–${x.end_time}` : '';
  const what =
    x.appointment_counters === 0
      ? { de: 'geschlossen', en: 'closed' }
      : { de: `${x.appointment_counters} Terminschalter`, en: `${x.appointment_counters} appointment counters` };
  return { de: `${dates}${time}, ${what.de} (${x.reason})`, en: `${datesEn}${time}, ${what.en} (${x.reason})` };
}

type Names = { office: (id: string) => string; service: (id: string, lang: 'de' | 'en') => string };

/** Offices and services by name, as the new set-up calls them (or the old one, for what it removes): no ids in the texts. */
function namesOf(current: TownRows, next: TownRows): Names {
  const offices = new Map([...current.offices, ...next.offices].map((o) => [o.id, o.name]));
  const services = new Map([...current.services, ...next.services].map((s) => [s.id, s]));
  return {
    office: (id) => offices.get(id) ?? id,
    service: (id, lang) => {
      const service = services.get(id);
      return service ? (lang === 'de' ? service.name_de : service.name_en) : id;
    },
  };
}

/** A calendar date of the plan as people read it („Di., 12.01.2027“); '…' for an open end. */
function day(date: string | null, lang: 'de' | 'en'): string {
  return date ? formatDate(new Date(`${date}T12:00:00Z`), 'UTC', lang) : '…';
}
