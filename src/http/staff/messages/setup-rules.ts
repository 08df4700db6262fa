// Texts of the rules page (/staff/verwaltung/regeln, issue #19), German first; `en` has the same shape.
// Each rule has a label and a short explanation of what it does to citizens and staff.

type Field = { label: string; hint: string };

const de = {
  nav: 'Regeln',
  title: 'Regeln der Terminvergabe',
  intro:
    'Je Standort: wann neue Termine freigegeben werden, welcher Anteil für den Tag selbst und für Telefonbuchungen zurückgehalten wird, Wartenummern, Anmeldefenster, Bestätigung, Erinnerung und wie lange freigehaltene Termine warten.',
  introLead: 'Sie sehen und ändern die Regeln Ihrer Standorte; die übrigen Standorte regelt die Administration.',
  caption: 'Regeln je Standort',
  col: { office: 'Standort', release: 'Freigabe', shares: 'Zurückgehalten', walkin: 'Wartenummern', reminder: 'Erinnerung' },
  back: 'Zurück zu den Regeln',
  edit: (office: string) => `Regeln für ${office} bearbeiten`,
  editLink: (office: string) => `Regeln für ${office}`,
  saved: (office: string) => `Die Regeln für „${office}“ sind gespeichert.`,
  unchanged: 'Nichts geändert: die Regeln waren schon so gespeichert.',
  weekdays: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
  release: (day: string, time: string, days: number) => `${day}s ${time} Uhr für ${days} ${days === 1 ? 'Tag' : 'Tage'}`,
  shares: (sameDay: string, phone: string) => `tagesaktuell ${sameDay}, Telefon ${phone}`,
  walkinDerived: 'aus den Schaltern für Spontankunden',
  walkinQuota: (n: number) => `${n} je Tag`,
  reminder: (hours: number) => `${hours} ${hours === 1 ? 'Stunde' : 'Stunden'} vorher`,
  // A no-break space: „50 %“ never breaks between number and sign.
  percent: (value: string) => `${value}\u00a0%`,
  submit: 'Weiter zur Vorschau',
  optional: '(optional)',
  errors: {
    whole: 'Bitte eine ganze Zahl eintragen.',
    percent: 'Bitte einen Anteil in Prozent eintragen, z. B. 20 oder 12,5.',
    time: 'Bitte eine Uhrzeit wie 07:00 eintragen.',
    percentRange: 'Bitte einen Anteil von 0 bis unter 100 Prozent eintragen.',
    shareSum: 'Tagesaktueller und telefonischer Anteil zusammen dürfen höchstens 100 Prozent sein.',
  },
  groups: {
    release: 'Freigabe neuer Termine',
    sameDay: 'Tagesaktuelle Termine',
    phone: 'Telefonbuchungen',
    walkin: 'Spontankunden mit Wartenummer',
    booking: 'Buchen und Anmelden',
    confirm: 'Bestätigung und Erinnerung',
    holds: 'Freigehaltene Termine',
  },
  fields: {
    releaseWeekday: { label: 'Wochentag der Freigabe', hint: 'An diesem Tag werden die Termine der nächsten Tage buchbar.' },
    releaseTime: {
      label: 'Uhrzeit der Freigabe',
      hint: 'Zum Beispiel 07:00. Ab dann können Bürgerinnen und Bürger die neuen Termine buchen.',
    },
    horizonDays: { label: 'Für wie viele Tage (1 bis 90)', hint: 'So weit reicht jede Freigabe in die Zukunft.' },
    sameDayShare: {
      label: 'Anteil für den Tag selbst (Prozent)',
      hint: 'Dieser Teil jedes Tages wird erst am Morgen des Tages buchbar – für dringende Anliegen. 0 = keiner.',
    },
    sameDayReleaseTime: { label: 'Uhrzeit der tagesaktuellen Freigabe', hint: 'Ab dieser Uhrzeit ist der zurückgehaltene Anteil buchbar.' },
    phoneShare: {
      label: 'Anteil nur für Telefonbuchungen (Prozent)',
      hint: 'Diesen Teil kann nur die Sachbearbeitung am Telefon vergeben, z. B. für Menschen ohne Internet. Zusammen mit dem tagesaktuellen Anteil höchstens 100.',
    },
    walkinQuota: {
      label: 'Wartenummern für Spontankunden je Tag',
      hint: 'Leer lassen: ergibt sich aus den Schaltern für Spontankunden im Wochenplan.',
    },
    walkinMinutes: { label: 'Minuten je Spontankunde', hint: 'Damit wird geschätzt, wie viele Wartenummern ein Tag verträgt.' },
    minLeadMinutes: {
      label: 'Mindestvorlauf einer Buchung (Minuten)',
      hint: 'So lange vor Beginn kann ein Termin zuletzt online gebucht werden. 0 = bis zum Beginn.',
    },
    checkinEarlyMinutes: {
      label: 'Anmeldung frühestens (Minuten vor dem Termin)',
      hint: 'So früh kann man sich am Kiosk oder Schalter anmelden.',
    },
    checkinLateMinutes: { label: 'Anmeldung spätestens (Minuten nach Beginn)', hint: 'Wer später kommt, bekommt keinen Vorrang mehr.' },
    confirmation: { label: 'Bestätigung online gebuchter Termine', hint: '' },
    reminderHours: {
      label: 'Erinnerung (Stunden vor dem Termin)',
      hint: 'Per E-Mail, sonst per SMS an ein Mobiltelefon, mit Link zum Absagen.',
    },
    waitingListHoldMinutes: {
      label: 'Angebot aus der Warteliste gilt (Minuten)',
      hint: 'So lange wird ein frei gewordener Termin für die nächste Person der Warteliste freigehalten.',
    },
    replacementHoldHours: {
      label: 'Ersatztermin gilt (Stunden)',
      hint: 'So lange wird ein Ersatztermin für jemanden freigehalten, dessen Termin der Standort abgesagt hat.',
    },
  } satisfies Record<string, Field>,
  confirmation: {
    email: 'Per Link in der E-Mail bestätigen (sonst verfällt die Reservierung)',
    none: 'Sofort bestätigt',
  },
};

