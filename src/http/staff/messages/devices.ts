// Texts of the team lead's device page (/staff/geraete), German first; `en` must have the same shape.

const de = {
  nav: 'Geräte',
  title: (office: string) => `Geräte am Standort ${office}`,
  intro:
    'Anmeldeterminal (Kiosk) und Aufrufanzeige arbeiten nur auf Geräten, die hier gekoppelt sind, oder im Netz des Bürgerbüros, wenn die IT es freigegeben hat. Ein Gerät aus dem Internet kann so keine Wartenummern ziehen.',
  newTitle: 'Neues Gerät koppeln',
  name: 'Name des Geräts',
  nameHint: 'So erscheint es in der Liste, z. B. „Kiosk Eingang“ oder „Anzeige Wartebereich“.',
  create: 'Kopplungscode erzeugen',
  codeTitle: (name: string) => `Kopplungscode für „${name}“`,
  codeValid: (time: string, minutes: number) => `Gültig bis ${time} Uhr (${minutes} Minuten), für ein einziges Gerät.`,
  codeHow: (kiosk: string, display: string) =>
    `Öffnen Sie am Gerät ${kiosk} (Anmeldeterminal) oder ${display} (Aufrufanzeige) und geben Sie den Code ein.`,
  devicesTitle: 'Gekoppelte Geräte',
  none: 'Noch keine Geräte gekoppelt.',
  caption: 'Gekoppelte Geräte des Standorts',
  col: { name: 'Name', kind: 'Art', pairedAt: 'Gekoppelt am', lastSeen: 'Zuletzt aktiv', action: 'Aktion' },
  kinds: { kiosk: 'Anmeldeterminal', display: 'Aufrufanzeige' },
  revoke: 'Sperren',
  revoked: 'Das Gerät ist gesperrt. Es arbeitet erst wieder, wenn es neu gekoppelt wird.',
  openCodesTitle: 'Noch nicht eingelöste Codes',
  openCode: (name: string, time: string) => `${name}: gültig bis ${time} Uhr`,
  noticeTitle: 'Hinweis auf der Aufrufanzeige',
  noticeIntro:
    'Eine Zeile unter der Kopfzeile der Aufrufanzeige, für alle im Wartebereich, z. B. „Heute ab 12 Uhr nur Abholung von Dokumenten“. Sie erscheint sofort auf allen Anzeigen dieses Standorts.',
  noticeDe: 'Hinweis (Deutsch)',
  noticeEn: 'Hinweis auf Englisch (freiwillig)',
  noticeHint: 'Höchstens 200 Zeichen.',
  noticeSave: 'Hinweis anzeigen',
  noticeRemove: 'Hinweis entfernen',
  noticeSaved: 'Der Hinweis steht jetzt auf der Aufrufanzeige.',
  noticeRemoved: 'Die Aufrufanzeige zeigt keinen Hinweis mehr.',
  noticeSince: (who: string, when: string) => `Zuletzt geändert von ${who} am ${when} Uhr.`,
};

const en: typeof de = {
  nav: 'Devices',
  title: (office: string) => `Devices at ${office}`,
  intro:
    'The check-in kiosk and the call display work only on devices paired here, or on the citizen office’s network if IT has enabled it. A device on the internet cannot draw tickets.',
  newTitle: 'Pair a new device',
  name: 'Device name',
  nameHint: 'As it appears in the list, e.g. “Kiosk entrance” or “Display waiting area”.',
  create: 'Create pairing code',
  codeTitle: (name: string) => `Pairing code for “${name}”`,
  codeValid: (time: string, minutes: number) => `Valid until ${time} (${minutes} minutes), for one device only.`,
  codeHow: (kiosk: string, display: string) =>
    `On the device, open ${kiosk} (check-in kiosk) or ${display} (call display) and enter the code.`,
  devicesTitle: 'Paired devices',
  none: 'No devices paired yet.',
  caption: 'Paired devices of the office',
  col: { name: 'Name', kind: 'Kind', pairedAt: 'Paired', lastSeen: 'Last active', action: 'Action' },
  kinds: { kiosk: 'Check-in kiosk', display: 'Call display' },
  revoke: 'Revoke',
  revoked: 'The device is revoked. It works again only once it is paired anew.',
  openCodesTitle: 'Codes not yet used',
  openCode: (name: string, time: string) => `${name}: valid until ${time}`,
  noticeTitle: 'Notice on the call display',
  noticeIntro:
    'One line under the head of the call display, for everyone in the waiting area, e.g. “From 12 noon today, document pickup only”. It appears at once on every display of this office.',
  noticeDe: 'Notice (German)',
  noticeEn: 'Notice in English (optional)',
  noticeHint: 'At most 200 characters.',
  noticeSave: 'Show notice',
  noticeRemove: 'Remove notice',
  noticeSaved: 'The notice is now on the call display.',
  noticeRemoved: 'The call display no longer shows a notice.',
  noticeSince: (who: string, when: string) => `Last changed by ${who} on ${when}.`,
};

export const deviceMessages = { de, en };
