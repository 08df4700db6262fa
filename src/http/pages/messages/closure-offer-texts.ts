import type { UiLanguage } from '../../language.ts';

// Texts of the replacement-offer pages and of the closure notice on every citizen page. Kept beside
// de.ts/en.ts rather than in them: one closure feature, one file. Plain words: the reader has just
// learnt that their appointment is gone.

const offerDe = {
  title: 'Ihr Ersatztermin',
  cancelledTitle: 'Ihr Termin fällt aus',
  cancelled: (when: string, office: string) => `Ihr Termin am ${when} im ${office} fällt leider aus.`,
  reason: (reason: string) => `Grund: ${reason}.`,
  sorry: 'Bitte entschuldigen Sie die Unannehmlichkeiten.',
  heldHeading: 'Für Sie reserviert',
  heldIntro: (deadline: string) =>
    `Wir haben diesen Termin für Sie reserviert. Die Reservierung gilt bis ${deadline}. Bitte nehmen Sie ihn bis dahin an oder wählen Sie eine andere Zeit.`,
  newReference: 'Neue Buchungsnummer',
  when: 'Termin',
  where: 'Ort',
  services: 'Anliegen',
  accept: 'Termin annehmen',
  choose: 'Anderen Termin wählen',
  decline: 'Ich brauche keinen Termin mehr',
  noneHeld:
    'Wir konnten noch keinen Ersatztermin für Sie reservieren. Sie können selbst eine neue Zeit wählen – vor allen anderen, auch kurzfristig frei gewordene Termine.',
  acceptedTitle: 'Sie haben einen neuen Termin',
  accepted: 'Sie haben den Ersatztermin angenommen. Die Bestätigung mit dem Link zum Verwalten haben wir Ihnen geschickt.',
  declinedTitle: 'Sie haben abgesagt',
  declined:
    'Sie brauchen keinen Termin mehr. Die reservierte Zeit ist wieder für andere frei. Wenn Sie doch einen Termin brauchen, buchen Sie bitte neu.',
  expiredTitle: 'Die Reservierung ist abgelaufen',
  expired:
    'Sie haben den reservierten Termin nicht rechtzeitig angenommen. Die Zeit ist wieder für andere frei. Bitte buchen Sie einen neuen Termin oder rufen Sie uns an.',
  bookNew: 'Neuen Termin buchen',
  toOffer: 'Zurück zum Angebot',
  notFoundTitle: 'Angebot nicht gefunden',
  notFoundBody: 'Zu diesem Link gibt es kein Angebot. Bitte prüfen Sie, ob Sie den Link aus der Nachricht vollständig kopiert haben.',
  chooseTitle: 'Andere Zeit wählen',
  chooseIntro: 'Diese Zeiten können Sie vor allen anderen buchen. Wenn Sie eine wählen, geben wir die bisher reservierte Zeit frei.',
  chooseLegend: 'Freie Zeiten',
  chooseSubmit: 'Diesen Termin buchen',
  chooseRequired: 'Bitte wählen Sie eine Zeit aus.',
  chooseTaken: 'Diese Zeit ist gerade vergeben worden. Bitte wählen Sie eine andere.',
  noChoices: 'Zurzeit ist keine andere Zeit frei. Bitte rufen Sie uns an.',
  later: 'Spätere Zeiten zeigen',
  atOffice: (time: string, office: string) => `${time}, ${office}`,
  declineTitle: 'Keinen Termin mehr?',
  declineQuestion: 'Brauchen Sie wirklich keinen neuen Termin?',
  declineConsequence: 'Die für Sie reservierte Zeit wird sofort für andere frei.',
  declineSubmit: 'Ja, ich brauche keinen Termin mehr',
  declineKeep: 'Nein, zurück',
  notPossible: 'Das ist leider nicht mehr möglich.',
  limitTitle: 'Sie haben schon einen Termin',
  limitReached:
    'Sie haben für diese Dienstleistung inzwischen schon einen anderen offenen Termin, und mehr sind pro Person nicht möglich. Wenn Sie lieber den Ersatztermin möchten, sagen Sie zuerst den anderen ab (mit dem Link in seiner Bestätigung) und nehmen Sie dann das Angebot an, solange es gilt.',
};

export type OfferTexts = typeof offerDe;

const offerEn: OfferTexts = {
  title: 'Your replacement appointment',
  cancelledTitle: 'Your appointment is cancelled',
  cancelled: (when, office) => `We are sorry: your appointment on ${when} at ${office} is cancelled.`,
  reason: (reason) => `Reason: ${reason}.`,
  sorry: 'Please excuse the inconvenience.',
  heldHeading: 'Reserved for you',
  heldIntro: (deadline) => `We have reserved this appointment for you until ${deadline}. Please accept it by then or choose another time.`,
  newReference: 'New booking number',
  when: 'Appointment',
  where: 'Place',
  services: 'Services',
  accept: 'Accept appointment',
  choose: 'Choose another time',
  decline: 'I no longer need an appointment',
  noneHeld:
    'We could not reserve a replacement for you yet. You can choose a new time yourself, before everyone else, including times that have just become free.',
  acceptedTitle: 'You have a new appointment',
  accepted: 'You have accepted the replacement. We have sent you the confirmation with the link to manage it.',
  declinedTitle: 'You have cancelled',
  declined:
    'You no longer need an appointment. The reserved time is free for others again. If you do need one after all, please book again.',
  expiredTitle: 'The reservation has lapsed',
  expired:
    'You did not accept the reserved appointment in time. The time is free for others again. Please book a new appointment or call us.',
  bookNew: 'Book a new appointment',
  toOffer: 'Back to the offer',
  notFoundTitle: 'Offer not found',
  notFoundBody: 'There is no offer for this link. Please check that you copied the whole link from the message.',
  chooseTitle: 'Choose another time',
  chooseIntro: 'You can book these times before everyone else. When you choose one, we release the time reserved so far.',
  chooseLegend: 'Free times',
  chooseSubmit: 'Book this appointment',
  chooseRequired: 'Please choose a time.',
  chooseTaken: 'This time has just been taken. Please choose another.',
  noChoices: 'No other time is free at the moment. Please call us.',
  later: 'Show later times',
  atOffice: (time, office) => `${time}, ${office}`,
  declineTitle: 'No appointment needed?',
  declineQuestion: 'Do you really need no new appointment?',
  declineConsequence: 'The time reserved for you becomes free for others at once.',
  declineSubmit: 'Yes, I no longer need an appointment',
  declineKeep: 'No, go back',
  notPossible: 'This is no longer possible.',
  limitTitle: 'You already have an appointment',
  limitReached:
    'You have meanwhile booked another open appointment for this service, and no more are possible per person. If you would rather have the replacement, first cancel the other one (with the link in its confirmation), then accept the offer while it holds.',
};

