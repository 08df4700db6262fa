// What `schalter setup init` prints: a small town that passes `setup check` as it stands, with every
// key explained and the optional ones shown with their default. A test keeps it valid.

export const TOWN_FILE_TEMPLATE = `# Stadtdatei für Schalter: Standorte, Dienstleistungen, Öffnungszeiten, Besetzung und Regeln.
# Prüfen:   schalter setup check stadt.yaml
# Für den Editor (Vervollständigung, Prüfung beim Tippen):
#           schalter setup schema > schalter-stadt.schema.json
# yaml-language-server: $schema=./schalter-stadt.schema.json
#
# Schlüssel sind englisch, Texte deutsch und englisch. Was nicht dasteht, gilt mit dem Standardwert
# (hier als Kommentar gezeigt). Listen zählen ab 0: offices[0] ist der erste Standort.
# Uhrzeiten in Anführungszeichen ("08:00"), Daten als JJJJ-MM-TT, Anteile als Dezimalzahl (0.2 = 20 %).
version: 1

municipality:
  id: beispielstadt                  # Kennung: a–z, 0–9, Bindestrich
  name: Stadt Beispielstadt
  # siteTitle: Termine im Bürgerbüro  # Titel der Terminseiten (Standard: name)
  # logo: wappen.svg                 # SVG oder PNG bis 512 KB, relativ zu dieser Datei
  mailFrom: "Bürgerbüro Beispielstadt <buergerbuero@beispielstadt.example>"
  # phone: 0221 4710-500
  imprintUrl: https://www.beispielstadt.example/impressum
  privacyUrl: https://www.beispielstadt.example/datenschutz
  # accessibilityUrl: https://www.beispielstadt.example/barrierefreiheit
  # signLanguageVideoUrl: https://www.beispielstadt.example/dgs.mp4  # Video in Gebärdensprache
  # defaultLanguage: de              # de | en
  holidayRegion: DE-NW               # gesetzliche Feiertage dieses Landes sind geschlossen
  # Eigene Schließtage: ein Datum (2027-05-07), jährlich (12-24), rosenmontag, weiberfastnacht,
  # heiligabend, silvester, oder Tage vor/nach Ostersonntag (ostern-48 = Rosenmontag).
  closedDays: [heiligabend, silvester]

services:
  - id: personalausweis
    name: { de: Personalausweis beantragen, en: Apply for an ID card }
    # description: { de: …, en: … }
    minutes: { first: 20, further: 15 }  # erste Person, jede weitere (Standard: wie first)
    feeCents: 3700                       # Gebühr in Cent; ohne Angabe gebührenfrei
    feeRules:                            # abweichende Gebühren, die der Schalter anwendet
      - { ageBelow: 24, feeCents: 2280, label: { de: Antragstellende unter 24 Jahren, en: Applicants under 24 } }
    documents:
      de: [Bisheriger Personalausweis oder Reisepass, Biometrisches Passfoto]
      en: [Your current ID card or passport, Biometric photo]
    # online: true                       # false: nur telefonisch oder am Schalter buchbar
    # maxPersons: 5
  - id: meldebescheinigung
    name: { de: Meldebescheinigung, en: Certificate of registration }
    minutes: { first: 10 }
    feeCents: 1000
    documents: { de: [Personalausweis oder Reisepass], en: [ID card or passport] }

offices:
  - id: rathaus
    name: Bürgerbüro im Rathaus
    address: Markt 1, 12345 Beispielstadt
    # phone: 0221 4710-501
    # email: buergerbuero@beispielstadt.example
    # directions: { de: "Eingang Marktseite, 1. OG", en: "Market-side entrance, first floor" }
    # publicTransport: { de: "Bus 12 bis Markt", en: "Bus 12 to Markt" }
    # accessibility: { stepFreeEntrance: true, lift: true, accessibleToilet: true, hearingLoop: false, de: "Rampe am Nebeneingang" }
    # timeZone: Europe/Berlin
    # holidayRegion und closedDays hier ersetzen die Angaben der Stadt für diesen Standort.
    # services: [personalausweis, meldebescheinigung]   # Standard: alle Dienstleistungen
    counters:                            # name Standard: "Schalter <number>"
      - { number: 1 }
      - { number: 2 }
      - { number: 3, name: Schalter 3 (Meldewesen), services: [meldebescheinigung] }
    # Öffnungszeiten und Besetzung: Schalter für Termine und für Spontankunden (ohne Termin).
    # Eine Uhrzeit darf an einem Tag nur in einer Zeile stehen.
    hours:
      - { days: [mon, tue, wed, thu, fri], from: "08:00", to: "12:30", appointmentCounters: 2, walkinCounters: 1 }
      - { days: [thu], from: "14:00", to: "18:00", appointmentCounters: 3 }
      # Jeden zweiten Samstag, gezählt ab dem ersten (kein "gerade Kalenderwoche"):
      - { days: [sat], everyWeeks: 2, startingFrom: 2027-01-09, from: "09:00", to: "12:00", appointmentCounters: 1 }
      # Ein Plan für später: validFrom/validTo (einschließlich).
      - { days: [tue], from: "14:00", to: "16:00", appointmentCounters: 2, validFrom: 2027-04-01, validTo: 2027-09-30 }
    # Abweichungen an einzelnen Tagen oder Zeiträumen. Ohne from/to gilt sie den ganzen Tag;
    # appointmentCounters: 0 schließt. Eine Zeit (from/to) geht einer ganztägigen Ausnahme vor.
    exceptions:
      - { date: 2027-01-12, appointmentCounters: 1, reason: Fortbildung }
      - { date: 2027-03-01, until: 2027-03-05, appointmentCounters: 1, reason: Umbau Schalter 2 }
      - { date: 2027-06-16, from: "08:00", to: "10:00", appointmentCounters: 0, reason: Personalversammlung }
    rules:
      release: { weekday: mon, time: "07:00", horizonDays: 14 }  # Termine freigeben: montags 07:00 für 14 Tage (höchstens 90)
      sameDayShare: 0.2            # Anteil jedes Tages, erst am Tag selbst freigegeben (Standard 0)
      # sameDayReleaseTime: "07:00"
      phoneShare: 0.1              # Anteil nur für telefonische Buchung durch das Team (Standard 0)
      # walkinQuota: 20            # Wartenummern ohne Termin je Tag (Standard: aus walkinCounters berechnet)
      # walkinMinutes: 15
      minLeadMinutes: 60           # kein Termin früher als 60 Minuten ab jetzt (Standard 0)
      # checkinEarlyMinutes: 30
      # checkinLateMinutes: 15
      # confirmation: email        # email: Online-Buchung per Link bestätigen | none
      # reminderHours: 24
      # waitingListHoldMinutes: 120
      # replacementHoldHours: 48
`;
