import { fillTemplate, type MessageTemplate } from '../../domain/message-template.ts';
import { formatDateTime, formatTime, toHtml, toText, type Block, type MessageLanguage } from './appointment-messages.ts';

// What a person hears when the office cancels their appointment: one message that says why, what
// we hold for them instead and how to answer. Short words: many read it on a phone.

export type OfficeFacts = { name: string; address: string; phone: string | null; timeZone: string };

export type ClosureNoticeInput = {
  language: MessageLanguage;
  reference: string;
  citizenName: string | null;
  reason: string;
  original: { start: Date; office: OfficeFacts };
  services: string[];
  /** The held replacement, or null when none could be held. */
  held: { start: Date; end: Date; office: OfficeFacts; reference: string; deadline: Date } | null;
  links: { offer: string; choose: string; decline: string };
};

export type RenderedNotice = { subject: string; text: string; html: string; sms: string };

/**
 * The municipality's own wording (table message_template, src/app/messaging/message-templates.ts): `intro`
 * replaces the mail's "we have to cancel" paragraph, `sms` the whole SMS. null: the built-in text.
 */
export type ClosureNoticeTemplate = MessageTemplate;

const words = {
  de: {
    hello: (name: string | null) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    cancelled: (when: string, office: string, reason: string) =>
      `leider müssen wir Ihren Termin am ${when} im ${office} absagen. Grund: ${reason}. Bitte entschuldigen Sie die Unannehmlichkeiten.`,
    held: (when: string, office: string, deadline: string) =>
      `Wir haben für Sie schon einen neuen Termin reserviert: ${when}, ${office}. Die Reservierung gilt bis ${deadline}. Bitte sagen Sie uns bis dahin, ob Sie ihn nehmen.`,
    noneHeld:
      'Wir konnten noch keinen Ersatztermin für Sie reservieren. Sie können einen neuen Termin wählen – vor allen anderen, auch kurzfristig frei gewordene Termine.',
    accept: 'Termin annehmen',
    choose: 'Anderen Termin wählen',
    decline: 'Absagen – ich brauche keinen Termin mehr',
    reference: 'Buchungsnummer',
    newReference: 'Neue Buchungsnummer',
    services: 'Ihre Anliegen',
    phone: 'Telefon',
    bye: 'Mit freundlichen Grüßen',
    subjectHeld: (ref: string) => `Ihr Termin ${ref} fällt aus – Ersatztermin reserviert`,
    subjectNone: (ref: string) => `Ihr Termin ${ref} fällt aus`,
    sms: (office: string, when: string, held: string | null, deadline: string | null, link: string) =>
      `${office}: Ihr Termin am ${when} fällt aus. ${held ? `Für Sie reserviert: ${held}. Bitte bis ${deadline} annehmen oder ändern: ${link}` : `Neuen Termin wählen: ${link}`}`,
    reminderSubject: (ref: string) => `Erinnerung: Ihr reservierter Ersatztermin ${ref}`,
    reminder: (when: string, deadline: string) =>
      `Ihr reservierter Ersatztermin am ${when} verfällt am ${deadline}, wenn Sie ihn nicht annehmen.`,
    reminderSms: (office: string, when: string, deadline: string, link: string) =>
      `${office}: Ihr reservierter Termin am ${when} verfällt am ${deadline}. Annehmen: ${link}`,
  },
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    cancelled: (when: string, office: string, reason: string) =>
      `we are sorry, but we have to cancel your appointment on ${when} at ${office}. Reason: ${reason}. Please excuse the inconvenience.`,
    held: (when: string, office: string, deadline: string) =>
      `We have already reserved a new appointment for you: ${when}, ${office}. The reservation is kept until ${deadline}. Please tell us by then whether you take it.`,
    noneHeld:
      'We could not reserve a replacement for you yet. You can choose a new appointment before everyone else, including times that have just become free.',
    accept: 'Accept appointment',
    choose: 'Choose another time',
    decline: 'Cancel – I no longer need an appointment',
    reference: 'Booking number',
    newReference: 'New booking number',
    services: 'Your services',
    phone: 'Phone',
    bye: 'Kind regards',
    subjectHeld: (ref: string) => `Your appointment ${ref} is cancelled – replacement reserved`,
    subjectNone: (ref: string) => `Your appointment ${ref} is cancelled`,
    sms: (office: string, when: string, held: string | null, deadline: string | null, link: string) =>
      `${office}: your appointment on ${when} is cancelled. ${held ? `Reserved for you: ${held}. Accept or change by ${deadline}: ${link}` : `Choose a new time: ${link}`}`,
    reminderSubject: (ref: string) => `Reminder: your reserved replacement ${ref}`,
    reminder: (when: string, deadline: string) => `Your reserved replacement on ${when} lapses on ${deadline} unless you accept it.`,
    reminderSms: (office: string, when: string, deadline: string, link: string) =>
      `${office}: your reserved appointment on ${when} lapses on ${deadline}. Accept: ${link}`,
  },
} as const;