const noticeDe = {
  label: 'Hinweis',
  today: (office: string, until: string) => `${office}: heute bis ${until} geschlossen.`,
  todayFrom: (office: string, from: string, until: string) => `${office}: heute von ${from} bis ${until} geschlossen.`,
  todayAllDay: (office: string) => `${office}: heute ganztägig geschlossen.`,
  todayRest: (office: string) => `${office}: heute bis Betriebsschluss geschlossen.`,
  todayFromOn: (office: string, from: string) => `${office}: heute ab ${from} geschlossen.`,
  onDay: (office: string, day: string) => `${office}: am ${day} ganztägig geschlossen.`,
  throughDay: (day: string) => `einschließlich ${day}`,
  until: (office: string, until: string) => `${office}: geschlossen bis ${until}.`,
  range: (office: string, from: string, until: string) => `${office}: geschlossen von ${from} bis ${until}.`,
  reason: (reason: string) => `Grund: ${reason}.`,
  affected: 'Wer einen Termin in dieser Zeit hatte, bekommt von uns Nachricht und einen Ersatztermin.',
};

export type NoticeTexts = typeof noticeDe;

const noticeEn: NoticeTexts = {
  label: 'Notice',
  today: (office, until) => `${office}: closed today until ${until}.`,
  todayFrom: (office, from, until) => `${office}: closed today from ${from} to ${until}.`,
  todayAllDay: (office) => `${office}: closed all day today.`,
  todayRest: (office) => `${office}: closed for the rest of today.`,
  todayFromOn: (office, from) => `${office}: closed today from ${from}.`,
  onDay: (office, day) => `${office}: closed all day on ${day}.`,
  throughDay: (day) => `the end of ${day}`,
  until: (office, until) => `${office}: closed until ${until}.`,
  range: (office, from, until) => `${office}: closed from ${from} to ${until}.`,
  reason: (reason) => `Reason: ${reason}.`,
  affected: 'If you had an appointment in this time, we will tell you and offer you a replacement.',
};

const reminderDe = {
  title: 'Termin absagen',
  question: 'Möchten Sie diesen Termin absagen?',
  consequence: 'Die Zeit wird sofort für andere frei.',
  submit: 'Ja, Termin absagen',
  keep: 'Wenn Sie kommen, müssen Sie nichts tun. Wir freuen uns auf Ihren Besuch.',
  reference: 'Buchungsnummer',
  when: 'Termin',
  where: 'Ort',
  cancelledTitle: 'Ihr Termin ist abgesagt',
  cancelled: 'Ihr Termin wurde abgesagt. Die Zeit ist wieder für andere frei. Eine Bestätigung haben wir Ihnen geschickt.',
  closedTitle: 'Dieser Termin kann nicht mehr abgesagt werden',
  closed: 'Der Termin hat schon begonnen oder ist vorbei. Bitte rufen Sie uns an, wenn Sie Fragen haben.',
  bookNew: 'Neuen Termin buchen',
  notFoundTitle: 'Termin nicht gefunden',
  notFoundBody: 'Zu diesem Link gibt es keinen Termin. Bitte prüfen Sie, ob Sie den Link aus der Erinnerung vollständig kopiert haben.',
};

export type ReminderTexts = typeof reminderDe;

const reminderEn: ReminderTexts = {
  title: 'Cancel appointment',
  question: 'Do you want to cancel this appointment?',
  consequence: 'The time becomes free for others at once.',
  submit: 'Yes, cancel the appointment',
  keep: 'If you are coming, there is nothing to do. We look forward to your visit.',
  reference: 'Booking number',
  when: 'Appointment',
  where: 'Place',
  cancelledTitle: 'Your appointment is cancelled',
  cancelled: 'Your appointment has been cancelled. The time is free for others again. We have sent you a confirmation.',
  closedTitle: 'This appointment can no longer be cancelled',
  closed: 'The appointment has begun or is over. Please call us if you have questions.',
  bookNew: 'Book a new appointment',
  notFoundTitle: 'Appointment not found',
  notFoundBody: 'There is no appointment for this link. Please check that you copied the whole link from the reminder.',
};

export const reminderTexts = (lang: UiLanguage): ReminderTexts => (lang === 'en' ? reminderEn : reminderDe);
export const offerTexts = (lang: UiLanguage): OfferTexts => (lang === 'en' ? offerEn : offerDe);
export const noticeTexts = (lang: UiLanguage): NoticeTexts => (lang === 'en' ? noticeEn : noticeDe);
