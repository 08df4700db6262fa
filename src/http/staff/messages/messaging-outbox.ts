// Texts of the staff page of outgoing messages (#5), German first; `en` must have the same shape.
import type { OutboxKind, OutboxState } from '../../../app/messaging/outbox-messages.ts';

const de = {
  nav: 'Nachrichten',
  title: (office: string) => `Nachrichten – ${office}`,
  intro:
    'E-Mails und SMS an Bürgerinnen und Bürger dieses Standorts, neueste zuerst (höchstens 200). Inhalte werden nicht angezeigt, Empfänger nur gekürzt.',
  filter: 'Filtern',
  state: 'Status',
  anyState: 'Alle',
  date: 'Geschrieben am',
  show: 'Anzeigen',
  none: 'Keine Nachrichten für diese Auswahl.',
  invalidDate: 'Bitte ein gültiges Datum eingeben.',
  states: {
    queued: 'wartet',
    sending: 'wird gesendet',
    sent: 'gesendet',
    failed: 'fehlgeschlagen',
    bounced: 'unzustellbar',
  } satisfies Record<OutboxState, string>,
  kinds: {
    appointment: 'Terminbestätigung/-änderung',
    reminder: 'Terminerinnerung',
    closure: 'Absage wegen Schließung',
    offer_reminder: 'Erinnerung an Ersatztermin',
    waiting_list: 'Warteliste',
    document: 'Dokument abholbereit',
    release: 'Ergebnis der Verlosung',
    other: 'Sonstige',
  } satisfies Record<OutboxKind, string>,
  col: {
    created: 'Geschrieben',
    kind: 'Art',
    channel: 'Weg',
    recipient: 'Empfänger',
    subject: 'Betreff',
    state: 'Status',
    attempts: 'Versuche',
    error: 'Fehler',
    action: 'Aktion',
  },
  channel: { email: 'E-Mail', sms: 'SMS' },
  retry: 'Erneut senden',
  retried: 'Die Nachricht wird erneut gesendet.',
  nextAttempt: 'nächster Versuch',
  caption: 'Nachrichten dieses Standorts',
};

export type OutboxMessages = typeof de;

const en: OutboxMessages = {
  nav: 'Messages',
  title: (office: string) => `Messages – ${office}`,
  intro:
    'Emails and text messages to citizens of this office, newest first (at most 200). Contents are not shown, recipients only shortened.',
  filter: 'Filter',
  state: 'State',
  anyState: 'All',
  date: 'Written on',
  show: 'Show',
  none: 'No messages for this selection.',
  invalidDate: 'Please enter a valid date.',
  states: { queued: 'queued', sending: 'sending', sent: 'sent', failed: 'failed', bounced: 'bounced' },
  kinds: {
    appointment: 'Appointment confirmation/change',
    reminder: 'Appointment reminder',
    closure: 'Cancelled by closure',
    offer_reminder: 'Replacement reminder',
    waiting_list: 'Waiting list',
    document: 'Document ready',
    release: 'Lottery result',
    other: 'Other',
  },
  col: {
    created: 'Written',
    kind: 'Kind',
    channel: 'Channel',
    recipient: 'Recipient',
    subject: 'Subject',
    state: 'State',
    attempts: 'Attempts',
    error: 'Error',
    action: 'Action',
  },
  channel: { email: 'email', sms: 'SMS' },
  retry: 'Send again',
  retried: 'The message will be sent again.',
  nextAttempt: 'next attempt',
  caption: 'Messages of this office',
};

export const outboxMessages = { de, en };
