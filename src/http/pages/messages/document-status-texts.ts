import type { UiLanguage } from '../../language.ts';

// Texts of the public document status page /status: is my ID card ready for collection?

const de = {
  title: 'Ist mein Ausweis abholbereit?',
  intro: 'Geben Sie die Vorgangsnummer aus Ihrem Antragsbeleg ein.',
  orderNumber: 'Vorgangsnummer',
  check: 'Status abfragen',
  notFound: 'Zu dieser Vorgangsnummer haben wir keinen Eintrag. Bitte prüfen Sie die Eingabe.',
  states: {
    in_production: 'Ihr Dokument wird noch hergestellt. Wir benachrichtigen Sie, sobald es abholbereit ist.',
    // Registered without email or mobile number: nobody can be told, so the page says to look again.
    in_production_silent: 'Ihr Dokument wird noch hergestellt. Bitte sehen Sie in einigen Tagen hier wieder nach.',
    ready: 'Ihr Dokument ist abholbereit.',
    handed_out: 'Dieses Dokument wurde bereits ausgegeben.',
    returned: 'Dieses Dokument wurde nicht abgeholt und zurückgeschickt. Bitte wenden Sie sich an das Bürgerbüro.',
  },
  where: 'Abholung',
  bring:
    'Bitte bringen Sie Ihr bisheriges Dokument mit. Wer für Sie abholt, braucht eine schriftliche Vollmacht und den eigenen Ausweis. Für die Abholung brauchen Sie keinen Termin.',
};

export type DocumentStatusTexts = typeof de;

const en: DocumentStatusTexts = {
  title: 'Is my ID card ready?',
  intro: 'Enter the order number from your application receipt.',
  orderNumber: 'Order number',
  check: 'Check status',
  notFound: 'We have no entry for this order number. Please check what you typed.',
  states: {
    in_production: 'Your document is still being produced. We will let you know as soon as it is ready.',
    in_production_silent: 'Your document is still being produced. Please check here again in a few days.',
    ready: 'Your document is ready for collection.',
    handed_out: 'This document has already been handed out.',
    returned: 'This document was not collected and has been sent back. Please contact the citizen office.',
  },
  where: 'Collection',
  bring:
    'Please bring your current document. Someone collecting for you needs a written authorisation and their own ID. You need no appointment to collect it.',
};

export function documentStatusTexts(lang: UiLanguage): DocumentStatusTexts {
  return lang === 'en' ? en : de;
}
