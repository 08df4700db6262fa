import type { UiLanguage } from '../../language.ts';

// Texts of /leichte-sprache and /gebaerdensprache (#24 item 1, BITV 2.0 § 4). The Leichte-Sprache text
// follows the rules of the Netzwerk Leichte Sprache; docs/leichte-sprache-review.md says how, rule by
// rule. Long words are split with a hyphen (Netzwerk rule), not the Mediopunkt. Each entry of `lines`
// is one sentence and is shown on a line of its own.

/** A block of the page: a heading, sentences, optionally numbered steps and words explained. */
export type EasyBlock = {
  heading: string;
  lines: string[];
  steps?: string[];
  after?: string[];
  /** A word and its explanation, shown in a box beside the text. */
  word?: { term: string; lines: string[] };
};

const de = {
  headerNav: 'Barrierefreie Angebote',
  easyLink: 'Leichte Sprache',
  signLink: 'Gebärdensprache',
  easy: {
    title: 'Leichte Sprache',
    intro: (town: string | null) => [
      'Hier erklären wir diese Internet-Seite in Leichter Sprache.',
      'Die Internet-Seite ist vom Bürger-Büro.',
      ...(town ? [`Das Bürger-Büro gehört zu: ${town}.`] : []),
    ],
    officeWord: {
      term: 'Bürger-Büro',
      lines: ['Das Bürger-Büro ist ein Amt.', 'Dort bekommen Sie zum Beispiel einen Personal-Ausweis.'],
    },
    wordLabel: 'Wort-Erklärung',
    blocks: [
      {
        heading: 'Das können Sie auf dieser Internet-Seite machen',
        lines: ['Sie können einen Termin machen.', 'Sie können einen Termin verschieben.', 'Sie können einen Termin absagen.'],
        word: {
          term: 'Termin',
          lines: ['Ein Termin ist eine feste Zeit.', 'Zu dieser Zeit hat das Bürger-Büro Zeit für Sie.', 'So geht es schneller.'],
        },
      },
      {
        heading: 'So machen Sie einen Termin',
        lines: ['Sie machen den Termin in 5 Schritten.'],
        steps: [
          'Gehen Sie auf die Seite: Termin buchen.',
          'Wählen Sie Ihr Anliegen. Zum Beispiel: Personal-Ausweis beantragen.',
          'Wählen Sie einen Tag und eine Uhr-Zeit.',
          'Schreiben Sie Ihren Namen und Ihre E-Mail-Adresse in das Formular.',
          'Klicken Sie auf: Termin buchen.',
        ],
        after: [
          'Danach bekommen Sie eine E-Mail.',
          'In der E-Mail ist ein Link.',
          'Klicken Sie gleich auf diesen Link.',
          'Klicken Sie dann auf: Termin bestätigen.',
          'Jetzt ist der Termin fest.',
          'Sie haben keine E-Mail-Adresse.',
          'Dann rufen Sie im Bürger-Büro an.',
          'Das Bürger-Büro macht den Termin dann für Sie.',
        ],
        word: {
          term: 'Personal-Ausweis',
          lines: [
            'Ein Personal-Ausweis ist eine Karte.',
            'Auf der Karte steht Ihr Name.',
            'Auf der Karte ist ein Foto von Ihnen.',
            'Mit der Karte zeigen Sie: Das bin ich.',
          ],
        },
      },
      {
        heading: 'So verschieben Sie einen Termin',
        lines: ['Verschieben heißt: Sie kommen zu einer anderen Zeit.'],
        steps: [
          'Öffnen Sie die E-Mail vom Bürger-Büro.',
          'Klicken Sie auf den Link in der E-Mail.',
          'Klicken Sie auf: Termin verschieben.',
          'Wählen Sie eine neue Zeit.',
        ],
        word: {
          term: 'Link',
          lines: ['Ein Link ist ein Text zum Klicken.', 'Der Link bringt Sie auf eine andere Seite.'],
        },
      },
      {
        heading: 'So sagen Sie einen Termin ab',
        lines: [
          'Absagen heißt: Sie kommen nicht zum Termin.',
          'Bitte sagen Sie den Termin dann ab.',
          'So bekommt ein anderer Mensch die Zeit.',
        ],
        steps: [
          'Öffnen Sie die E-Mail vom Bürger-Büro.',
          'Klicken Sie auf den Link in der E-Mail.',
          'Klicken Sie auf: Termin absagen.',
          'Klicken Sie auf: Ja, Termin absagen.',
        ],
      },
      {
        heading: 'Das bringen Sie mit',
        lines: [
          'Jedes Anliegen braucht andere Unterlagen.',
          'Die Liste steht auf der Seite: Termin buchen.',
          'Die Liste steht auch in Ihrer E-Mail.',
          'Bringen Sie alles von der Liste mit.',
          'Sie können auch eine Person mitbringen.',
          'Die Person kann Ihnen helfen.',
        ],
        word: {
          term: 'Unterlagen',
          lines: ['Unterlagen sind wichtige Papiere.', 'Zum Beispiel: Ihr alter Ausweis.'],
        },
      },
    ] as EasyBlock[],
    lostHeading: 'Sie finden die E-Mail nicht mehr',
    lostLines: ['Das Bürger-Büro kann Ihnen den Link noch einmal schicken.', 'Klicken Sie dafür hier:'],
    lostLink: 'Link noch einmal schicken',
    bookLink: 'Termin buchen',
    helpHeading: 'Sie brauchen Hilfe',
    helpLines: ['Rufen Sie im Bürger-Büro an.', 'Oder schreiben Sie eine E-Mail.'],
    phone: 'Telefon',
    email: 'E-Mail',
  },
  sign: {
    title: 'Deutsche Gebärdensprache (DGS)',
    videoIntro: 'Im Video erklären wir diese Internet-Seite in Deutscher Gebärdensprache.',
    videoLink: 'Video in Deutscher Gebärdensprache ansehen',
    noVideo:
      'Ein Video in Deutscher Gebärdensprache gibt es für diese Seiten noch nicht. Hier lesen Sie, wie Sie mit einer Gebärdensprachdolmetscherin oder einem Gebärdensprachdolmetscher zu uns kommen.',
    interpreterHeading: 'Mit Dolmetschung zum Termin',
    interpreter: [
      'Buchen Sie Ihren Termin online wie alle anderen auch. Die Bestätigung kommt per E-Mail.',
      'Schreiben Sie uns bitte vor dem Termin eine E-Mail, dass Sie mit Dolmetschung kommen. Wir klären dann mit Ihnen, wer die Kosten der Dolmetschung trägt.',
      'Sie können uns auch über einen Vermittlungsdienst für Gebärdensprache anrufen, zum Beispiel Tess.',
    ],
    contactHeading: 'So erreichen Sie uns',
    noContact: 'Die Kontaktdaten finden Sie auf der Seite des Standorts.',
  },
};