export function renderClosureNotice(input: ClosureNoticeInput, template: ClosureNoticeTemplate | null = null): RenderedNotice {
  const w = words[input.language];
  const lang = input.language;
  const when = formatDateTime(input.original.start, input.original.office.timeZone, lang);
  const heldWhen = input.held ? `${formatDateTime(input.held.start, input.held.office.timeZone, lang)}, ${input.held.office.name}` : '';
  const heldDeadline = input.held ? formatDateTime(input.held.deadline, input.held.office.timeZone, lang) : '';
  const values = {
    name: input.citizenName ?? '',
    date: when,
    office: input.original.office.name,
    reason: input.reason,
    held: heldWhen,
    deadline: heldDeadline,
    offer: input.held ? input.links.offer : input.links.choose,
  };
  const intro = template?.intro ? fillTemplate(template.intro, values) : w.cancelled(when, input.original.office.name, input.reason);
  const blocks: Block[] = [
    { kind: 'p', text: w.hello(input.citizenName) },
    { kind: 'p', text: intro },
  ];
  let heldText: string | null = null;
  let deadline: string | null = null;
  if (input.held) {
    const tz = input.held.office.timeZone;
    heldText = `${formatDateTime(input.held.start, tz, lang)} – ${formatTime(input.held.end, tz, lang)}`;
    deadline = formatDateTime(input.held.deadline, tz, lang);
    blocks.push(
      { kind: 'p', text: w.held(heldText, `${input.held.office.name}, ${input.held.office.address}`, deadline) },
      { kind: 'link', label: w.accept, url: input.links.offer },
      { kind: 'link', label: w.choose, url: input.links.choose },
      { kind: 'link', label: w.decline, url: input.links.decline },
    );
  } else {
    blocks.push(
      { kind: 'p', text: w.noneHeld },
      { kind: 'link', label: w.choose, url: input.links.choose },
      { kind: 'link', label: w.decline, url: input.links.decline },
    );
  }
  const rows: [string, string][] = [[w.reference, input.reference]];
  if (input.held) rows.push([w.newReference, input.held.reference]);
  if (input.original.office.phone) rows.push([w.phone, input.original.office.phone]);
  blocks.push({ kind: 'facts', rows }, { kind: 'list', title: w.services, items: input.services });
  blocks.push({ kind: 'p', text: `${w.bye}\n${input.original.office.name}` });
  const subject = input.held ? w.subjectHeld(input.reference) : w.subjectNone(input.reference);
  const smsWhen = formatDateTime(input.original.start, input.original.office.timeZone, lang);
  return {
    subject,
    text: toText(blocks),
    html: toHtml(blocks, subject, lang),
    sms: template?.sms
      ? fillTemplate(template.sms, values)
      : w.sms(input.original.office.name, smsWhen, heldText, deadline, input.held ? input.links.offer : input.links.choose),
  };
}

/** `template`: the municipality's wording (kind `replacement_reminder`), null for the built-in text. */
export function renderOfferReminder(
  input: {
    language: MessageLanguage;
    citizenName: string | null;
    reference: string;
    held: { start: Date; office: OfficeFacts; deadline: Date };
    links: { offer: string; choose: string; decline: string };
  },
  template: MessageTemplate | null = null,
): RenderedNotice {
  const w = words[input.language];
  const tz = input.held.office.timeZone;
  const when = formatDateTime(input.held.start, tz, input.language);
  const deadline = formatDateTime(input.held.deadline, tz, input.language);
  const subject = w.reminderSubject(input.reference);
  const values = {
    name: input.citizenName ?? '',
    date: when,
    office: input.held.office.name,
    deadline,
    reference: input.reference,
    offer: input.links.offer,
  };
  const blocks: Block[] = [
    { kind: 'p', text: w.hello(input.citizenName) },
    template?.intro ? { kind: 'text', text: fillTemplate(template.intro, values) } : { kind: 'p', text: w.reminder(when, deadline) },
    { kind: 'link', label: w.accept, url: input.links.offer },
    { kind: 'link', label: w.choose, url: input.links.choose },
    { kind: 'link', label: w.decline, url: input.links.decline },
    { kind: 'p', text: `${w.bye}\n${input.held.office.name}` },
  ];
  return {
    subject,
    text: toText(blocks),
    html: toHtml(blocks, subject, input.language),
    sms: template?.sms ? fillTemplate(template.sms, values) : w.reminderSms(input.held.office.name, when, deadline, input.links.offer),
  };
}

/** The reminder of a held replacement, written as templates: what the texts page starts from. */
export const BUILT_IN_OFFER_REMINDER_TEMPLATES: Record<MessageLanguage, { intro: string; sms: string }> = {
  de: { intro: words.de.reminder('{date}', '{deadline}'), sms: words.de.reminderSms('{office}', '{date}', '{deadline}', '{offer}') },
  en: { intro: words.en.reminder('{date}', '{deadline}'), sms: words.en.reminderSms('{office}', '{date}', '{deadline}', '{offer}') },
};

/** The built-in wording written as templates: what the staff page shows as the starting point. */
export const BUILT_IN_CLOSURE_TEMPLATES: Record<MessageLanguage, { intro: string; sms: string }> = {
  de: {
    intro: words.de.cancelled('{date}', '{office}', '{reason}'),
    sms: '{office}: Ihr Termin am {date} fällt aus. Für Sie reserviert: {held}. Bitte bis {deadline} annehmen oder ändern: {offer}',
  },
  en: {
    intro: words.en.cancelled('{date}', '{office}', '{reason}'),
    sms: '{office}: your appointment on {date} is cancelled. Reserved for you: {held}. Accept or change by {deadline}: {offer}',
  },
};