export type RulesMessages = typeof de;

const en: RulesMessages = {
  nav: 'Rules',
  title: 'Booking rules',
  intro:
    'Per office: when new appointments are released, which share is held back for the day itself and for phone bookings, walk-in tickets, the check-in window, confirmation, reminders and how long held appointments wait.',
  introLead: 'You see and change the rules of your offices; the other offices are the administrators’.',
  caption: 'Rules per office',
  col: { office: 'Office', release: 'Release', shares: 'Held back', walkin: 'Walk-in tickets', reminder: 'Reminder' },
  back: 'Back to the rules',
  edit: (office) => `Edit the rules of ${office}`,
  editLink: (office) => `Rules of ${office}`,
  saved: (office) => `The rules of “${office}” are saved.`,
  unchanged: 'Nothing changed: the rules were already saved like this.',
  weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  release: (day, time, days) => `${day}s ${time} for ${days} ${days === 1 ? 'day' : 'days'}`,
  shares: (sameDay, phone) => `same day ${sameDay}, phone ${phone}`,
  walkinDerived: 'from the walk-in counters',
  walkinQuota: (n) => `${n} per day`,
  reminder: (hours) => `${hours} ${hours === 1 ? 'hour' : 'hours'} before`,
  percent: (value) => `${value}%`,
  submit: 'Continue to the preview',
  optional: '(optional)',
  errors: {
    whole: 'Please enter a whole number.',
    percent: 'Please enter a share in percent, e.g. 20 or 12.5.',
    time: 'Please enter a time like 07:00.',
    percentRange: 'Please enter a share from 0 to below 100 percent.',
    shareSum: 'The same-day and phone shares together may be at most 100 percent.',
  },
  groups: {
    release: 'Release of new appointments',
    sameDay: 'Same-day appointments',
    phone: 'Phone bookings',
    walkin: 'Walk-ins with a ticket',
    booking: 'Booking and check-in',
    confirm: 'Confirmation and reminder',
    holds: 'Held appointments',
  },
  fields: {
    releaseWeekday: { label: 'Weekday of the release', hint: 'On this day the appointments of the coming days become bookable.' },
    releaseTime: { label: 'Time of the release', hint: 'For example 07:00. From then on citizens can book the new appointments.' },
    horizonDays: { label: 'For how many days (1 to 90)', hint: 'How far each release reaches into the future.' },
    sameDayShare: {
      label: 'Share for the day itself (percent)',
      hint: 'This part of each day becomes bookable only on the morning of that day – for urgent matters. 0 = none.',
    },
    sameDayReleaseTime: { label: 'Time of the same-day release', hint: 'From this time the held-back share is bookable.' },
    phoneShare: {
      label: 'Share for phone bookings only (percent)',
      hint: 'Only staff on the phone can give this part, e.g. to people without internet. Together with the same-day share at most 100.',
    },
    walkinQuota: { label: 'Walk-in tickets per day', hint: 'Leave empty: follows from the walk-in counters of the weekly plan.' },
    walkinMinutes: { label: 'Minutes per walk-in', hint: 'Used to estimate how many tickets a day can take.' },
    minLeadMinutes: {
      label: 'Minimum lead time of a booking (minutes)',
      hint: 'How long before its start an appointment can last be booked online. 0 = until it starts.',
    },
    checkinEarlyMinutes: {
      label: 'Check-in at the earliest (minutes before)',
      hint: 'How early people can check in at the kiosk or counter.',
    },
    checkinLateMinutes: {
      label: 'Check-in at the latest (minutes after the start)',
      hint: 'Whoever comes later has no priority any more.',
    },
    confirmation: { label: 'Confirmation of online bookings', hint: '' },
    reminderHours: {
      label: 'Reminder (hours before the appointment)',
      hint: 'By email, else by text message to a mobile, with a link to cancel.',
    },
    waitingListHoldMinutes: {
      label: 'A waiting-list offer holds (minutes)',
      hint: 'How long a freed appointment is held for the next person on the waiting list.',
    },
    replacementHoldHours: {
      label: 'A replacement holds (hours)',
      hint: 'How long a replacement is held for someone whose appointment the office cancelled.',
    },
  },
  confirmation: {
    email: 'Confirm by the link in the email (else the reservation lapses)',
    none: 'Confirmed at once',
  },
};

export const rulesMessages = { de, en };
