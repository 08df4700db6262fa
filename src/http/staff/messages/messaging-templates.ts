import type { MessageKind } from '../../../domain/message-template.ts';

// Texts of the „Texte“ pages (#5 closure notice, #19 every citizen message), German first; `en`
// must have the same shape.

type KindTexts = { name: string; when: string; adds: string };

const kindsDe: Record<MessageKind, KindTexts> = {
  booking_confirmation: {
    name: 'Buchung bestätigen (E-Mail mit Bestätigungslink)',
    when: 'Geht an alle, die online buchen: Der Termin ist reserviert und erst gebucht, wenn die Person den Link öffnet.',
    adds: 'Schalter fügt Anrede, Buchungsnummer, Zeit und Ort, Gebühren, Anliegen, mitzubringende Unterlagen, Anfahrt, den Link zum Verschieben oder Absagen, Gruß und Kalenderdatei selbst hinzu.',
  },
  appointment_confirmed: {
    name: 'Termin bestätigt',
    when: 'Geht nach einer telefonischen Buchung und wenn jemand einen reservierten Ersatz- oder Wartelisten-Termin annimmt.',
    adds: 'Schalter fügt Anrede, Buchungsnummer, Zeit und Ort, Gebühren, Anliegen, Unterlagen, Anfahrt, den Link zum Verschieben oder Absagen, Gruß und Kalenderdatei selbst hinzu.',
  },
  appointment_reminder: {
    name: 'Erinnerung an den Termin',
    when: 'Geht einige Stunden vor dem Termin (wie viele, stellt die IT ein), per E-Mail oder SMS.',
    adds: 'Schalter fügt Anrede, Buchungsnummer, Ort, die Bitte um Absage mit Link und den Gruß selbst hinzu.',
  },
  document_ready: {
    name: 'Dokument abholbereit',
    when: 'Geht, sobald ein Ausweis oder Pass als abholbereit markiert ist, per E-Mail oder SMS.',
    adds: 'Schalter fügt in der E-Mail die Anrede selbst hinzu.',
  },
  closure_notice: {
    name: 'Absage wegen Schließung',
    when: 'Geht an alle, deren Termin wegen einer Schließung ausfällt, mit dem reservierten Ersatztermin.',
    adds: 'Schalter fügt Anrede, Ersatztermin, Knöpfe und Buchungsnummern selbst hinzu.',
  },
  waiting_list_offer: {
    name: 'Warteliste: Termin frei geworden',
    when: 'Geht an die nächste Person auf der Warteliste, für die ein Termin reserviert wurde.',
    adds: 'Schalter fügt Anrede, Buchungsnummer, Anliegen und Gruß selbst hinzu.',
  },
  replacement_reminder: {
    name: 'Ersatztermin: Erinnerung vor Ablauf',
    when: 'Geht vor Ablauf der Frist an alle, die einen reservierten Ersatztermin noch nicht angenommen haben.',
    adds: 'Schalter fügt Anrede, die Knöpfe (annehmen, anderen Termin, absagen) und den Gruß selbst hinzu.',
  },
};

const kindsEn: Record<MessageKind, KindTexts> = {
  booking_confirmation: {
    name: 'Confirm a booking (email with confirmation link)',
    when: 'Sent to everyone who books online: the appointment is reserved, and booked only once the person opens the link.',
    adds: 'Schalter adds the greeting, booking number, time and place, fees, services, documents to bring, directions, the link to move or cancel, the closing and the calendar file itself.',
  },
  appointment_confirmed: {
    name: 'Appointment confirmed',
    when: 'Sent after a booking by phone and when someone accepts a held replacement or waiting-list appointment.',
    adds: 'Schalter adds the greeting, booking number, time and place, fees, services, documents, directions, the link to move or cancel, the closing and the calendar file itself.',
  },
  appointment_reminder: {
    name: 'Appointment reminder',
    when: 'Sent some hours before the appointment (how many is set by IT), by email or SMS.',
    adds: 'Schalter adds the greeting, booking number, place, the request to cancel with its link and the closing itself.',
  },
  document_ready: {
    name: 'Document ready for collection',
    when: 'Sent as soon as an ID card or passport is marked ready, by email or SMS.',
    adds: 'Schalter adds the greeting of the email itself.',
  },
  closure_notice: {
    name: 'Cancelled by closure',
    when: 'Sent to everyone whose appointment is cancelled by a closure, with the replacement held for them.',
    adds: 'Schalter adds the greeting, the replacement, the buttons and the booking numbers itself.',
  },
  waiting_list_offer: {
    name: 'Waiting list: appointment available',
    when: 'Sent to the next person on the waiting list for whom an appointment was reserved.',
    adds: 'Schalter adds the greeting, booking number, services and closing itself.',
  },
  replacement_reminder: {
    name: 'Replacement: reminder before it lapses',
    when: 'Sent before the deadline to everyone who has not yet accepted a held replacement.',
    adds: 'Schalter adds the greeting, the buttons (accept, other time, cancel) and the closing itself.',
  },
};

