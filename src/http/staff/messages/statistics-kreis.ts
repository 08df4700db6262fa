// Texts of the Kreis overview (#20): staff of the whole Kreis compare the towns. German first; `en` has the same shape.

const de = {
  title: 'Statistik – Kreis im Überblick',
  link: 'Alle Städte im Überblick',
  intro:
    'Je Stadt die Zahlen aller ihrer Standorte zusammen, im gewählten Zeitraum. Nur Summen und Anteile: keine Namen, keine Vorgangsnummern. Die Zahlen einzelner Standorte stehen auf der Statistikseite des Standorts.',
  filter: 'Zeitraum',
  caption: (from: string, to: string) => `Zahlen je Stadt: ${from} bis ${to}`,
  cols: {
    town: 'Stadt',
    offices: 'Standorte',
    booked: 'Buchungen eingegangen',
    served: 'Bedient',
    noShow: 'Nicht erschienen',
    noShowRate: 'Quote nicht erschienen',
    waitMedian: 'Wartezeit vor Ort (Median)',
  },
  total: 'Kreis gesamt',
  bookedNote: 'Buchungen zählen am Tag ihres Eingangs, alle anderen Zahlen am Tag des Termins.',
  csv: 'Als CSV herunterladen',
  noTowns: 'Es ist noch keine Stadt eingerichtet.',
};

const en: typeof de = {
  title: 'Statistics – the Kreis at a glance',
  link: 'All towns at a glance',
  intro:
    'For each town the figures of all its offices together, in the chosen range. Only sums and shares: no names, no references. The figures of one office are on that office’s statistics page.',
  filter: 'Date range',
  caption: (from: string, to: string) => `Figures per town: ${from} to ${to}`,
  cols: {
    town: 'Town',
    offices: 'Offices',
    booked: 'Bookings made',
    served: 'Served',
    noShow: 'No-shows',
    noShowRate: 'No-show rate',
    waitMedian: 'Wait on site (median)',
  },
  total: 'Whole Kreis',
  bookedNote: 'Bookings count on the day they were made, every other figure on the day of the appointment.',
  csv: 'Download as CSV',
  noTowns: 'No town has been set up yet.',
};

export type KreisStatisticsMessages = typeof de;
export const kreisStatisticsMessages = { de, en } as const;
