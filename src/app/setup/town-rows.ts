// The town file as table rows (#21, docs/decisions/0011-town-file.md "How the file maps onto the
// tables"), and back. Pure: apply compares these row sets — not the text — so regrouped lines of
// hours or re-ordered keys are no change, and export writes what the rows mean with every default
// left out, so `apply(export())` changes nothing.
import { WEEKDAY_KEYS, RulesSchema, type TownFile, type TownFileInput } from './town-file-schema.ts';

export type MunicipalityRow = {
  id: string;
  name: string;
  site_title: string | null;
  logo_file: string | null;
  /** `image/svg+xml;sha256=…` of the stored image (town-logo.ts logoDigest), not a column: a new image under the same name is a change. */
  logo_image: string | null;
  mail_from: string;
  phone: string | null;
  imprint_url: string;
  privacy_url: string;
  accessibility_url: string | null;
  sign_language_video_url: string | null;
  default_language: 'de' | 'en';
  holiday_region: string;
  closed_days: string[];
  site_url: string | null;
  host_names: string[];
  retention_days: number | null;
  neighbours: string[];
};

export type ServiceRow = {
  id: string;
  municipality_id: string;
  name_de: string;
  name_en: string;
  description_de: string | null;
  description_en: string | null;
  duration_minutes: number;
  duration_further_minutes: number | null;
  fee_cents: number | null;
  online_bookable: boolean;
  max_persons: number;
  documents_de: string[];
  documents_en: string[];
  sort_order: number;
};

export type FeeRuleRow = {
  service_id: string;
  position: number;
  label_de: string;
  label_en: string;
  fee_cents: number;
  age_below: number | null;
};

export type OfficeRow = {
  id: string;
  municipality_id: string;
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  directions_de: string | null;
  directions_en: string | null;
  accessibility_de: string | null;
  accessibility_en: string | null;
  public_transport_de: string | null;
  public_transport_en: string | null;
  step_free_entrance: boolean | null;
  lift: boolean | null;
  accessible_toilet: boolean | null;
  hearing_loop: boolean | null;
  time_zone: string;
  /** Effective values: the office's own, or the municipality's. */
  holiday_region: string;
  closed_days: string[];
};

export type OfficeServiceRow = { office_id: string; service_id: string };
export type CounterRow = { office_id: string; number: number; name: string };
export type CounterServiceRow = { office_id: string; counter_number: number; service_id: string };

export type StaffingRuleRow = {
  office_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  appointment_counters: number;
  walkin_counters: number;
  every_weeks: number;
  starting_from: string | null;
  valid_from: string | null;
  valid_to: string | null;
};

export type StaffingExceptionRow = {
  office_id: string;
  date: string;
  end_date: string | null;
  start_time: string | null;
  end_time: string | null;
  appointment_counters: number;
  walkin_counters: number | null;
  reason: string;
};

export type ReleasePolicyRow = {
  office_id: string;
  release_weekday: number;
  release_time: string;
  horizon_days: number;
  same_day_share: number;
  same_day_release_time: string;
  phone_share: number;
  min_lead_minutes: number;
};

export type QueueSettingsRow = {
  office_id: string;
  walkin_quota: number | null;
  walkin_minutes: number;
  checkin_early_minutes: number;
  checkin_late_minutes: number;
};

export type OfficeSettingsRow = {
  office_id: string;
  confirmation: 'email' | 'none';
  reminder_hours: number;
  waiting_list_hold_minutes: number;
  replacement_hold_hours: number;
};

/** A town's set-up as the rows of every table apply writes. Offices and services are the ones in force (not retired). */
export type TownRows = {
  municipality: MunicipalityRow | null;
  services: ServiceRow[];
  feeRules: FeeRuleRow[];
  offices: OfficeRow[];
  officeServices: OfficeServiceRow[];
  counters: CounterRow[];
  counterServices: CounterServiceRow[];
  staffingRules: StaffingRuleRow[];
  staffingExceptions: StaffingExceptionRow[];
  releasePolicies: ReleasePolicyRow[];
  queueSettings: QueueSettingsRow[];
  officeSettings: OfficeSettingsRow[];
};

