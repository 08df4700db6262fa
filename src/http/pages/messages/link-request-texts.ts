import type { UiLanguage } from '../../language.ts';

// Texts of "Link erneut zusenden" (#24 item 2) and of the booking that meets an appointment the
// person already has (#22 defect 1). The answer never says whether the address has appointments.

const de = {
  title: 'Link zu Ihrem Termin erneut zusenden',
  intro:
    'Sie finden die E-Mail mit dem Link zum Verschieben oder Absagen nicht mehr? Geben Sie die E-Mail-Adresse oder die Handynummer an, mit der Sie gebucht haben. Wir schicken die Terminbestätigung mit einem neuen Link noch einmal.',
  contact: 'E-Mail-Adresse oder Handynummer',
  contactHint: 'So, wie Sie sie bei der Buchung angegeben haben',
  contactInvalid: 'Bitte geben Sie eine E-Mail-Adresse (mit @) oder eine Telefonnummer ein.',
  submit: 'Link zusenden',
  sentTitle: 'Anfrage angekommen',
  sent: 'Wenn unter dieser Adresse oder Nummer ein Termin gebucht ist, schicken wir die Bestätigung mit einem neuen Link in den nächsten Minuten dorthin. Der alte Link gilt dann nicht mehr. Bitte sehen Sie auch im Spam-Ordner nach.',
  sentPhone: 'Eine SMS können wir nur schicken, wenn das Bürgerbüro den SMS-Versand eingerichtet hat. Sonst rufen Sie uns bitte an.',
  limited:
    'Sie haben in der letzten Stunde schon mehrmals einen Link angefordert. Bitte warten Sie etwas und versuchen Sie es dann erneut.',
  toStart: 'Zur Startseite',
  footerLink: 'Neuen Link anfordern',
  lostMail: 'E-Mail nicht mehr da? Link erneut zusenden',
  existingTitle: 'Sie haben schon einen Termin für dieses Anliegen',
  existingBody:
    'Mit diesen Kontaktdaten ist für dieses Anliegen bereits ein Termin gebucht. Pro Person und Anliegen ist nur ein offener Termin möglich. Wenn Sie einen anderen Zeitpunkt möchten, verschieben Sie bitte den gebuchten Termin – den Link dazu finden Sie in Ihrer Terminbestätigung per E-Mail.',
  existingResend: 'Terminbestätigung erneut senden',
  existingResendHint: 'Wir schicken die Bestätigung mit einem neuen Link an die Adresse, mit der gebucht wurde.',
  existingBack: 'Andere Angaben machen',
};

export type LinkRequestTexts = typeof de;

const en: LinkRequestTexts = {
  title: 'Send the link to your appointment again',
  intro:
    'Cannot find the email with the link to move or cancel your appointment? Enter the email address or mobile number you booked with. We will send the confirmation again with a new link.',
  contact: 'Email address or mobile number',
  contactHint: 'As you entered it when booking',
  contactInvalid: 'Please enter an email address (with @) or a phone number.',
  submit: 'Send the link',
  sentTitle: 'Request received',
  sent: 'If an appointment is booked under this address or number, we will send the confirmation with a new link there within the next few minutes. The old link will then no longer work. Please also check your spam folder.',
  sentPhone: 'We can only send a text message if the citizen office has set up text messages. Otherwise, please call us.',
  limited: 'You have asked for a link several times in the last hour. Please wait a while and try again.',
  toStart: 'To the start page',
  footerLink: 'Request a new link',
  lostMail: 'Lost the email? Send the link again',
  existingTitle: 'You already have an appointment for this',
  existingBody:
    'An appointment for this service is already booked with these contact details. Each person can have one open appointment per service. If you would like a different time, please move the booked appointment – the link is in your confirmation email.',
  existingResend: 'Send the confirmation again',
  existingResendHint: 'We will send the confirmation with a new link to the address used for booking.',
  existingBack: 'Change my details',
};

const texts: Record<UiLanguage, LinkRequestTexts> = { de, en };

export function linkRequestTexts(language: UiLanguage): LinkRequestTexts {
  return texts[language];
}
