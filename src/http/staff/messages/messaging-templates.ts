// Texts of the team lead's page for the municipality's wording of closure notices (#5), German
// first; `en` must have the same shape.

const de = {
  nav: 'Textvorlagen',
  title: 'Textvorlage: Absage wegen Schließung',
  intro:
    'Hier legen Sie fest, wie die Nachricht an Bürgerinnen und Bürger lautet, wenn ihr Termin wegen einer Schließung ausfällt. Der Text gilt für die ganze Kommune. Leere Felder: der eingebaute Text wird verwendet. Anrede, Ersatztermin, Knöpfe und Buchungsnummern fügt Schalter immer selbst hinzu.',
  placeholders:
    'Platzhalter: {name} Name, {date} Datum und Uhrzeit des abgesagten Termins, {office} Standort, {reason} Grund, {held} reservierter Ersatztermin (leer, wenn keiner), {offer} Link zum Angebot.',
  language: { de: 'Deutsch', en: 'Englisch' },
  introField: (lang: string) => `E-Mail: Absatz zur Absage (${lang})`,
  smsField: (lang: string) => `SMS (${lang}, höchstens 480 Zeichen, muss {offer} enthalten)`,
  reason: 'Grund für die Vorschau',
  preview: 'Vorschau anzeigen',
  save: 'Speichern',
  previewOnly:
    'Den Text der Kommune ändern Administratorinnen und Administratoren. Sie können hier Texte ausprobieren und die Vorschau ansehen; gespeichert wird nichts.',
  saved: 'Die Textvorlage ist gespeichert. Sie gilt ab der nächsten Schließung.',
  previewTitle: 'Vorschau für einen Beispieltermin',
  previewIntro: 'Beispiel: Erika Mustermann, Termin morgen 10:00 Uhr, Ersatztermin übermorgen 09:00 Uhr.',
  mail: 'E-Mail',
  subject: 'Betreff',
  sms: 'SMS',
  chars: (n: number) => `${n} Zeichen`,
  unknown: (names: string[]) => `Unbekannte Platzhalter: ${names.map((n) => `{${n}}`).join(', ')}`,
  missingOffer: 'Die SMS muss den Link {offer} enthalten, sonst kann niemand antworten.',
  errorTitle: 'Bitte prüfen Sie Ihre Eingaben',
  messageTitle: 'So lautet die Nachricht (Beispiel)',
  editLink: 'Textvorlage ändern',
  /** For team leads, who may preview the wording but not save it. */
  viewLink: 'Textvorlage ansehen',
};

export type TemplateMessages = typeof de;

const en: TemplateMessages = {
  nav: 'Message texts',
  title: 'Message text: cancelled by closure',
  intro:
    'Decide here what citizens are told when their appointment is cancelled by a closure. The text applies to the whole municipality. Empty fields: the built-in text is used. Schalter always adds the greeting, the replacement, the buttons and the booking numbers itself.',
  placeholders:
    'Placeholders: {name} name, {date} date and time of the cancelled appointment, {office} office, {reason} reason, {held} the replacement held (empty if none), {offer} link to the offer.',
  language: { de: 'German', en: 'English' },
  introField: (lang: string) => `Email: paragraph about the cancellation (${lang})`,
  smsField: (lang: string) => `SMS (${lang}, at most 480 characters, must contain {offer})`,
  reason: 'Reason for the preview',
  preview: 'Show preview',
  save: 'Save',
  previewOnly: 'The municipality’s text is changed by administrators. You can try texts and see the preview here; nothing is saved.',
  saved: 'The text is saved. It applies from the next closure on.',
  previewTitle: 'Preview for a sample appointment',
  previewIntro: 'Sample: Erika Mustermann, appointment tomorrow 10:00, replacement the day after at 09:00.',
  mail: 'Email',
  subject: 'Subject',
  sms: 'SMS',
  chars: (n: number) => `${n} characters`,
  unknown: (names: string[]) => `Unknown placeholders: ${names.map((n) => `{${n}}`).join(', ')}`,
  missingOffer: 'The SMS must contain the link {offer}, otherwise nobody can answer.',
  errorTitle: 'Please check your entries',
  messageTitle: 'What the message says (sample)',
  editLink: 'Change the message text',
  viewLink: 'View the message text',
};

export const templateMessages = { de, en };
