import type { DocException, DocHours } from '../../app/setup/edit-town-hours.ts';
import { WEEKDAY_KEYS, type TownFileInput } from '../../app/setup/town-file-schema.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import type { FormError } from '../pages/components.tsx';
import { hoursMessages } from './messages/setup-hours.ts';
import { list, readWhole, text, type FormBody, type FormValues } from './setup-form.tsx';

// The forms of the hours page (#19) as typed text and back: the weekly plan as numbered lines
// (`line-0-from` …), an exception as one set of fields. Dates are typed as people write them
// („12.01.2027“), times as „08:00“; the town file keeps ISO dates.

type DocOffice = TownFileInput['offices'][number];
type Lang = 'de' | 'en';

const LINE_FIELDS = ['from', 'to', 'appointment', 'walkin', 'every', 'starting', 'valid-from', 'valid-to', 'remove'] as const;
/** Empty lines the form offers for new hours. */
export const NEW_LINES = 2;

/** „2027-01-12“ → „12.01.2027“ (the form's way of writing a date). */
export const dayField = (iso: string | undefined) => (iso ? iso.split('-').reverse().join('.') : '');

/** „12.01.2027“, „12.1.2027“ or „2027-01-12“ → '2027-01-12'; '' → undefined; anything else → null. */
export function readDay(value: string): string | undefined | null {
  if (value === '') return undefined;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : value;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isIsoDate(iso) ? iso : null;
}

/** „8:00“, „08.00“, „08:00“ → '08:00'; '' → undefined; anything else → null. */
export function readTime(value: string): string | undefined | null {
  if (value === '') return undefined;
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(value);
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  if ((h > 23 || m > 59) && !(h === 24 && m === 0)) return null;
  return `${String(h).padStart(2, '0')}:${match[2]}`;
}

/** Collects a form's own problems while reading its values. */
function reader(values: FormValues, lang: Lang) {
  const m = hoursMessages[lang].invalid;
  const errors: FormError[] = [];
  const v = (name: string) => String(values[name] ?? '').trim();
  const fail = (field: string, message: string) => {
    errors.push({ field, message });
    return undefined;
  };
  return {
    errors,
    v,
    whole: (name: string) => {
      const n = readWhole(v(name));
      return n === null ? fail(name, m.whole) : n;
    },
    time: (name: string) => {
      const t = readTime(v(name));
      return t === null ? fail(name, m.time) : t;
    },
    day: (name: string) => {
      const d = readDay(v(name));
      return d === null ? fail(name, m.date) : d;
    },
    fail,
    /** A field that must not be empty, read by `read`. */
    required: <T>(name: string, read: (name: string) => T | undefined) =>
      v(name) ? read(name) : fail(name, m.required[name.replace(/^line-\d+-/, '')] ?? m.whole),
  };
}

/** The weekly plan's typed values: `lines` tells how many numbered lines the form had. */
export function readHoursForm(form: FormBody): FormValues {
  const count = Math.min(100, readWhole(text(form, 'lines')) ?? 0);
  const values: FormValues = { lines: String(count) };
  for (let i = 0; i < count; i++) {
    values[`line-${i}-day`] = list(form, `line-${i}-day`);
    for (const f of LINE_FIELDS) values[`line-${i}-${f}`] = text(form, `line-${i}-${f}`);
  }
  return values;
}

/** The office's weekly plan as the form shows it, with empty lines to add. */
export function hoursFormOf(office: DocOffice): FormValues {
  const values: FormValues = { lines: String(office.hours.length + NEW_LINES) };
  office.hours.forEach((h, i) => {
    values[`line-${i}-day`] = [...h.days];
    values[`line-${i}-from`] = h.from;
    values[`line-${i}-to`] = h.to;
    values[`line-${i}-appointment`] = String(h.appointmentCounters);
    values[`line-${i}-walkin`] = String(h.walkinCounters ?? 0);
    values[`line-${i}-every`] = String(h.everyWeeks ?? 1);
    values[`line-${i}-starting`] = dayField(h.startingFrom);
    values[`line-${i}-valid-from`] = dayField(h.validFrom);
    values[`line-${i}-valid-to`] = dayField(h.validTo);
  });
  for (let i = office.hours.length; i < office.hours.length + NEW_LINES; i++) {
    values[`line-${i}-day`] = [];
    values[`line-${i}-walkin`] = '0';
    values[`line-${i}-every`] = '1';
  }
  return values;
}