const placeholdersDe: Record<string, string> = {
  name: 'Name',
  date: 'Datum und Uhrzeit des Termins',
  end: 'Uhrzeit des Terminendes',
  office: 'Standort',
  address: 'Anschrift des Standorts',
  reference: 'Buchungsnummer',
  deadline: 'Frist zum Annehmen oder Bestätigen (Datum und Uhrzeit)',
  confirm: 'Link zum Bestätigen',
  code: 'Bestätigungscode',
  cancel: 'Link zum Absagen',
  document: 'Dokument („Ihr Personalausweis“)',
  order: 'Vorgangsnummer',
  status: 'Link zur Statusseite',
  reason: 'Grund der Schließung',
  held: 'reservierter Ersatztermin (leer, wenn keiner)',
  offer: 'Link zum Angebot',
};

const placeholdersEn: Record<string, string> = {
  name: 'name',
  date: 'date and time of the appointment',
  end: 'time the appointment ends',
  office: 'office',
  address: 'address of the office',
  reference: 'booking number',
  deadline: 'deadline to accept or confirm (date and time)',
  confirm: 'link to confirm',
  code: 'confirmation code',
  cancel: 'link to cancel',
  document: 'document (“Your identity card”)',
  order: 'order number',
  status: 'link to the status page',
  reason: 'reason of the closure',
  held: 'the replacement held (empty if none)',
  offer: 'link to the offer',
};

const braces = (names: string[]) => names.map((n) => `{${n}}`).join(', ');

const de = {
  nav: 'Texte',
  listTitle: 'Texte der Nachrichten',
  listIntro:
    'Hier sehen Sie jede Nachricht, die Bürgerinnen und Bürger per E-Mail oder SMS bekommen. Team-Leitungen können Texte ausprobieren und in der Vorschau ansehen; speichern können Administratorinnen und Administratoren. Ein Text gilt für die ganze Kommune.',
  kindColumn: 'Nachricht',
  channelColumn: 'Weg',
  stateColumn: 'Text',
  channels: { mail: 'E-Mail', both: 'E-Mail oder SMS' },
  ownText: 'eigener Text',
  builtInText: 'eingebauter Text',
  kinds: kindsDe,
  title: (kind: string) => `Text: ${kind}`,
  intro:
    'Leere Felder: Der eingebaute Text wird verwendet. Die Felder zeigen den Text, der jetzt verschickt wird. Geschweifte Klammern sind Platzhalter; Pflicht-Platzhalter müssen im Text bleiben.',
  placeholderTitle: 'Platzhalter',
  placeholder: placeholdersDe,
  required: 'Pflicht',
  language: { de: 'Deutsch', en: 'Englisch' },
  introField: (lang: string) => `E-Mail: eigener Absatz (${lang})`,
  smsField: (lang: string) => `SMS (${lang}, höchstens 480 Zeichen)`,
  requiredHint: (names: string[]) => `Muss ${braces(names)} enthalten.`,
  reason: 'Grund für die Vorschau',
  preview: 'Vorschau anzeigen',
  save: 'Speichern',
  previewOnly:
    'Den Text der Kommune ändern Administratorinnen und Administratoren. Sie können hier Texte ausprobieren und die Vorschau ansehen; gespeichert wird nichts.',
  saved: 'Der Text ist gespeichert. Die nächste Nachricht dieser Art verwendet ihn.',
  previewTitle: 'Vorschau für einen Beispieltermin',
  previewIntro: 'Beispiel: Erika Mustermann, Termin morgen 10:00 Uhr, Ersatztermin übermorgen 09:00 Uhr.',
  mail: 'E-Mail',
  subject: 'Betreff',
  sms: 'SMS',
  chars: (n: number) => (n === 1 ? '1 Zeichen' : `${n} Zeichen`),
  smsLength: (chars: number, segments: number, unicode: boolean) =>
    `${chars === 1 ? '1 Zeichen' : `${chars} Zeichen`}, ${segments === 1 ? '1 SMS' : `${segments} SMS`}${unicode ? ' (Sonderzeichen: 70 statt 160 Zeichen je SMS)' : ''}`,
  unknown: (names: string[]) => `Unbekannte Platzhalter: ${braces(names)}`,
  missing: (names: string[]) =>
    names.length === 1 ? `Der Pflicht-Platzhalter ${braces(names)} fehlt.` : `Die Pflicht-Platzhalter ${braces(names)} fehlen.`,
  tooLong: (max: number, n: number) => `Höchstens ${max} Zeichen (jetzt ${n}).`,
  errorTitle: 'Bitte prüfen Sie Ihre Eingaben',
  messageTitle: 'So lautet die Nachricht (Beispiel)',
  editLink: 'Textvorlage ändern',
  /** For team leads, who may preview the wording but not save it. */
  viewLink: 'Textvorlage ansehen',
  back: 'Alle Texte',
};

