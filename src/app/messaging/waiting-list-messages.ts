import { fillTemplate, type MessageTemplate } from '../../domain/message-template.ts';
import { formatDateTime, formatTime, toHtml, toText, type Block, type MessageLanguage } from './appointment-messages.ts';

// What a person on the waiting list is told: that they are on it (with the one link to see their
// place, answer an offer or leave), and that a slot is held for them until a deadline. Short words:
// many read it on a phone, some only get the SMS.

export type WaitingListOffice = { name: string; address: string; timeZone: string };

export type RenderedWaitingMessage = { subject: string; text: string; html: string; sms: string };

const words = {
  de: {
    hello: (name: string) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    joinedSubject: 'Sie stehen auf der Warteliste',
    joined: (services: string) =>
      `Sie stehen auf der Warteliste für: ${services}. Wird ein passender Termin frei, reservieren wir ihn für Sie und schreiben Ihnen sofort.`,
    joinedLink: 'Platz auf der Warteliste ansehen oder Warteliste verlassen',
    joinedSms: (link: string) => `Sie stehen auf der Warteliste. Ihr Platz und Abmeldung: ${link}`,
    offerSubject: (when: string) => `Termin frei geworden: ${when} – für Sie reserviert`,
    offer: (when: string, office: string, deadline: string) =>
      `ein Termin ist frei geworden und für Sie reserviert: ${when}, ${office}. Bitte nehmen Sie ihn bis ${deadline} an. Danach geht er an die nächste Person auf der Warteliste.`,
    offerLink: 'Termin annehmen oder ablehnen',
    offerSms: (office: string, when: string, deadline: string, link: string) =>
      `${office}: Termin für Sie reserviert am ${when}. Bitte bis ${deadline} annehmen: ${link}`,
    reference: 'Buchungsnummer',
    bye: 'Mit freundlichen Grüßen',
  },
  en: {
    hello: (name: string) => (name ? `Hello ${name},` : 'Hello,'),
    joinedSubject: 'You are on the waiting list',
    joined: (services: string) =>
      `You are on the waiting list for: ${services}. When a suitable appointment becomes free, we reserve it for you and write to you at once.`,
    joinedLink: 'See your place on the waiting list or leave it',
    joinedSms: (link: string) => `You are on the waiting list. Your place, or leave: ${link}`,
    offerSubject: (when: string) => `Appointment available: ${when} – reserved for you`,
    offer: (when: string, office: string, deadline: string) =>
      `an appointment has become free and is reserved for you: ${when}, ${office}. Please accept it by ${deadline}. After that it goes to the next person on the waiting list.`,
    offerLink: 'Accept or decline the appointment',
    offerSms: (office: string, when: string, deadline: string, link: string) =>
      `${office}: appointment reserved for you on ${when}. Please accept by ${deadline}: ${link}`,
    reference: 'Booking number',
    bye: 'Kind regards',
  },
} as const;

export function waitingListUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/warteliste/${token}`;
}

export function renderWaitingListJoined(input: {
  language: MessageLanguage;
  citizenName: string;
  services: string[];
  link: string;
  sender: string;
}): RenderedWaitingMessage {
  const w = words[input.language];
  const blocks: Block[] = [
    { kind: 'p', text: w.hello(input.citizenName) },
    { kind: 'p', text: w.joined(input.services.join(', ')) },
    { kind: 'link', label: w.joinedLink, url: input.link },
    { kind: 'p', text: `${w.bye}\n${input.sender}` },
  ];
  return {
    subject: w.joinedSubject,
    text: toText(blocks),
    html: toHtml(blocks, w.joinedSubject, input.language),
    sms: w.joinedSms(input.link),
  };
}

/** `template`: the municipality's wording (kind `waiting_list_offer`), null for the built-in text. */
export function renderWaitingListOffer(
  input: {
    language: MessageLanguage;
    citizenName: string;
    reference: string;
    start: Date;
    end: Date;
    deadline: Date;
    office: WaitingListOffice;
    services: string[];
    link: string;
  },
  template: MessageTemplate | null = null,
): RenderedWaitingMessage {
  const w = words[input.language];
  const lang = input.language;
  const tz = input.office.timeZone;
  const start = formatDateTime(input.start, tz, lang);
  const end = formatTime(input.end, tz, lang);
  const when = `${start} – ${end}`;
  const deadline = formatDateTime(input.deadline, tz, lang);
  const subject = w.offerSubject(start);
  const values = {
    name: input.citizenName,
    date: start,
    end,
    office: input.office.name,
    address: input.office.address,
    deadline,
    reference: input.reference,
    offer: input.link,
  };
  // The wording replaces the built-in paragraph and its link (it must carry {offer} itself).
  const own: Block[] = template?.intro
    ? [{ kind: 'text', text: fillTemplate(template.intro, values) }]
    : [
        { kind: 'p', text: w.offer(when, `${input.office.name}, ${input.office.address}`, deadline) },
        { kind: 'link', label: w.offerLink, url: input.link },
      ];
  const blocks: Block[] = [
    { kind: 'p', text: w.hello(input.citizenName) },
    ...own,
    { kind: 'facts', rows: [[w.reference, input.reference]] },
    { kind: 'list', title: lang === 'de' ? 'Ihre Anliegen' : 'Your services', items: input.services },
    { kind: 'p', text: `${w.bye}\n${input.office.name}` },
  ];
  return {
    subject,
    text: toText(blocks),
    html: toHtml(blocks, subject, lang),
    sms: template?.sms ? fillTemplate(template.sms, values) : w.offerSms(input.office.name, start, deadline, input.link),
  };
}

/** The built-in wording written as templates: what the texts page starts from. */
export const BUILT_IN_WAITING_LIST_OFFER_TEMPLATES = {
  de: {
    intro: `${words.de.offer('{date} – {end}', '{office}, {address}', '{deadline}')}\n\n${words.de.offerLink}:\n{offer}`,
    sms: words.de.offerSms('{office}', '{date}', '{deadline}', '{offer}'),
  },
  en: {
    intro: `${words.en.offer('{date} – {end}', '{office}, {address}', '{deadline}')}\n\n${words.en.offerLink}:\n{offer}`,
    sms: words.en.offerSms('{office}', '{date}', '{deadline}', '{offer}'),
  },
};