export type EasyReadTexts = typeof de;

const en: EasyReadTexts = {
  headerNav: 'Accessible versions',
  easyLink: 'Easy Read',
  signLink: 'Sign language',
  easy: {
    title: 'Easy Read',
    intro: (town) => [
      'This page explains our website in easy words.',
      'The website is from the Citizens Office.',
      ...(town ? [`The Citizens Office belongs to: ${town}.`] : []),
    ],
    officeWord: {
      term: 'Citizens Office',
      lines: ['The Citizens Office is a public office.', 'There you get an ID card, for example.'],
    },
    wordLabel: 'What the word means',
    blocks: [
      {
        heading: 'What you can do on this website',
        lines: ['You can book an appointment.', 'You can move an appointment.', 'You can cancel an appointment.'],
        word: {
          term: 'Appointment',
          lines: ['An appointment is a fixed time.', 'At this time the Citizens Office has time for you.', 'So it is quicker.'],
        },
      },
      {
        heading: 'How to book an appointment',
        lines: ['You book in 5 steps.'],
        steps: [
          'Go to the page: Book an appointment.',
          'Choose what you need. For example: Apply for an ID card.',
          'Choose a day and a time.',
          'Write your name and your email address in the form.',
          'Click on: Book appointment.',
        ],
        after: [
          'Then you get an email.',
          'The email has a link.',
          'Click on this link soon.',
          'Then click on: Confirm appointment.',
          'Now the appointment is fixed.',
          'You have no email address.',
          'Then call the Citizens Office.',
          'The Citizens Office books the appointment for you.',
        ],
        word: {
          term: 'ID card',
          lines: ['An ID card is a card.', 'Your name is on the card.', 'A photo of you is on the card.', 'The card shows: This is me.'],
        },
      },
      {
        heading: 'How to move an appointment',
        lines: ['Move means: you come at another time.'],
        steps: [
          'Open the email from the Citizens Office.',
          'Click on the link in the email.',
          'Click on: Move appointment.',
          'Choose a new time.',
        ],
        word: {
          term: 'Link',
          lines: ['A link is a text you can click.', 'The link takes you to another page.'],
        },
      },
      {
        heading: 'How to cancel an appointment',
        lines: ['Cancel means: you do not come.', 'Please cancel the appointment then.', 'So another person gets the time.'],
        steps: [
          'Open the email from the Citizens Office.',
          'Click on the link in the email.',
          'Click on: Cancel appointment.',
          'Click on: Yes, cancel appointment.',
        ],
      },
      {
        heading: 'What to bring',
        lines: [
          'Each service needs other papers.',
          'The list is on the page: Book an appointment.',
          'The list is also in your email.',
          'Bring everything on the list.',
          'You can bring a person with you.',
          'The person can help you.',
        ],
        word: {
          term: 'Papers',
          lines: ['Papers are important documents.', 'For example: your old ID card.'],
        },
      },
    ],
    lostHeading: 'You cannot find the email',
    lostLines: ['The Citizens Office can send you the link again.', 'Click here:'],
    lostLink: 'Send the link again',
    bookLink: 'Book an appointment',
    helpHeading: 'You need help',
    helpLines: ['Call the Citizens Office.', 'Or write an email.'],
    phone: 'Phone',
    email: 'Email',
  },
  sign: {
    title: 'German Sign Language (DGS)',
    videoIntro: 'The video explains this website in German Sign Language.',
    videoLink: 'Watch the video in German Sign Language',
    noVideo: 'There is no video in German Sign Language for these pages yet. Here is how to come to us with a sign language interpreter.',
    interpreterHeading: 'Coming with an interpreter',
    interpreter: [
      'Book your appointment online like everyone else. The confirmation comes by email.',
      'Please email us before the appointment that you are coming with an interpreter. We will then agree with you who pays for the interpreter.',
      'You can also call us through a sign language relay service, such as Tess.',
    ],
    contactHeading: 'How to reach us',
    noContact: 'You find the contact details on the office page.',
  },
};

export function easyReadTexts(lang: UiLanguage): EasyReadTexts {
  return lang === 'en' ? en : de;
}