export type TemplateMessages = typeof de;

const en: TemplateMessages = {
  nav: 'Texts',
  listTitle: 'Message texts',
  listIntro:
    'Every message citizens get by email or SMS. Team leads can try texts and see the preview; administrators save them. A text applies to the whole municipality.',
  kindColumn: 'Message',
  channelColumn: 'Channel',
  stateColumn: 'Text',
  channels: { mail: 'Email', both: 'Email or SMS' },
  ownText: 'own text',
  builtInText: 'built-in text',
  kinds: kindsEn,
  title: (kind: string) => `Text: ${kind}`,
  intro:
    'Empty fields: the built-in text is used. The fields show the text that is sent now. Curly braces are placeholders; required placeholders must stay in the text.',
  placeholderTitle: 'Placeholders',
  placeholder: placeholdersEn,
  required: 'required',
  language: { de: 'German', en: 'English' },
  introField: (lang: string) => `Email: own paragraph (${lang})`,
  smsField: (lang: string) => `SMS (${lang}, at most 480 characters)`,
  requiredHint: (names: string[]) => `Must contain ${braces(names)}.`,
  reason: 'Reason for the preview',
  preview: 'Show preview',
  save: 'Save',
  previewOnly: 'The municipality’s text is changed by administrators. You can try texts and see the preview here; nothing is saved.',
  saved: 'The text is saved. The next message of this kind uses it.',
  previewTitle: 'Preview for a sample appointment',
  previewIntro: 'Sample: Erika Mustermann, appointment tomorrow 10:00, replacement the day after at 09:00.',
  mail: 'Email',
  subject: 'Subject',
  sms: 'SMS',
  chars: (n: number) => (n === 1 ? '1 character' : `${n} characters`),
  smsLength: (chars: number, segments: number, unicode: boolean) =>
    `${chars === 1 ? '1 character' : `${chars} characters`}, ${segments === 1 ? '1 SMS' : `${segments} SMS`}${unicode ? ' (special characters: 70 instead of 160 characters per SMS)' : ''}`,
  unknown: (names: string[]) => `Unknown placeholders: ${braces(names)}`,
  missing: (names: string[]) =>
    names.length === 1
      ? `The required placeholder ${braces(names)} is missing.`
      : `The required placeholders ${braces(names)} are missing.`,
  tooLong: (max: number, n: number) => `At most ${max} characters (now ${n}).`,
  errorTitle: 'Please check your entries',
  messageTitle: 'What the message says (sample)',
  editLink: 'Change the message text',
  viewLink: 'View the message text',
  back: 'All texts',
};

export const templateMessages = { de, en };
