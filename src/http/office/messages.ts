import type { UiLanguage } from '../language.ts';
import { formatWaitMinutes } from '../pages/format.ts';

// Texts of the office devices (kiosk, call display).

const de = {
  kiosk: {
    title: 'Anmeldung',
    intro: 'Willkommen! Bitte melden Sie sich hier an.',
    withAppointment: 'Ich habe einen Termin',
    reference: 'Buchungsnummer (z. B. K7M-4Q2) – oder QR-Code der Terminbestätigung an den Scanner halten',
    checkIn: 'Anmelden',
    withoutAppointment: 'Ich habe keinen Termin',
    withoutIntro: 'Wählen Sie Ihr Anliegen. Sie erhalten eine Wartenummer, solange es heute noch Plätze gibt.',
    yourNumber: 'Ihre Wartenummer',
    appointmentAt: (time: string) => `Ihr Termin: ${time}. Bitte nehmen Sie Platz, Ihre Nummer wird auf dem Bildschirm aufgerufen.`,
    waitAbout: (minutes: number) =>
      minutes <= 0
        ? 'Sie sind gleich an der Reihe. Bitte achten Sie auf den Bildschirm.'
        : `Geschätzte Wartezeit: ${formatWaitMinutes(minutes, 'de')}. Bitte achten Sie auf den Bildschirm.`,
    priority: 'Notfall (wird vorgezogen)',
    done: 'Fertig',
    tooEarly: (time: string) => `Für diesen Termin ist es noch zu früh. Sie können sich ab ${time} anmelden.`,
    backHint: 'Diese Seite kehrt nach einer Minute zur Anmeldung zurück.',
    unknownReference:
      'Zu dieser Buchungsnummer finden wir heute keinen Termin hier. Bitte vergleichen Sie die Nummer mit Ihrer Terminbestätigung. Stimmt sie, melden Sie sich bitte am Schalter – oder ziehen Sie unten eine Wartenummer.',
    closedForWalkins: 'Heute werden keine Wartenummern ohne Termin mehr ausgegeben.',
  },
  display: {
    title: 'Aufruf',
    ticket: 'Nummer',
    counter: 'Schalter',
    empty: 'Noch keine Aufrufe.',
    call: (label: string, counter: number) => `Nummer ${label}, bitte zu Schalter ${counter}.`,
    gongOn: 'Ton einschalten',
    gongOff: 'Ton ausschalten',
    clock: 'Uhrzeit',
    notice: 'Hinweis',
    waiting: (n: number) => (n < 1 ? 'Niemand wartet' : `${n} ${n === 1 ? 'Person wartet' : 'Personen warten'}`),
    walkinWait: (m: number) => `Wartezeit ohne Termin: ${formatWaitMinutes(m, 'de')}`,
    offline: 'Verbindung unterbrochen – wird wiederhergestellt …',
  },
  unknownOffice: {
    title: 'Seite nicht gefunden',
    body: 'Dieses Gerät zeigt eine Adresse, die es hier nicht gibt. Bitte sagen Sie am Schalter Bescheid.',
    staffHint: 'Für die Einrichtung: Die Adresse lautet /kiosk/STANDORT oder /display/STANDORT, mit der Kennung aus der Stadtdatei.',
  },
  pairing: {
    title: 'Gerät freigeben',
    kinds: { kiosk: 'Anmeldeterminal', display: 'Aufrufanzeige' },
    intro: (kind: string, office: string) => `Dieses Gerät ist noch nicht als ${kind} für ${office} freigegeben.`,
    how: (minutes: number) =>
      `Eine Teamleitung erzeugt den Kopplungscode in der Mitarbeiteransicht unter „Geräte“. Der Code gilt ${minutes} Minuten und nur für ein Gerät.`,
    code: 'Kopplungscode (8 Zeichen, z. B. K7MA-4Q2C)',
    submit: 'Gerät freigeben',
    checkCode: 'Bitte prüfen Sie den Code.',
    network: 'Geräte im Netz des Bürgerbüros brauchen keinen Code, wenn die IT dieses Netz freigegeben hat.',
  },
};

export type OfficeMessages = typeof de;

const en: OfficeMessages = {
  kiosk: {
    title: 'Check-in',
    intro: 'Welcome! Please check in here.',
    withAppointment: 'I have an appointment',
    reference: 'Booking number (e.g. K7M-4Q2) – or hold the QR code of your confirmation to the scanner',
    checkIn: 'Check in',
    withoutAppointment: 'I have no appointment',
    withoutIntro: 'Choose what you need. You get a ticket as long as there are places left today.',
    yourNumber: 'Your ticket number',
    appointmentAt: (time: string) => `Your appointment: ${time}. Please take a seat; your number will be called on the screen.`,
    waitAbout: (minutes: number) =>
      minutes <= 0
        ? 'It is your turn shortly. Please watch the screen.'
        : `Estimated wait: ${formatWaitMinutes(minutes, 'en')}. Please watch the screen.`,
    priority: 'Emergency (called first)',
    done: 'Done',
    tooEarly: (time: string) => `It is too early for this appointment. You can check in from ${time}.`,
    backHint: 'This page returns to the check-in after a minute.',
    unknownReference:
      'We cannot find an appointment here today with this booking number. Please compare it with your confirmation. If it is right, please go to the counter – or take a ticket below.',
    closedForWalkins: 'No more tickets without an appointment are given out today.',
  },
  display: {
    title: 'Calls',
    ticket: 'Number',
    counter: 'Counter',
    empty: 'No calls yet.',
    call: (label: string, counter: number) => `Number ${label}, please go to counter ${counter}.`,
    gongOn: 'Turn sound on',
    gongOff: 'Turn sound off',
    clock: 'Time',
    notice: 'Notice',
    waiting: (n: number) => (n < 1 ? 'Nobody waiting' : `${n} ${n === 1 ? 'person' : 'people'} waiting`),
    walkinWait: (m: number) => `Wait without appointment: ${formatWaitMinutes(m, 'en')}`,
    offline: 'Connection lost – reconnecting …',
  },
  unknownOffice: {
    title: 'Page not found',
    body: 'This device shows an address that does not exist here. Please tell the staff at the counter.',
    staffHint: 'For set-up: the address is /kiosk/OFFICE or /display/OFFICE, with the id from the town file.',
  },
  pairing: {
    title: 'Enrol this device',
    kinds: { kiosk: 'check-in kiosk', display: 'call display' },
    intro: (kind: string, office: string) => `This device is not yet enrolled as a ${kind} for ${office}.`,
    how: (minutes: number) =>
      `A team lead creates the pairing code in the staff pages under “Devices”. The code is valid for ${minutes} minutes and for one device.`,
    code: 'Pairing code (8 characters, e.g. K7MA-4Q2C)',
    submit: 'Enrol device',
    checkCode: 'Please check the code.',
    network: 'Devices on the citizen office’s network need no code if IT has enabled that network.',
  },
};

export function officeMessages(lang: UiLanguage): OfficeMessages {
  return lang === 'en' ? en : de;
}