const weekdayNumber = (day: (typeof WEEKDAY_KEYS)[number]) => WEEKDAY_KEYS.indexOf(day) + 1;
const weekdayKey = (n: number) => WEEKDAY_KEYS[n - 1]!;
export const defaultCounterName = (n: number) => `Schalter ${n}`;

/** The rows a (checked) town file means. */
export function townToRows(town: TownFile): TownRows {
  const m = town.municipality;
  const allServices = town.services.map((s) => s.id);
  const rows: TownRows = {
    municipality: {
      id: m.id,
      name: m.name,
      site_title: m.siteTitle ?? null,
      logo_file: m.logo ?? null,
      // The file's bytes are not in the town document: the plan fills this in (plan-setup-change.ts).
      logo_image: null,
      mail_from: m.mailFrom,
      phone: m.phone ?? null,
      imprint_url: m.imprintUrl,
      privacy_url: m.privacyUrl,
      accessibility_url: m.accessibilityUrl ?? null,
      sign_language_video_url: m.signLanguageVideoUrl ?? null,
      default_language: m.defaultLanguage,
      holiday_region: m.holidayRegion,
      closed_days: [...m.closedDays],
      site_url: m.siteUrl ?? null,
      host_names: [...m.hostNames],
      retention_days: m.retentionDays ?? null,
      neighbours: [...m.neighbours],
    },
    services: town.services.map((s, i) => ({
      id: s.id,
      municipality_id: m.id,
      name_de: s.name.de,
      name_en: s.name.en,
      description_de: s.description?.de ?? null,
      description_en: s.description?.en ?? null,
      duration_minutes: s.minutes.first,
      duration_further_minutes: s.minutes.further ?? null,
      fee_cents: s.feeCents ?? null,
      online_bookable: s.online,
      max_persons: s.maxPersons,
      documents_de: [...s.documents.de],
      documents_en: [...s.documents.en],
      sort_order: (i + 1) * 10,
    })),
    feeRules: town.services.flatMap((s) =>
      s.feeRules.map((r, position) => ({
        service_id: s.id,
        position,
        label_de: r.label.de,
        label_en: r.label.en,
        fee_cents: r.feeCents,
        age_below: r.ageBelow ?? null,
      })),
    ),
    offices: [],
    officeServices: [],
    counters: [],
    counterServices: [],
    staffingRules: [],
    staffingExceptions: [],
    releasePolicies: [],
    queueSettings: [],
    officeSettings: [],
  };
  for (const o of town.offices) {
    const offered = o.services ?? allServices;
    rows.offices.push({
      id: o.id,
      municipality_id: m.id,
      name: o.name,
      address: o.address,
      phone: o.phone ?? null,
      email: o.email ?? null,
      directions_de: o.directions?.de ?? null,
      directions_en: o.directions?.en ?? null,
      accessibility_de: o.accessibility?.de ?? null,
      accessibility_en: o.accessibility?.en ?? null,
      public_transport_de: o.publicTransport?.de ?? null,
      public_transport_en: o.publicTransport?.en ?? null,
      step_free_entrance: o.accessibility?.stepFreeEntrance ?? null,
      lift: o.accessibility?.lift ?? null,
      accessible_toilet: o.accessibility?.accessibleToilet ?? null,
      hearing_loop: o.accessibility?.hearingLoop ?? null,
      time_zone: o.timeZone,
      holiday_region: o.holidayRegion ?? m.holidayRegion,
      closed_days: [...(o.closedDays ?? m.closedDays)],
    });
    rows.officeServices.push(...unique(offered).map((service_id) => ({ office_id: o.id, service_id })));
    for (const c of o.counters) {
      rows.counters.push({ office_id: o.id, number: c.number, name: c.name ?? defaultCounterName(c.number) });
      // Rows only for a counter restricted to some of its office's services.
      const served = unique(c.services ?? offered);
      if (!sameSet(served, offered))
        rows.counterServices.push(...served.map((service_id) => ({ office_id: o.id, counter_number: c.number, service_id })));
    }
    for (const h of o.hours)
      for (const day of unique(h.days))
        rows.staffingRules.push({
          office_id: o.id,
          weekday: weekdayNumber(day),
          start_time: h.from,
          end_time: h.to,
          appointment_counters: h.appointmentCounters,
          walkin_counters: h.walkinCounters,
          every_weeks: h.everyWeeks,
          starting_from: h.startingFrom ?? null,
          valid_from: h.validFrom ?? null,
          valid_to: h.validTo ?? null,
        });
    for (const x of o.exceptions)
      rows.staffingExceptions.push({
        office_id: o.id,
        date: x.date,
        end_date: x.until ?? null,
        start_time: x.from ?? null,
        end_time: x.to ?? null,
        appointment_counters: x.appointmentCounters,
        walkin_counters: x.walkinCounters ?? null,
        reason: x.reason,
      });
    const r = o.rules;
    rows.releasePolicies.push({
      office_id: o.id,
      release_weekday: weekdayNumber(r.release.weekday),
      release_time: r.release.time,
      horizon_days: r.release.horizonDays,
      same_day_share: r.sameDayShare,
      same_day_release_time: r.sameDayReleaseTime,
      phone_share: r.phoneShare,
      min_lead_minutes: r.minLeadMinutes,
    });
    rows.queueSettings.push({
      office_id: o.id,
      walkin_quota: r.walkinQuota ?? null,
      walkin_minutes: r.walkinMinutes,
      checkin_early_minutes: r.checkinEarlyMinutes,
      checkin_late_minutes: r.checkinLateMinutes,
    });
    rows.officeSettings.push({
      office_id: o.id,
      confirmation: r.confirmation,
      reminder_hours: r.reminderHours,
      waiting_list_hold_minutes: r.waitingListHoldMinutes,
      replacement_hold_hours: r.replacementHoldHours,
    });
  }
  return rows;
}

