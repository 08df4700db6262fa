import type { HistoryActor, NamedHistoryEntry } from '../../../app/appointments/staff-appointments.ts';
import type { StaffRole } from '../../../domain/staff-access.ts';
import type { UiLanguage } from '../../language.ts';

// One line per entry of an appointment's history on the staff page (#22 item 4): what happened and
// who did it, as a clerk says it („abgesagt von Sachbearbeitung M. Weber“), never an id or a code word.

/** „Maria Weber“ → „M. Weber“; a single name stays as it is. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name.trim();
  const last = parts.pop()!;
  return `${parts.map((p) => `${p[0]!.toUpperCase()}.`).join(' ')} ${last}`;
}

type Texts = {
  actions: Record<string, string>;
  roles: Record<StaffRole, string>;
  staffUnknown: string;
  token: (name: string | null) => string;
  plain: Record<Exclude<HistoryActor['kind'], 'staff' | 'token'>, string>;
};

const de: Texts = {
  actions: {
    booked: 'gebucht',
    held: 'als Ersatztermin reserviert',
    confirmed: 'bestätigt',
    rescheduled: 'verschoben',
    cancelled: 'abgesagt',
    expired: 'verfallen (nicht bestätigt)',
    checked_in: 'angemeldet',
    called: 'aufgerufen',
    called_again: 'erneut aufgerufen',
    forwarded: 'weitergeleitet',
    served: 'erledigt',
    no_show: 'als nicht erschienen vermerkt',
    no_show_reverted: 'doch erschienen, wieder bestätigt',
    fee_paid: 'Gebühr bezahlt',
    edited: 'geändert (Kontaktdaten, Dienstleistungen oder Notiz)',
    confirmation_resent: 'Bestätigung erneut gesendet',
  },
  roles: { clerk: 'Sachbearbeitung', teamlead: 'Teamleitung', admin: 'Verwaltung' },
  staffUnknown: 'von der Sachbearbeitung',
  token: (name) => (name ? `über die Schnittstelle „${name}“` : 'über die Schnittstelle'),
  plain: {
    citizen: 'von der Bürgerin / dem Bürger',
    system: 'automatisch',
    demo: '(Demo-Daten)',
    kiosk: 'am Kiosk',
    branch: 'in der Zweigstelle',
    cli: 'über die Kommandozeile',
    lottery: 'durch die Terminverlosung',
    unknown: '',
  },
};

const en: Texts = {
  actions: {
    booked: 'booked',
    held: 'held as a replacement',
    confirmed: 'confirmed',
    rescheduled: 'moved',
    cancelled: 'cancelled',
    expired: 'lapsed (not confirmed)',
    checked_in: 'checked in',
    called: 'called',
    called_again: 'called again',
    forwarded: 'forwarded',
    served: 'served',
    no_show: 'marked as not arrived',
    no_show_reverted: 'arrived after all, confirmed again',
    fee_paid: 'fee paid',
    edited: 'changed (contact details, services or note)',
    confirmation_resent: 'confirmation sent again',
  },
  roles: { clerk: 'clerk', teamlead: 'team lead', admin: 'administrator' },
  staffUnknown: 'by staff',
  token: (name) => (name ? `through the interface “${name}”` : 'through the interface'),
  plain: {
    citizen: 'by the citizen',
    system: 'automatically',
    demo: '(demo data)',
    kiosk: 'at the kiosk',
    branch: 'at the branch office',
    cli: 'from the command line',
    lottery: 'by the release lottery',
    unknown: '',
  },
};

function byText(t: Texts, by: HistoryActor, lang: UiLanguage): string {
  if (by.kind === 'staff') {
    if (!by.name) return t.staffUnknown;
    const who = `${by.role ? `${t.roles[by.role]} ` : ''}${shortName(by.name)}`;
    return lang === 'en' ? `by ${who}` : `von ${who}`;
  }
  if (by.kind === 'token') return t.token(by.name);
  return t.plain[by.kind];
}

/** „abgesagt von Sachbearbeitung M. Weber“, „gebucht (Demo-Daten)“, „automatisch verfallen (nicht bestätigt)“. */
export function historyLine(entry: NamedHistoryEntry, lang: UiLanguage): string {
  const t = lang === 'en' ? en : de;
  // An action added later without a text here still reads as a word, not as snake_case.
  const action = t.actions[entry.action] ?? entry.action.replace(/_/g, ' ');
  // „automatisch verfallen“, „automatically marked as not arrived“: the adverb goes first.
  if (entry.by.kind === 'system') return `${t.plain.system} ${action}`;
  return [action, byText(t, entry.by, lang)].filter(Boolean).join(' ');
}
