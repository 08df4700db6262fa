import type { UiLanguage } from '../../language.ts';

// Texts of the office page /standorte/{office} (#24 item 4).

const de = {
  contactHeading: 'Kontakt',
  address: 'Anschrift',
  phone: 'Telefon',
  email: 'E-Mail',
  hoursHeading: 'Öffnungszeiten',
  hoursIntro:
    'So ist der Standort in den nächsten zwei Wochen geöffnet. Termine buchen Sie online; ohne Termin ziehen Sie vor Ort eine Wartenummer.',
  hoursCaption: 'Öffnungszeiten in den nächsten zwei Wochen',
  day: 'Tag',
  open: 'Geöffnet',
  closed: 'geschlossen',
  today: 'heute',
  range: (from: string, to: string) => `${from}–${to} Uhr`,
  holiday: (name: string) => `Feiertag: ${name}`,
  closedDay: 'Schließtag des Bürgerbüros',
  usually: 'sonst ',
  laterHeading: 'Abweichende Öffnungszeiten danach',
  laterNone: 'In den Wochen danach gelten die üblichen Öffnungszeiten, soweit bisher bekannt.',
  directionsHeading: 'Anfahrt',
  transportHeading: 'Mit Bus und Bahn',
  accessHeading: 'Barrierefreiheit',
  accessFacts: {
    stepFreeEntrance: ['Stufenloser Eingang', 'Kein stufenloser Eingang'],
    lift: ['Aufzug', 'Kein Aufzug'],
    accessibleToilet: ['Barrierefreies WC', 'Kein barrierefreies WC'],
    hearingLoop: ['Induktionsschleife für Hörgeräte', 'Keine Induktionsschleife'],
  } as Record<'stepFreeEntrance' | 'lift' | 'accessibleToilet' | 'hearingLoop', [string, string]>,
  accessUnknown: 'Zur Barrierefreiheit des Gebäudes liegen uns noch keine Angaben vor. Bitte fragen Sie telefonisch nach.',
  book: 'Termin buchen',
  allOffices: 'Alle Standorte',
  officesTitle: 'Unsere Standorte',
  moreAbout: (name: string) => `Anfahrt und Öffnungszeiten: ${name}`,
};

export type OfficeProfileTexts = typeof de;

const en: OfficeProfileTexts = {
  contactHeading: 'Contact',
  address: 'Address',
  phone: 'Phone',
  email: 'Email',
  hoursHeading: 'Opening hours',
  hoursIntro: 'This is when the office is open in the next two weeks. Book an appointment online; without one, take a ticket on site.',
  hoursCaption: 'Opening hours in the next two weeks',
  day: 'Day',
  open: 'Open',
  closed: 'closed',
  today: 'today',
  range: (from: string, to: string) => `${from} – ${to}`,
  holiday: (name: string) => `public holiday: ${name}`,
  closedDay: 'the citizens’ office is closed',
  usually: 'usually ',
  laterHeading: 'Different opening hours after that',
  laterNone: 'After that, the usual opening hours apply as far as we know.',
  directionsHeading: 'How to get there',
  transportHeading: 'By bus and train',
  accessHeading: 'Accessibility',
  accessFacts: {
    stepFreeEntrance: ['Step-free entrance', 'No step-free entrance'],
    lift: ['Lift', 'No lift'],
    accessibleToilet: ['Accessible toilet', 'No accessible toilet'],
    hearingLoop: ['Hearing loop', 'No hearing loop'],
  },
  accessUnknown: 'We have no details about the building’s accessibility yet. Please ask us by phone.',
  book: 'Book an appointment',
  allOffices: 'All offices',
  officesTitle: 'Our offices',
  moreAbout: (name: string) => `Directions and opening hours: ${name}`,
};

const texts: Record<UiLanguage, OfficeProfileTexts> = { de, en };

export function officeProfileTexts(language: UiLanguage): OfficeProfileTexts {
  return texts[language];
}