const RULE_DEFAULTS = RulesSchema.parse({});

/**
 * The town document the rows mean, in the shape of the file, with every key left out that would
 * only repeat its default (decision 0011's table). Lines of hours are the rows grouped by
 * everything but the weekday, in the order of their first weekday and time.
 */
export function rowsToTown(rows: TownRows): TownFileInput {
  const m = rows.municipality;
  if (!m) throw new Error('rowsToTown needs a municipality row');
  const services = [...rows.services].sort((a, b) => a.sort_order - b.sort_order || a.id.localeCompare(b.id));
  const serviceOrder = new Map(services.map((s, i) => [s.id, i]));
  const byServiceOrder = (ids: string[]) => [...ids].sort((a, b) => (serviceOrder.get(a) ?? 1e9) - (serviceOrder.get(b) ?? 1e9));
  const allServices = services.map((s) => s.id);
  return {
    version: 1,
    municipality: compact({
      id: m.id,
      name: m.name,
      siteTitle: m.site_title ?? undefined,
      logo: m.logo_file ?? undefined,
      mailFrom: m.mail_from,
      phone: m.phone ?? undefined,
      imprintUrl: m.imprint_url,
      privacyUrl: m.privacy_url,
      accessibilityUrl: m.accessibility_url ?? undefined,
      signLanguageVideoUrl: m.sign_language_video_url ?? undefined,
      defaultLanguage: m.default_language === 'de' ? undefined : m.default_language,
      holidayRegion: m.holiday_region === 'DE-NW' ? undefined : m.holiday_region,
      closedDays: m.closed_days.length === 0 ? undefined : [...m.closed_days],
      siteUrl: m.site_url ?? undefined,
      hostNames: m.host_names.length === 0 ? undefined : [...m.host_names],
      retentionDays: m.retention_days ?? undefined,
      neighbours: m.neighbours.length === 0 ? undefined : [...m.neighbours],
    }) as TownFileInput['municipality'],
    services: services.map((s) => {
      const feeRules = rows.feeRules.filter((r) => r.service_id === s.id).sort((a, b) => a.position - b.position);
      return compact({
        id: s.id,
        name: { de: s.name_de, en: s.name_en },
        description: s.description_de === null ? undefined : compact({ de: s.description_de, en: s.description_en ?? undefined }),
        minutes: compact({ first: s.duration_minutes, further: s.duration_further_minutes ?? undefined }),
        feeCents: s.fee_cents ?? undefined,
        feeRules: feeRules.length
          ? feeRules.map((r) =>
              compact({ label: { de: r.label_de, en: r.label_en }, feeCents: r.fee_cents, ageBelow: r.age_below ?? undefined }),
            )
          : undefined,
        documents:
          s.documents_de.length || s.documents_en.length
            ? compact({ de: [...s.documents_de], en: s.documents_en.length ? [...s.documents_en] : undefined })
            : undefined,
        online: s.online_bookable ? undefined : false,
        maxPersons: s.max_persons === 5 ? undefined : s.max_persons,
      }) as TownFileInput['services'][number];
    }),
    offices: [...rows.offices]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((o) => officeDocument(o, rows, { m, allServices, byServiceOrder })) as TownFileInput['offices'],
  };
}

