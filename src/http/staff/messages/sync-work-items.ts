// Texts of the team lead's Klärfälle page (#6), German first; `en` must have the same shape.

const de = {
  nav: 'Klärfälle',
  title: 'Klärfälle der Zweigstelle',
  intro:
    'Was die Zweigstelle getan hat, gilt, auch im Notbetrieb: ein ausgegebenes Dokument, ein bedienter Spontankunde, eine kassierte Gebühr. Passte es nicht zum Stand der Zentrale, steht es hier. Bitte klären Sie den Fall und halten Sie in einer Notiz fest, was Sie getan haben.',
  empty: 'Keine offenen Klärfälle.',
  showAll: 'Auch erledigte der letzten 30 Tage zeigen',
  showOpen: 'Nur offene zeigen',
  kind: {
    lease_exceeded: 'Über das Kontingent der Zweigstelle hinaus vergeben',
    invalid_state: 'Passt nicht zum Stand der Zentrale',
    not_found: 'Der Zentrale unbekannt',
    walkin_quota_exhausted: 'Über das Tageskontingent für Spontankunden',
    actor_refused: 'Nicht übernommen: im Namen einer Person, für die die Zweigstelle nicht handeln darf',
  } as Record<string, string>,
  branch: 'An der Zweigstelle',
  cutOff: ' (Notbetrieb)',
  connected: ' (mit Verbindung zur Zentrale)',
  central: 'In der Zentrale',
  centralAt: (when: string) => `übernommen ${when}`,
  noDetails: '–',
  message: 'Beschreibung',
  note: 'Notiz: was wurde getan?',
  noteHint: 'Pflichtfeld, z. B. „Bürgerin angerufen, neuen Termin am 3.12. gebucht“',
  resolve: 'Als erledigt markieren',
  resolved: (when: string, who: string) => `Erledigt ${when} von ${who}`,
  saved: 'Der Klärfall ist erledigt.',
  noteMissing: 'Bitte schreiben Sie in die Notiz, was Sie getan haben.',
};

const en: typeof de = {
  nav: 'Work items',
  title: 'Work items from the branch',
  intro:
    'What the branch did stands, also during emergency operation: a document handed out, a walk-in served, a fee taken. Where it did not fit the central state, it is listed here. Please settle the case and note what you did.',
  empty: 'No open work items.',
  showAll: 'Also show those resolved in the last 30 days',
  showOpen: 'Show open ones only',
  kind: {
    lease_exceeded: 'Given beyond the branch lease',
    invalid_state: 'Does not fit the central state',
    not_found: 'Unknown centrally',
    walkin_quota_exhausted: 'Beyond the daily walk-in quota',
    actor_refused: 'Not applied: in the name of someone the branch may not act for',
  },
  branch: 'At the branch',
  cutOff: ' (emergency operation)',
  connected: ' (connected to the central server)',
  central: 'Centrally',
  centralAt: (when: string) => `applied ${when}`,
  noDetails: '–',
  message: 'Description',
  note: 'Note: what was done?',
  noteHint: 'Required, e.g. “called the citizen, booked a new appointment on 3 Dec”',
  resolve: 'Mark as resolved',
  resolved: (when: string, who: string) => `Resolved ${when} by ${who}`,
  saved: 'The work item is resolved.',
  noteMissing: 'Please note what you did.',
};

export const workItemMessages = { de, en };
export type WorkItemMessages = typeof de;
