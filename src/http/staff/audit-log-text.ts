import { formatDateTime, formatMoney } from '../../app/messaging/appointment-messages.ts';
import { FIELD_DE } from '../../app/setup/setup-diff.ts';
import { auditDifferences, auditFacts, type AuditDifference } from '../../app/staff/audit-log-changes.ts';
import type { AuditActorView, AuditLine, AuditSubjectView } from '../../app/staff/read-audit-log.ts';
import { isStaffRole } from '../../domain/staff-access.ts';
import type { UiLanguage } from '../language.ts';
import { formatDay } from './dates.ts';
import { actionLabel, auditLogMessages, type AuditLogMessages } from './messages/audit-log.ts';
import { templateMessages } from './messages/messaging-templates.ts';

// One audit entry in words, the same on the page and in the CSV (#19): who („Maria Weber,
// Sachbearbeitung“), what („Konto deaktiviert“), about what („Konto Jonas Berg“, „Termin K7M-4QX“)
// and the difference („deaktiviert: nein → ja“, „Dienstleistung „Pass“: Dauer: 20 → 25“).

export type AuditWords = {
  lang: UiLanguage;
  /** Office and service names for ids inside the details. */
  officeName: (id: string) => string | null;
  serviceName: (id: string) => string | null;
  timeZone: string;
};

export function actorText(actor: AuditActorView, lang: UiLanguage): string {
  const m = auditLogMessages[lang];
  switch (actor.kind) {
    case 'staff':
      if (!actor.name) return m.deletedAccount;
      return actor.role ? `${actor.name} (${m.roles[actor.role]})` : actor.name;
    case 'token':
      return m.actor.token(actor.name);
    case 'kiosk':
    case 'branch':
      return m.actor[actor.kind](actor.officeName);
    case 'other':
      return actor.text;
    default:
      return m.actor[actor.kind];
  }
}

export function subjectText(subject: AuditSubjectView, lang: UiLanguage): string {
  const m = auditLogMessages[lang];
  const kind = m.entities[subject.entity] ?? subject.entity.replace(/_/g, ' ');
  if (subject.entity === 'setup_revision') return subject.name ? m.revision(subject.name) : kind;
  if (subject.entity === 'message_template') {
    const [textKind = '', language = ''] = (subject.name ?? '').split(':');
    const name = (templateMessages[lang].kinds as Record<string, { name: string } | undefined>)[textKind]?.name;
    const languageName = m.languages[language];
    return [kind, name ? `„${name}“` : null, languageName ? `(${languageName})` : null].filter(Boolean).join(' ');
  }
  if (subject.entity === 'office_day')
    return [kind, subject.name, subject.day ? formatDay(subject.day, lang) : null].filter(Boolean).join(' ');
  if (subject.entity === 'staff_user' && !subject.name) return kind;
  return subject.name ? `${kind} ${subject.name}` : kind;
}

export function actionText(action: string, lang: UiLanguage): string {
  return actionLabel(auditLogMessages[lang], action);
}

function fieldLabel(field: string, m: AuditLogMessages, lang: UiLanguage): string {
  if (m.fields[field]) return m.fields[field];
  if (lang === 'de' && FIELD_DE[field]) return FIELD_DE[field];
  return field.replace(/_/g, ' ');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAYS = { de: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };

/** A value as a person reads it: names for ids, „ja“/„nein“, euros, percent, dates, decimal comma. */
export function valueText(field: string, value: unknown, w: AuditWords): string {
  const m = auditLogMessages[w.lang];
  // A citizen text's part that is null is the built-in wording, not an empty one.
  if ((field === 'intro' || field === 'sms') && value === null) return m.builtInText;
  if (value === null || value === undefined || value === '') return m.empty;
  if (typeof value === 'boolean') return value ? m.yes : m.no;
  if (Array.isArray(value)) {
    // An admin's (or an admin token's) offices are none by name: every office.
    if (value.length === 0) return field === 'officeIds' ? m.allOffices : m.empty;
    return value.map((v) => valueText(field === 'officeIds' ? 'officeId' : field, v, w)).join(', ');
  }
  if (field === 'role' && typeof value === 'string' && isStaffRole(value)) return m.roles[value];
  if ((field === 'officeId' || field === 'toOffice') && typeof value === 'string') return w.officeName(value) ?? value;
  if (typeof value === 'number') {
    if (/cents$/i.test(field)) return formatMoney(value, w.lang);
    if (/_share$/.test(field)) return `${decimal(Math.round(value * 1000) / 10, w.lang)}${w.lang === 'de' ? '\u00a0%' : '%'}`;
    if (/weekday$/.test(field)) return DAYS[w.lang][value - 1] ?? String(value);
    return decimal(value, w.lang);
  }
  if (typeof value === 'string') {
    // Details hold what people typed too: a text shaped like a time that is none stays text.
    if (ISO_INSTANT.test(value) && Number.isFinite(Date.parse(value))) return formatDateTime(new Date(value), w.timeZone, w.lang);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value, w.lang);
    if (field === 'reason' && m.reasons[value]) return m.reasons[value];
    return m.values[value] ?? value;
  }
  return JSON.stringify(value);
}

const decimal = (n: number, lang: UiLanguage) => (lang === 'de' ? String(n).replace('.', ',') : String(n));

function differenceText(d: AuditDifference, w: AuditWords): string {
  const m = auditLogMessages[w.lang];
  const fields = d.fields.map((f) =>
    d.change === 'changed'
      ? `${fieldLabel(f.field, m, w.lang)}: ${valueText(f.field, f.before, w)} → ${valueText(f.field, f.after, w)}`
      : `${fieldLabel(f.field, m, w.lang)}: ${valueText(f.field, f.after, w)}`,
  );
  // Without a group the entry's own action says what happened („Konto angelegt“): the fields alone follow.
  if (!d.group) return fields.length ? fields.join('; ') : d.change === 'removed' ? m.removed : m.empty;
  const mark = d.change === 'created' ? ` (${m.created})` : d.change === 'removed' ? ` (${m.removed})` : '';
  const title = `${d.group[w.lang]}${mark}`;
  return fields.length ? `${title}: ${fields.join('; ')}` : title;
}

/** The lines under an entry: each difference of before and after, then the other details. */
export function changeLines(line: AuditLine, w: AuditWords): string[] {
  const m = auditLogMessages[w.lang];
  const names = { office: w.officeName, service: w.serviceName };
  const differences = auditDifferences(line.details, names).map((d) => differenceText(d, w));
  const facts = auditFacts(line.details).map((f) => `${fieldLabel(f.key, m, w.lang)}: ${valueText(f.key, f.value, w)}`);
  return [...differences, ...facts];
}