function officeDocument(
  o: OfficeRow,
  rows: TownRows,
  town: { m: MunicipalityRow; allServices: string[]; byServiceOrder: (ids: string[]) => string[] },
): Record<string, unknown> {
  const own = <T extends { office_id: string }>(list: T[]) => list.filter((r) => r.office_id === o.id);
  const offered = town.byServiceOrder(own(rows.officeServices).map((s) => s.service_id));
  const policy = own(rows.releasePolicies)[0];
  const queue = own(rows.queueSettings)[0];
  const settings = own(rows.officeSettings)[0];
  const rules: Record<string, unknown> = {};
  if (policy) {
    rules.release = compact({
      weekday: policy.release_weekday === 1 ? undefined : weekdayKey(policy.release_weekday),
      time: policy.release_time === RULE_DEFAULTS.release.time ? undefined : policy.release_time,
      horizonDays: policy.horizon_days === RULE_DEFAULTS.release.horizonDays ? undefined : policy.horizon_days,
    });
    Object.assign(rules, {
      sameDayShare: policy.same_day_share,
      sameDayReleaseTime: policy.same_day_release_time,
      phoneShare: policy.phone_share,
      minLeadMinutes: policy.min_lead_minutes,
    });
  }
  if (queue)
    Object.assign(rules, {
      walkinQuota: queue.walkin_quota ?? undefined,
      walkinMinutes: queue.walkin_minutes,
      checkinEarlyMinutes: queue.checkin_early_minutes,
      checkinLateMinutes: queue.checkin_late_minutes,
    });
  if (settings)
    Object.assign(rules, {
      confirmation: settings.confirmation,
      reminderHours: settings.reminder_hours,
      waitingListHoldMinutes: settings.waiting_list_hold_minutes,
      replacementHoldHours: settings.replacement_hold_hours,
    });
  for (const [key, value] of Object.entries(rules)) {
    const isDefault =
      key === 'release' ? Object.keys(value as object).length === 0 : value === (RULE_DEFAULTS as Record<string, unknown>)[key];
    if (isDefault || value === undefined) delete rules[key];
  }

  const counters = own(rows.counters)
    .sort((a, b) => a.number - b.number)
    .map((c) => {
      const restricted = rows.counterServices.filter((s) => s.office_id === o.id && s.counter_number === c.number).map((s) => s.service_id);
      return compact({
        number: c.number,
        name: c.name === defaultCounterName(c.number) ? undefined : c.name,
        services: restricted.length ? town.byServiceOrder(restricted) : undefined,
      });
    });

  const exceptions = own(rows.staffingExceptions)
    .sort(
      (a, b) => a.date.localeCompare(b.date) || (a.start_time ?? '').localeCompare(b.start_time ?? '') || a.reason.localeCompare(b.reason),
    )
    .map((x) =>
      compact({
        date: x.date,
        until: x.end_date ?? undefined,
        from: x.start_time ?? undefined,
        to: x.end_time ?? undefined,
        appointmentCounters: x.appointment_counters,
        walkinCounters: x.walkin_counters ?? undefined,
        reason: x.reason,
      }),
    );

  return compact({
    id: o.id,
    name: o.name,
    address: o.address,
    phone: o.phone ?? undefined,
    email: o.email ?? undefined,
    directions: o.directions_de === null ? undefined : compact({ de: o.directions_de, en: o.directions_en ?? undefined }),
    publicTransport:
      o.public_transport_de === null ? undefined : compact({ de: o.public_transport_de, en: o.public_transport_en ?? undefined }),
    accessibility: nonEmpty(
      compact({
        de: o.accessibility_de ?? undefined,
        en: o.accessibility_en ?? undefined,
        stepFreeEntrance: o.step_free_entrance ?? undefined,
        lift: o.lift ?? undefined,
        accessibleToilet: o.accessible_toilet ?? undefined,
        hearingLoop: o.hearing_loop ?? undefined,
      }),
    ),
    timeZone: o.time_zone === 'Europe/Berlin' ? undefined : o.time_zone,
    holidayRegion: o.holiday_region === town.m.holiday_region ? undefined : o.holiday_region,
    closedDays: sameList(o.closed_days, town.m.closed_days) ? undefined : [...o.closed_days],
    services: sameSet(offered, town.allServices) ? undefined : offered,
    counters,
    hours: hoursLines(own(rows.staffingRules)),
    exceptions: exceptions.length ? exceptions : undefined,
    rules: Object.keys(rules).length ? rules : undefined,
  });
}

