import { fillTemplate, type MessageTemplate } from '../../domain/message-template.ts';
import { formatDateTime, formatTime, toHtml, toText, type Block, type MessageLanguage } from './appointment-messages.ts';

// The reminder the day before: when, where, and one way to give the slot back. Short: read on a phone.

export type ReminderInput = {
  language: MessageLanguage;
  citizenName: string | null;
  reference: string;
  start: Date;
  end: Date;
  office: { name: string; address: string; phone: string | null; timeZone: string };
  cancelUrl: string;
};

const words = {
  de: {
    hello: (name: string | null) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    lead: (when: string, office: string) => `wir erinnern Sie an Ihren Termin am ${when} im ${office}.`,
    cantCome: 'Sie können nicht kommen? Bitte sagen Sie den Termin ab. Dann kann jemand anderes ihn bekommen.',
    cancel: 'Termin absagen',
    reference: 'Buchungsnummer',
    where: 'Ort',
    phone: 'Telefon',
    bye: 'Mit freundlichen Grüßen',
    subject: (ref: string, when: string) => `Erinnerung an Ihren Termin ${ref}: ${when}`,
    sms: (office: string, when: string, url: string) => `${office}: Erinnerung an Ihren Termin am ${when}. Absagen: ${url}`,
  },
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    lead: (when: string, office: string) => `this is a reminder of your appointment on ${when} at ${office}.`,
    cantCome: 'Cannot come? Please cancel the appointment, so that someone else can have it.',
    cancel: 'Cancel appointment',
    reference: 'Booking number',
    where: 'Place',
    phone: 'Phone',
    bye: 'Kind regards',
    subject: (ref: string, when: string) => `Reminder of your appointment ${ref}: ${when}`,
    sms: (office: string, when: string, url: string) => `${office}: reminder of your appointment on ${when}. Cancel: ${url}`,
  },
} as const;

/** `template`: the municipality's wording (kind `appointment_reminder`), null for the built-in text. */
export function renderAppointmentReminder(
  input: ReminderInput,
  template: MessageTemplate | null = null,
): { subject: string; text: string; html: string; sms: string } {
  const w = words[input.language];
  const tz = input.office.timeZone;
  const start = formatDateTime(input.start, tz, input.language);
  const end = formatTime(input.end, tz, input.language);
  const when = `${start} – ${end}`;
  const values = {
    name: input.citizenName ?? '',
    date: start,
    end,
    office: input.office.name,
    reference: input.reference,
    cancel: input.cancelUrl,
  };
  const rows: [string, string][] = [
    [w.reference, input.reference],
    [w.where, `${input.office.name}, ${input.office.address}`],
  ];
  if (input.office.phone) rows.push([w.phone, input.office.phone]);
  const blocks: Block[] = [
    { kind: 'p', text: w.hello(input.citizenName) },
    template?.intro ? { kind: 'text', text: fillTemplate(template.intro, values) } : { kind: 'p', text: w.lead(when, input.office.name) },
    { kind: 'facts', rows },
    { kind: 'p', text: w.cantCome },
    { kind: 'link', label: w.cancel, url: input.cancelUrl },
    { kind: 'p', text: `${w.bye}\n${input.office.name}` },
  ];
  const subject = w.subject(input.reference, formatDateTime(input.start, tz, input.language));
  return {
    subject,
    text: toText(blocks),
    html: toHtml(blocks, subject, input.language),
    sms: template?.sms ? fillTemplate(template.sms, values) : w.sms(input.office.name, start, input.cancelUrl),
  };
}

/** The built-in wording written as templates: what the texts page starts from. */
export const BUILT_IN_REMINDER_TEMPLATES = {
  de: { intro: words.de.lead('{date} – {end}', '{office}'), sms: words.de.sms('{office}', '{date}', '{cancel}') },
  en: { intro: words.en.lead('{date} – {end}', '{office}'), sms: words.en.sms('{office}', '{date}', '{cancel}') },
};
