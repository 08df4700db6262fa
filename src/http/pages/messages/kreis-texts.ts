import type { UiLanguage } from '../../language.ts';

// Texts of the Kreis start page and of a town page asked for without a town (#20).

const de = {
  title: 'Termine in den Städten des Kreises',
  intro: 'Hier vereinbaren Sie Termine bei den Bürgerbüros mehrerer Städte. Bitte wählen Sie zuerst Ihre Stadt.',
  chooseTitle: 'Bitte wählen Sie Ihre Stadt',
  chooseBody:
    'Diese Seite gehört zu einer Stadt. Die Adresse nennt aber keine. Bitte wählen Sie Ihre Stadt; dort finden Sie die Seite wieder.',
  listLabel: 'Städte',
};

const en: typeof de = {
  title: 'Appointments in the towns of the district',
  intro: 'Here you book appointments at the citizens’ offices of several towns. Please choose your town first.',
  chooseTitle: 'Please choose your town',
  chooseBody: 'This page belongs to a town, but the address names none. Please choose your town; you will find the page there.',
  listLabel: 'Towns',
};

export const kreisTexts = (lang: UiLanguage) => (lang === 'en' ? en : de);