/** Staffing rows grouped back into lines: one line per (times, counters, repeat) with all its weekdays. */
function hoursLines(rules: StaffingRuleRow[]): Record<string, unknown>[] {
  const lines = new Map<string, { rows: StaffingRuleRow[] }>();
  for (const r of rules) {
    const key = JSON.stringify([
      r.start_time,
      r.end_time,
      r.appointment_counters,
      r.walkin_counters,
      r.every_weeks,
      r.starting_from,
      r.valid_from,
      r.valid_to,
    ]);
    const line = lines.get(key) ?? { rows: [] };
    line.rows.push(r);
    lines.set(key, line);
  }
  return [...lines.values()]
    .map(({ rows }) => {
      const first = rows[0]!;
      const days = unique(rows.map((r) => r.weekday)).sort((a, b) => a - b);
      return { days, first };
    })
    .sort(
      (a, b) =>
        a.days[0]! - b.days[0]! ||
        a.first.start_time.localeCompare(b.first.start_time) ||
        (a.first.valid_from ?? '').localeCompare(b.first.valid_from ?? ''),
    )
    .map(({ days, first: r }) =>
      compact({
        days: days.map(weekdayKey),
        everyWeeks: r.every_weeks === 1 ? undefined : r.every_weeks,
        startingFrom: r.starting_from ?? undefined,
        validFrom: r.valid_from ?? undefined,
        validTo: r.valid_to ?? undefined,
        from: r.start_time,
        to: r.end_time,
        appointmentCounters: r.appointment_counters,
        walkinCounters: r.walkin_counters === 0 ? undefined : r.walkin_counters,
      }),
    );
}

/** The object without its undefined keys (YAML and JSON would otherwise carry them as null or drop them unevenly). */
function nonEmpty<T extends Record<string, unknown>>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** JSON with the keys of every object sorted: rows read from the database and rows made from the file compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
