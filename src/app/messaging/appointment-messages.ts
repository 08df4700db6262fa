import { isOfficeReason, type CancelReason } from '../../domain/cancel-reasons.ts';
import { fillTemplate, type MessageTemplate } from '../../domain/message-template.ts';
import { offsetAt } from '../../domain/zoned-time.ts';
import { calendarEvent } from './calendar-event.ts';

export type MessageLanguage = 'de' | 'en';

export type AppointmentMessageInput = {
  language: MessageLanguage;
  reference: string;
  citizenName: string | null;
  office: { name: string; address: string; phone: string | null; timeZone: string };
  start: Date;
  end: Date;
  services: { name: string; persons: number; feeCents: number | null; documents: string[] }[];
  manageUrl: string;
  /** The office page (/standorte/{office}): directions, opening hours, accessibility (#24 item 4). */
  officeUrl?: string;
  confirmUrl: string | null;
  confirmCode: string | null;
  reservedUntil: Date | null;
  /** iCalendar SEQUENCE; calendars only replace an event by a higher one, so pass a counter of changes. */
  sequence?: number;
};

export type RenderedMessage = {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
};

// Intl puts U+00A0 / U+202F into "37,00 €" and "9:40 AM" depending on the ICU version; we always
// emit a plain space so mails, pages and tests agree byte for byte.
const odd = /[\u00a0\u202f]/g;

export function formatDateTime(date: Date, timeZone: string, language: MessageLanguage): string {
  return memoisedByMinute(
    'dateTime',
    date,
    timeZone,
    language,
    () => `${formatDate(date, timeZone, language)}, ${formatTime(date, timeZone, language)}`,
  );
}

/**
 * The local date alone, in the one style of pages, mails and the staff's screens (#22 item 4): „Do.,
 * 10.12.2026“ as a German office writes it; "Thu, 10 Dec 2026" in English, where 10/12 would be read
 * as October by half the readers.
 */
export function formatDate(date: Date, timeZone: string, language: MessageLanguage): string {
  return memoisedByMinute('date', date, timeZone, language, () => {
    if (language === 'de') {
      const p = parts(date, timeZone, language, { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' });
      return `${p.weekday}, ${p.day}.${p.month}.${p.year}`;
    }
    const p = parts(date, timeZone, language, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    return `${p.weekday}, ${p.day} ${p.month} ${p.year}`;
  });
}

export function formatTime(date: Date, timeZone: string, language: MessageLanguage): string {
  return memoisedByMinute('time', date, timeZone, language, () => {
    const p = parts(date, timeZone, language, { hour: language === 'de' ? '2-digit' : 'numeric', minute: '2-digit' });
    return language === 'de' ? `${p.hour}:${p.minute} Uhr` : `${p.hour}:${p.minute} ${(p.dayPeriod ?? '').toUpperCase()}`;
  });
}

// Intl's formatToParts was a third of a booking mail's cost, and a mail formats three or four
// instants. Its text here depends only on the local minute, and bookings repeat slot times (and,
// within a minute, the reservation deadline), so each text is made once per zone and local minute.
const byMinute = new Map<string, Map<number, string>>();
function memoisedByMinute(kind: string, date: Date, timeZone: string, language: MessageLanguage, format: () => string): string {
  const ms = date.getTime();
  const localMinute = Math.floor((ms + offsetAt(timeZone, ms)) / 60_000);
  const key = `${kind}:${language}:${timeZone}`;
  let memo = byMinute.get(key);
  if (!memo) byMinute.set(key, (memo = new Map()));
  else if (memo.size > 10_000) memo.clear();
  let text = memo.get(localMinute);
  if (text === undefined) memo.set(localMinute, (text = format()));
  return text;
}

// Building an Intl formatter costs far more than using one; every booking mail formats several values.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cachedFormatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, create: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) formatters.set(key, (formatter = create()));
  return formatter;
}

const money = { de: new Map<number, string>(), en: new Map<number, string>() };
export function formatMoney(cents: number, language: MessageLanguage): string {
  // A town has a few dozen fees (and their sums); every booking mail shows one.
  let text = money[language].get(cents);
  if (text === undefined) {
    const format = cachedFormatter(
      `money:${language}`,
      () => new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }),
    );
    text = format.format(cents / 100).replace(odd, ' ');
    if (money[language].size > 10_000) money[language].clear();
    money[language].set(cents, text);
  }
  return text;
}