/** An untouched empty line, or one marked „Zeile entfernen“: not part of the plan. */
export function isLeftOut(values: FormValues, i: number): boolean {
  const v = (name: string) => String(values[`line-${i}-${name}`] ?? '').trim();
  const days = [values[`line-${i}-day`] ?? []].flat();
  return v('remove') === 'ja' || (days.length === 0 && !v('from') && !v('to') && !v('appointment'));
}

/** The lines the typed values describe; an untouched empty line or one marked „entfernen“ is left out. */
export function hoursOf(values: FormValues, lang: Lang): { hours: DocHours[]; errors: FormError[] } {
  const r = reader(values, lang);
  const hours: DocHours[] = [];
  const count = Number(values.lines ?? 0);
  for (let i = 0; i < count; i++) {
    const at = (f: string) => `line-${i}-${f}`;
    const days = [values[at('day')] ?? []]
      .flat()
      .filter((d): d is DocHours['days'][number] => (WEEKDAY_KEYS as readonly string[]).includes(d));
    if (isLeftOut(values, i)) continue;
    if (days.length === 0) r.fail(`${at('day')}-mon`, hoursMessages[lang].invalid.days);
    const from = r.required(at('from'), r.time);
    const to = r.required(at('to'), r.time);
    const every = r.whole(at('every')) ?? 1;
    const line: DocHours = {
      days,
      ...(every > 1 ? { everyWeeks: every } : {}),
      ...optional('startingFrom', r.day(at('starting'))),
      ...optional('validFrom', r.day(at('valid-from'))),
      ...optional('validTo', r.day(at('valid-to'))),
      from: from ?? '',
      to: to ?? '',
      appointmentCounters: r.required(at('appointment'), r.whole) ?? 0,
      walkinCounters: r.whole(at('walkin')) ?? 0,
    };
    hours.push(line);
  }
  if (hours.length === 0 && r.errors.length === 0) r.fail('line-0-day-mon', hoursMessages[lang].invalid.noLines);
  return { hours, errors: r.errors };
}

const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

// `grund`, not `reason`: the preview's confirmation has a `reason` of its own (why bookings are cancelled).
const EXCEPTION_FIELDS = ['date', 'until', 'from', 'to', 'appointment', 'walkin', 'grund', 'at', 'entfernen'] as const;

export function readExceptionForm(form: FormBody): FormValues {
  const values: FormValues = {};
  for (const f of EXCEPTION_FIELDS) values[f] = text(form, f);
  return values;
}

/** An exception as the form shows it: an existing one (`at` its index), or a new one on `date` with today's counters. */
export function exceptionFormOf(x: DocException | null, at: number | null, date: string, counters: number): FormValues {
  if (!x) return { date: dayField(date), until: '', from: '', to: '', appointment: String(counters), walkin: '', grund: '', at: '' };
  return {
    date: dayField(x.date),
    until: dayField(x.until),
    from: x.from ?? '',
    to: x.to ?? '',
    appointment: String(x.appointmentCounters),
    walkin: x.walkinCounters === undefined ? '' : String(x.walkinCounters),
    grund: x.reason,
    at: String(at),
  };
}

/** The exception the typed values describe (null: remove it), and where it was (null: a new one). */
export function exceptionOf(values: FormValues, lang: Lang): { exception: DocException | null; at: number | null; errors: FormError[] } {
  const r = reader(values, lang);
  const at = readWhole(r.v('at')) ?? null;
  if (at !== null && r.v('entfernen') === 'ja') return { exception: null, at, errors: [] };
  const date = r.required('date', r.day);
  const reason = r.v('grund') || r.fail('grund', hoursMessages[lang].invalid.reason);
  const walkin = r.whole('walkin');
  const exception: DocException = {
    date: date ?? '',
    ...optional('until', r.day('until')),
    ...optional('from', r.time('from')),
    ...optional('to', r.time('to')),
    appointmentCounters: r.required('appointment', r.whole) ?? 0,
    ...(walkin === undefined ? {} : { walkinCounters: walkin }),
    reason: reason ?? '',
  };
  return { exception, at, errors: r.errors };
}
