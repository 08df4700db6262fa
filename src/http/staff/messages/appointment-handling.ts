// Texts of a clerk's work on one appointment (#22, appointment handling): correcting it, cancelling it
// with a reason, sending the confirmation again. German first; `en` has the same shape.

const de = {
  edit: 'Termin bearbeiten',
  editTitle: (reference: string) => `Termin ${reference} bearbeiten`,
  back: 'Zurück zum Termin',
  contact: 'Kontaktdaten',
  name: 'Name',
  phone: 'Telefonnummer',
  email: 'E-Mail-Adresse',
  contactHint: 'Telefonnummer oder E-Mail-Adresse ist nötig.',
  services: 'Dienstleistungen',
  servicesHint:
    'Anzahl der Personen je Dienstleistung; 0 heißt: nicht gebucht. Braucht der Termin danach länger, muss im Anschluss an ihn noch Platz frei sein.',
  personsOf: (service: string) => `${service}: Personen`,
  servicesLocked: 'Die Dienstleistungen lassen sich nur bei Terminen ändern, die noch bevorstehen.',
  note: 'Notiz für Mitarbeitende',
  noteHint: 'Nur für Mitarbeitende sichtbar. Die Bürgerin oder der Bürger sieht die Notiz nie, auch nicht in E-Mails.',
  noteFact: 'Notiz (nur intern)',
  save: 'Änderungen speichern',
  saved: 'Die Änderungen sind gespeichert. Die Bürgerin oder der Bürger erhält dazu keine Nachricht.',
  unchanged: 'Es gab nichts zu ändern.',
  required: 'Bitte ausfüllen.',
  phoneInvalid: 'Bitte eine Telefonnummer aus Ziffern eingeben (Leerzeichen, +, /, - und Klammern sind erlaubt).',
  emailInvalid: 'Bitte eine gültige E-Mail-Adresse eingeben, z. B. name@beispiel.de.',
  noService: 'Bitte mindestens eine Dienstleistung mit mindestens einer Person wählen.',
  tooMany: (max: number) => `Höchstens ${max} ${max === 1 ? 'Person' : 'Personen'}.`,
  noteTooLong: 'Die Notiz darf höchstens 1.000 Zeichen lang sein.',
  persons: (n: number) => (n === 1 ? '1 Person' : `${n} Personen`),
};

const en: typeof de = {
  edit: 'Edit appointment',
  editTitle: (reference) => `Edit appointment ${reference}`,
  back: 'Back to the appointment',
  contact: 'Contact details',
  name: 'Name',
  phone: 'Phone number',
  email: 'Email address',
  contactHint: 'A phone number or an email address is needed.',
  services: 'Services',
  servicesHint:
    'Number of persons per service; 0 means not booked. If the appointment then takes longer, there must still be room right after it.',
  personsOf: (service) => `${service}: persons`,
  servicesLocked: 'Services can only be changed for appointments still to come.',
  note: 'Note for staff',
  noteHint: 'Visible to staff only. The citizen never sees the note, not in emails either.',
  noteFact: 'Note (internal)',
  save: 'Save changes',
  saved: 'The changes are saved. The citizen is not sent a message about them.',
  unchanged: 'There was nothing to change.',
  required: 'Please fill in.',
  phoneInvalid: 'Please enter a phone number of digits (spaces, +, /, - and brackets are allowed).',
  emailInvalid: 'Please enter a valid email address, e.g. name@example.com.',
  noService: 'Please choose at least one service with at least one person.',
  tooMany: (max) => `At most ${max} ${max === 1 ? 'person' : 'persons'}.`,
  noteTooLong: 'The note may be at most 1,000 characters long.',
  persons: (n) => (n === 1 ? '1 person' : `${n} persons`),
};

export const appointmentHandlingMessages = { de, en };
export type AppointmentHandlingMessages = typeof de;
