import type { OfficeRules } from '../../app/setup/edit-town-rules.ts';
import { WEEKDAY_KEYS, type WeekdayKey } from '../../app/setup/town-file-schema.ts';
import type { FormError } from '../pages/components.tsx';
import type { UiLanguage } from '../language.ts';
import { rulesMessages } from './messages/setup-rules.ts';
import { readWhole, text, type FormBody, type FormValues } from './setup-form.tsx';

// The rules form (#19): each rule of the town file's `rules` as a field, shares in percent with a
// decimal comma („12,5“) as people write them, typed values kept as text. What the form itself can
// tell (a whole number, a time, a percentage) it says at the field; ranges are the town file's check.

/** Form field → the rule it edits; also the order of the fields. */
export const RULE_FIELDS = {
  'release-weekday': 'release.weekday',
  'release-time': 'release.time',
  'horizon-days': 'release.horizonDays',
  'same-day-share': 'sameDayShare',
  'same-day-time': 'sameDayReleaseTime',
  'phone-share': 'phoneShare',
  'walkin-quota': 'walkinQuota',
  'walkin-minutes': 'walkinMinutes',
  'min-lead': 'minLeadMinutes',
  'checkin-early': 'checkinEarlyMinutes',
  'checkin-late': 'checkinLateMinutes',
  confirmation: 'confirmation',
  'reminder-hours': 'reminderHours',
  'waiting-hold': 'waitingListHoldMinutes',
  'replacement-hold': 'replacementHoldHours',
} as const;

export type RuleField = keyof typeof RULE_FIELDS;

/** The town file's problem paths (below `rules.`) → the form's fields, for problemsAtFields. */
export const RULE_PROBLEM_FIELDS: Record<string, string> = Object.fromEntries(
  Object.entries(RULE_FIELDS).map(([field, key]) => [key, field]),
);

/** 0.125 → „12,5“. */
export const percentField = (share: number) => String(Math.round(share * 10000) / 100).replace('.', ',');

export function rulesFormOf(r: OfficeRules): FormValues {
  return {
    'release-weekday': r.release.weekday,
    'release-time': r.release.time,
    'horizon-days': String(r.release.horizonDays),
    'same-day-share': percentField(r.sameDayShare),
    'same-day-time': r.sameDayReleaseTime,
    'phone-share': percentField(r.phoneShare),
    'walkin-quota': r.walkinQuota === undefined ? '' : String(r.walkinQuota),
    'walkin-minutes': String(r.walkinMinutes),
    'min-lead': String(r.minLeadMinutes),
    'checkin-early': String(r.checkinEarlyMinutes),
    'checkin-late': String(r.checkinLateMinutes),
    confirmation: r.confirmation,
    'reminder-hours': String(r.reminderHours),
    'waiting-hold': String(r.waitingListHoldMinutes),
    'replacement-hold': String(r.replacementHoldHours),
  };
}

export function readRulesForm(form: FormBody): FormValues {
  return Object.fromEntries(Object.keys(RULE_FIELDS).map((field) => [field, text(form, field)]));
}

/** „20“, „12,5“, „12.5 %“ → 0.2, 0.125; anything else → null. */
function readPercent(value: string): number | null {
  const match = /^(\d{1,3})(?:[,.](\d{1,2}))?\s*%?$/.exec(value.trim());
  return match ? Number(`${match[1]}.${match[2] ?? '0'}`) / 100 : null;
}

/** The rules the values make, or the errors of the fields that cannot be read. */
export function rulesOfValues(values: FormValues, lang: UiLanguage): { rules: OfficeRules; errors: FormError[] } {
  const m = rulesMessages[lang].errors;
  const errors: FormError[] = [];
  const v = (field: RuleField) => String(values[field] ?? '').trim();
  const whole = (field: RuleField): number => {
    const n = readWhole(v(field));
    if (n === undefined || n === null) errors.push({ field, message: m.whole });
    return n ?? 0;
  };
  const time = (field: RuleField): string => {
    const value = v(field).replace(/^(\d):/, '0$1:');
    if (!/^\d{2}:\d{2}$/.test(value)) errors.push({ field, message: m.time });
    return value;
  };
  const percent = (field: RuleField): number => {
    const share = readPercent(v(field) || '0');
    if (share === null) errors.push({ field, message: m.percent });
    // Said here in percent: the town file's own message speaks of shares (0.2).
    else if (share >= 1) errors.push({ field, message: m.percentRange });
    return share ?? 0;
  };
  const quota = v('walkin-quota') === '' ? undefined : whole('walkin-quota');
  const weekday = WEEKDAY_KEYS.includes(v('release-weekday') as WeekdayKey) ? (v('release-weekday') as WeekdayKey) : 'mon';
  const rules: OfficeRules = {
    release: { weekday, time: time('release-time'), horizonDays: whole('horizon-days') },
    sameDayShare: percent('same-day-share'),
    sameDayReleaseTime: time('same-day-time'),
    phoneShare: percent('phone-share'),
    ...(quota === undefined ? {} : { walkinQuota: quota }),
    walkinMinutes: whole('walkin-minutes'),
    minLeadMinutes: whole('min-lead'),
    checkinEarlyMinutes: whole('checkin-early'),
    checkinLateMinutes: whole('checkin-late'),
    confirmation: v('confirmation') === 'none' ? 'none' : 'email',
    reminderHours: whole('reminder-hours'),
    waitingListHoldMinutes: whole('waiting-hold'),
    replacementHoldHours: whole('replacement-hold'),
  };
  if (!errors.length && rules.sameDayShare + rules.phoneShare > 1 + 1e-9) errors.push({ field: 'phone-share', message: m.shareSum });
  return { rules, errors };
}