function parts(date: Date, timeZone: string, language: MessageLanguage, options: Intl.DateTimeFormatOptions) {
  // en-US rather than en-GB: en-GB abbreviates September as "Sept" on newer ICU data.
  const locale = language === 'de' ? 'de-DE' : 'en-US';
  const hourCycle = language === 'de' ? 'h23' : 'h12';
  const found: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  const format = cachedFormatter(
    `date:${locale}:${timeZone}:${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, { ...options, timeZone, hourCycle }),
  );
  for (const part of format.formatToParts(date)) {
    found[part.type] = part.value.replace(odd, ' ');
  }
  return found;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'list'; title: string; items: string[] }
  /** The municipality's own wording (message_template): paragraphs as typed, web addresses made links. */
  | { kind: 'text'; text: string };

const words = {
  de: {
    hello: (name: string | null) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    confirmed: 'Ihr Termin ist bestätigt. Wir freuen uns auf Ihren Besuch.',
    reserved: (until: string | null) =>
      `wir haben einen Termin für Sie reserviert. Gebucht ist er erst, wenn Sie ihn bestätigen: Öffnen Sie bitte ${until ? `bis ${until} ` : ''}den folgenden Link und klicken Sie dort auf „Termin bestätigen“. Ohne Bestätigung verfällt die Reservierung.`,
    confirmLink: 'Termin bestätigen',
    code: (code: string) => `Ihr Bestätigungscode: ${code}`,
    moved: (when: string) => `Ihr Termin wurde verschoben. Ihr neuer Termin: ${when}. Der bisherige Termin gilt nicht mehr.`,
    cancelledCitizen: (when: string) => `Ihr Termin am ${when} wurde wie gewünscht abgesagt.`,
    cancelledOffice: (when: string) => `leider müssen wir Ihren Termin am ${when} absagen. Bitte entschuldigen Sie die Unannehmlichkeiten.`,
    cancelledDuplicate: (when: string) =>
      `Ihr Termin am ${when} wurde abgesagt, weil für Sie ein weiterer Termin für dasselbe Anliegen gebucht war. Ihr anderer Termin bleibt bestehen.`,
    cancelledNotNeeded: (when: string) =>
      `Ihr Termin am ${when} wurde abgesagt, weil Ihr Anliegen bereits erledigt ist oder keinen Termin mehr braucht.`,
    explanation: (text: string) => `Hinweis Ihres Bürgerbüros: ${text}`,
    reference: 'Buchungsnummer',
    when: 'Termin',
    where: 'Ort',
    phone: 'Telefon',
    fees: 'Gebühren',
    services: 'Ihre Anliegen',
    bring: 'Bitte mitbringen',
    persons: (n: number) => (n === 1 ? '1 Person' : `${n} Personen`),
    free: 'gebührenfrei',
    manage: 'Termin verschieben oder absagen',
    officePage: 'Anfahrt, Öffnungszeiten und Barrierefreiheit',
    rebookCitizen: 'Neuen Termin buchen',
    rebookOffice: 'Neuen Termin wählen',
    bye: 'Mit freundlichen Grüßen',
    subjectConfirmed: (ref: string, when: string) => `Terminbestätigung ${ref}: ${when}`,
    subjectReserved: (ref: string) => `Bitte bestätigen Sie Ihren Termin ${ref}`,
    subjectMoved: (ref: string, when: string) => `Termin verschoben ${ref}: neu ${when}`,
    subjectCancelled: (ref: string) => `Termin abgesagt ${ref}`,
    title: 'Termin',
    file: 'termin',
  },
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    confirmed: 'Your appointment is confirmed. We look forward to seeing you.',
    reserved: (until: string | null) =>
      `we have reserved an appointment for you. It is only booked once you confirm it: please open the link below${until ? ` by ${until}` : ''} and press “Confirm appointment” there. Without confirmation the reservation expires.`,
    confirmLink: 'Confirm appointment',
    code: (code: string) => `Your confirmation code: ${code}`,
    moved: (when: string) => `Your appointment has been moved. Your new time: ${when}. The previous time is no longer valid.`,
    cancelledCitizen: (when: string) => `Your appointment on ${when} has been cancelled as you requested.`,
    cancelledOffice: (when: string) => `we are sorry, but we have to cancel your appointment on ${when}. Please excuse the inconvenience.`,
    cancelledDuplicate: (when: string) =>
      `Your appointment on ${when} has been cancelled because another appointment for the same matter was booked for you. Your other appointment stays as it is.`,
    cancelledNotNeeded: (when: string) =>
      `Your appointment on ${when} has been cancelled because your matter has been dealt with already or no longer needs an appointment.`,
    explanation: (text: string) => `A note from the office: ${text}`,
    reference: 'Booking number',
    when: 'When',
    where: 'Where',
    phone: 'Phone',
    fees: 'Fees',
    services: 'Your services',
    bring: 'Please bring',
    persons: (n: number) => (n === 1 ? '1 person' : `${n} persons`),
    free: 'free of charge',
    manage: 'Move or cancel appointment',
    officePage: 'Directions, opening hours and accessibility',
    rebookCitizen: 'Book a new appointment',
    rebookOffice: 'Choose a new appointment',
    bye: 'Kind regards',
    subjectConfirmed: (ref: string, when: string) => `Appointment confirmed ${ref}: ${when}`,
    subjectReserved: (ref: string) => `Please confirm your appointment ${ref}`,
    subjectMoved: (ref: string, when: string) => `Appointment moved ${ref}: now ${when}`,
    subjectCancelled: (ref: string) => `Appointment cancelled ${ref}`,
    title: 'Appointment',
    file: 'appointment',
  },
} as const;

type Kind = 'booked' | 'moved' | 'cancelled';

/**
 * `template`: the municipality's wording of this mail — of `booking_confirmation` when the mail asks
 * to confirm (confirmUrl), else of `appointment_confirmed`; null for the built-in text.
 */
export function renderBookingConfirmation(input: AppointmentMessageInput, template: MessageTemplate | null = null): RenderedMessage {
  const w = words[input.language];
  const tz = input.office.timeZone;
  const when = formatDateTime(input.start, tz, input.language);
  const subject = input.confirmUrl ? w.subjectReserved(input.reference) : w.subjectConfirmed(input.reference, when);
  if (!template?.intro) return render(input, 'booked', subject, input.confirmUrl ? [] : [w.confirmed]);
  const text = fillTemplate(template.intro, {
    name: input.citizenName ?? '',
    date: when,
    office: input.office.name,
    reference: input.reference,
    deadline: input.reservedUntil ? formatDateTime(input.reservedUntil, tz, input.language) : '',
    confirm: input.confirmUrl ?? '',
    code: input.confirmCode ?? '',
  });
  // The wording replaces the built-in paragraph, and for a reservation also its link and code.
  return render(input, 'booked', subject, [], undefined, { kind: 'text', text });
}

/** The built-in wording of the booking mails written as templates: what the texts page starts from. */
export const BUILT_IN_BOOKING_TEMPLATES = {
  booking_confirmation: {
    de: `${words.de.reserved('{deadline}')}\n\n${words.de.confirmLink}:\n{confirm}\n\n${words.de.code('{code}')}`,
    en: `${words.en.reserved('{deadline}')}\n\n${words.en.confirmLink}:\n{confirm}\n\n${words.en.code('{code}')}`,
  },
  appointment_confirmed: { de: words.de.confirmed, en: words.en.confirmed },
} as const;

export function renderRescheduleConfirmation(input: AppointmentMessageInput): RenderedMessage {
  const w = words[input.language];
  const when = formatDateTime(input.start, input.office.timeZone, input.language);
  return render(input, 'moved', w.subjectMoved(input.reference, when), [w.moved(when)]);
}

/** The cancellation, its reason said politely (#22); a clerk's explanation is quoted as the office's note. */
export function renderCancellationNotice(
  input: AppointmentMessageInput & { reason: CancelReason; explanation?: string | null | undefined },
): RenderedMessage {
  const w = words[input.language];
  const when = formatDateTime(input.start, input.office.timeZone, input.language);
  const leads: Record<CancelReason, string> = {
    citizen: w.cancelledCitizen(when),
    duplicate: w.cancelledDuplicate(when),
    not_needed: w.cancelledNotNeeded(when),
    office: w.cancelledOffice(when),
    other: w.cancelledOffice(when),
  };
  const lead = [leads[input.reason], ...(input.explanation ? [w.explanation(input.explanation)] : [])];
  const link = isOfficeReason(input.reason) ? w.rebookOffice : w.rebookCitizen;
  return render({ ...input, confirmUrl: null }, 'cancelled', w.subjectCancelled(input.reference), lead, link);
}

function render(
  input: AppointmentMessageInput,
  kind: Kind,
  subject: string,
  lead: string[],
  manageLabel?: string,
  own?: Block,
): RenderedMessage {
  const w = words[input.language];
  const tz = input.office.timeZone;
  const blocks: Block[] = [{ kind: 'p', text: w.hello(input.citizenName) }, ...lead.map((text) => ({ kind: 'p' as const, text }))];
  if (own) blocks.push(own);
  else if (input.confirmUrl) {
    const until = input.reservedUntil ? formatDateTime(input.reservedUntil, tz, input.language) : null;
    blocks.push({ kind: 'p', text: w.reserved(until) }, { kind: 'link', label: w.confirmLink, url: input.confirmUrl });
    if (input.confirmCode) blocks.push({ kind: 'p', text: w.code(input.confirmCode) });
  }
  const rows: [string, string][] = [
    [w.reference, input.reference],
    [w.when, `${formatDateTime(input.start, tz, input.language)} – ${formatTime(input.end, tz, input.language)}`],
    [w.where, `${input.office.name}, ${input.office.address}`],
  ];
  if (input.office.phone) rows.push([w.phone, input.office.phone]);
  if (kind !== 'cancelled') rows.push([w.fees, totalFee(input)]);
  blocks.push({ kind: 'facts', rows });
  blocks.push({ kind: 'list', title: w.services, items: input.services.map((s) => `${s.name} (${w.persons(s.persons)})`) });
  const documents = [...new Set(input.services.flatMap((s) => s.documents))];
  if (kind !== 'cancelled' && documents.length > 0) blocks.push({ kind: 'list', title: w.bring, items: documents });
  if (kind !== 'cancelled' && input.officeUrl) blocks.push({ kind: 'link', label: w.officePage, url: input.officeUrl });
  blocks.push({ kind: 'link', label: manageLabel ?? w.manage, url: input.manageUrl });
  blocks.push({ kind: 'p', text: `${w.bye}\n${input.office.name}` });
  return { subject, text: toText(blocks), html: toHtml(blocks, subject, input.language), attachments: [calendarFile(input, kind)] };
}

function totalFee(input: AppointmentMessageInput): string {
  const cents = input.services.reduce((sum, s) => sum + (s.feeCents ?? 0) * s.persons, 0);
  return cents > 0 ? formatMoney(cents, input.language) : words[input.language].free;
}

export function toText(blocks: Block[]): string {
  const out = blocks.map((b) => {
    if (b.kind === 'p') return b.text;
    if (b.kind === 'link') return `${b.label}:\n${b.url}`;
    if (b.kind === 'facts') return b.rows.map(([k, v]) => `${k}: ${v}`).join('\n');
    if (b.kind === 'text') return b.text;
    return `${b.title}:\n${b.items.map((i) => `- ${i}`).join('\n')}`;
  });
  return `${out.join('\n\n')}\n`;
}

export function toHtml(blocks: Block[], subject: string, language: MessageLanguage): string {
  const e = escapeHtml;
  const body = blocks.map((b) => {
    if (b.kind === 'p') return `<p>${e(b.text).replace(/\n/g, '<br>')}</p>`;
    if (b.kind === 'text') return ownText(b.text);
    if (b.kind === 'link') return `<p><a href="${e(b.url)}" style="font-weight:bold">${e(b.label)}</a></p>`;
    if (b.kind === 'facts') {
      const rows = b.rows.map(
        ([k, v]) => `<tr><th scope="row" style="text-align:left;padding-right:1em;vertical-align:top">${e(k)}</th><td>${e(v)}</td></tr>`,
      );
      return `<table role="presentation">${rows.join('')}</table>`;
    }
    return `<h2 style="font-size:1.1em">${e(b.title)}</h2><ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
  });
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${e(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">${body.join('\n')}</body></html>`;
}

/**
 * A municipality's paragraphs as HTML: blank lines part them, and a web address becomes a link (a
 * full stop or comma after it ends the sentence, not the address).
 */
function ownText(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => {
      const html = escapeHtml(para).replace(
        /https?:\/\/[^\s<]*[^\s<.,;:!?)]/g,
        (url) => `<a href="${url}" style="font-weight:bold">${url}</a>`,
      );
      return `<p>${html.replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
}

function calendarFile(input: AppointmentMessageInput, kind: Kind): RenderedMessage['attachments'][number] {
  const w = words[input.language];
  const method = kind === 'cancelled' ? 'CANCEL' : 'PUBLISH';
  const sequence = input.sequence ?? (kind === 'booked' ? 0 : 1);
  const value = calendarEvent({
    uid: `${input.reference}@schalter`,
    sequence,
    // The mails pass the second of the appointment's last change as its sequence: that is when this copy was made.
    stamp: input.sequence !== undefined ? new Date(input.sequence * 1000) : new Date(),
    start: input.start,
    end: input.end,
    summary: `${w.title} ${input.office.name}: ${input.services.map((s) => s.name).join(', ')}`,
    location: `${input.office.name}, ${input.office.address}`,
    description: `${w.reference}: ${input.reference}\n${w.manage}: ${input.manageUrl}`,
    status: kind === 'cancelled' ? 'cancelled' : input.confirmUrl ? 'tentative' : 'confirmed',
  });
  return {
    filename: `${w.file}-${input.reference}.ics`,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: Buffer.from(value, 'utf8').toString('base64'),
  };
}
