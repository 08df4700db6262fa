// Texts around the branch PIN (docs/decisions/0009-branch-credentials.md), German first; `en` must have the same shape.

const de = {
  title: 'PIN für die Zweigstelle festlegen',
  intro:
    'Am Rechner in Ihrem Bürgerbüro (der Zweigstelle) melden Sie sich mit Ihrer E-Mail-Adresse und dieser PIN an – auch an einem Tag, an dem das Rechenzentrum nicht erreichbar ist. Die PIN gilt nur dort, nie für die Anmeldung hier.',
  rules: '6 bis 10 Ziffern, keine Folge wie 123456 oder 111111.',
  password: 'Ihr Passwort (zur Bestätigung)',
  pin: 'Neue PIN',
  repeat: 'Neue PIN wiederholen',
  mismatch: 'Die beiden PINs stimmen nicht überein.',
  submit: 'PIN speichern',
  saved: 'Ihre PIN ist gespeichert. Der Rechner im Bürgerbüro kennt sie nach wenigen Sekunden.',
  toWork: 'Weiter zum Tagesplan',
  branchLogin: 'PIN für die Zweigstelle',
  branchLoginHint:
    'Hier am Rechner des Bürgerbüros melden Sie sich mit Ihrer PIN für die Zweigstelle an, nicht mit Ihrem Passwort. Noch keine PIN? Sie legen sie in Schalter zentral fest:',
  branchChangeTitle: 'PIN und Passwort ändern',
  branchChange: 'Am Rechner des Bürgerbüros lässt sich weder PIN noch Passwort ändern. Beides ändern Sie in Schalter zentral:',
};

const en: typeof de = {
  title: 'Choose your branch PIN',
  intro:
    'At the PC in your citizen office (the branch) you log in with your email address and this PIN — also on a day when the data centre cannot be reached. The PIN works only there, never for logging in here.',
  rules: '6 to 10 digits, no sequence such as 123456 or 111111.',
  password: 'Your password (to confirm)',
  pin: 'New PIN',
  repeat: 'Repeat new PIN',
  mismatch: 'The two PINs do not match.',
  submit: 'Save PIN',
  saved: 'Your PIN is saved. The PC in the citizen office knows it within a few seconds.',
  toWork: 'Go to the day plan',
  branchLogin: 'Branch PIN',
  branchLoginHint:
    'At this citizen-office PC you log in with your branch PIN, not with your password. No PIN yet? You choose it in the central Schalter:',
  branchChangeTitle: 'Change PIN and password',
  branchChange: 'Neither PIN nor password can be changed at the citizen-office PC. You change both in the central Schalter:',
};

export const branchPinMessages = { de, en };
