// Texts of the clerk's walk-in slot page (#6), German first; `en` must have the same shape.

const de = {
  nav: 'Spontantermin',
  title: 'Termin für Spontankunden',
  intro:
    'Geben Sie einer Person ohne Termin einen Termin später am selben Tag. Die Plätze kommen aus dem Kontingent der Zweigstelle und funktionieren auch im Notbetrieb.',
  service: 'Dienstleistung',
  persons: 'Personen',
  showStarts: 'Freie Zeiten zeigen',
  starts: 'Freie Zeiten heute',
  noStarts:
    'Im Kontingent ist heute nichts mehr frei. Sie können trotzdem einen Termin vergeben; er wird als Klärfall für die Teamleitung markiert.',
  give: 'Termin vergeben',
  giveAnyway: 'Trotzdem Termin vergeben (nächste 5 Minuten)',
  slipTitle: 'Termin vergeben',
  slip: (time: string, reference: string) => `Heute um ${time} Uhr, Buchungsnummer ${reference}. Bitte dem Bürger / der Bürgerin mitgeben.`,
  beyondLease: 'Über das Kontingent der Zweigstelle hinaus vergeben: die Teamleitung sieht das als Klärfall.',
  another: 'Weiteren Termin vergeben',
};

const en: typeof de = {
  nav: 'Walk-in slot',
  title: 'Slot for a walk-in',
  intro:
    'Give a person without an appointment a slot later the same day. The seats come from the branch lease and work during emergency operation too.',
  service: 'Service',
  persons: 'Persons',
  showStarts: 'Show free times',
  starts: 'Free times today',
  noStarts: 'Nothing is left in the lease today. You can still give a slot; it is flagged as a work item for the team lead.',
  give: 'Give slot',
  giveAnyway: 'Give a slot anyway (next 5 minutes)',
  slipTitle: 'Slot given',
  slip: (time: string, reference: string) => `Today at ${time}, booking number ${reference}. Please hand this to the citizen.`,
  beyondLease: 'Given beyond the branch lease: the team lead sees it as a work item.',
  another: 'Give another slot',
};

export const walkinSlotMessages = { de, en };
