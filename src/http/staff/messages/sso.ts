import type { SsoRefusal } from '../../../domain/sso-claims.ts';

type Reason = SsoRefusal | 'account_disabled' | 'email_taken' | 'expired' | 'cancelled' | 'provider_error' | 'unreachable';

const de = {
  button: 'Mit dem Konto der Verwaltung anmelden',
  or: 'Oder mit E-Mail-Adresse und Passwort:',
  title: 'Anmeldung über die Verwaltung nicht möglich',
  reasons: {
    no_email: 'Der Anmeldedienst der Verwaltung hat keine E-Mail-Adresse zu Ihrem Konto übermittelt. Bitte wenden Sie sich an die IT.',
    no_role:
      'Ihr Konto bei der Verwaltung ist für Schalter nicht freigegeben (keine Rolle zugewiesen). Bitte wenden Sie sich an Ihre Teamleitung oder die IT.',
    no_office: 'Ihr Konto bei der Verwaltung ist keinem Standort zugeordnet. Bitte wenden Sie sich an Ihre Teamleitung oder die IT.',
    no_town: 'Ihr Konto bei der Verwaltung ist keiner Stadt und keinem Standort zugeordnet. Bitte wenden Sie sich an die IT.',
    several_towns:
      'Ihr Konto bei der Verwaltung ist mehreren Städten zugeordnet. Ein Konto gehört zu genau einer Stadt; bitte wenden Sie sich an die IT.',
    office_of_other_town: 'Ihr Konto nennt einen Standort einer anderen Stadt als Ihrer eigenen. Bitte wenden Sie sich an die IT.',
    unknown_office: 'Ihr Konto bei der Verwaltung nennt einen Standort, den Schalter nicht kennt. Bitte wenden Sie sich an die IT.',
    account_disabled: 'Ihr Schalter-Konto ist deaktiviert. Bitte wenden Sie sich an Ihre Teamleitung.',
    email_taken:
      'Zu Ihrer E-Mail-Adresse gibt es schon ein Schalter-Konto, das mit einer anderen Anmeldung verknüpft ist. Bitte wenden Sie sich an die IT.',
    expired: 'Die Anmeldung hat zu lange gedauert oder wurde in einem anderen Fenster begonnen. Bitte melden Sie sich erneut an.',
    cancelled: 'Die Anmeldung wurde abgebrochen.',
    provider_error: 'Der Anmeldedienst der Verwaltung hat die Anmeldung nicht bestätigt. Bitte versuchen Sie es erneut.',
    unreachable:
      'Der Anmeldedienst der Verwaltung ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut oder melden Sie sich mit Passwort an.',
  } satisfies Record<Reason, string>,
};

const en: typeof de = {
  button: 'Log in with your administration account',
  or: 'Or with email address and password:',
  title: 'Login through the administration not possible',
  reasons: {
    no_email: 'The administration’s login service sent no email address for your account. Please contact IT.',
    no_role: 'Your administration account is not enabled for Schalter (no role assigned). Please contact your team lead or IT.',
    no_office: 'Your administration account belongs to no office. Please contact your team lead or IT.',
    no_town: 'Your administration account belongs to no town and no office. Please contact IT.',
    several_towns: 'Your administration account belongs to several towns. An account belongs to exactly one town; please contact IT.',
    office_of_other_town: 'Your account names an office of another town than your own. Please contact IT.',
    unknown_office: 'Your administration account names an office Schalter does not know. Please contact IT.',
    account_disabled: 'Your Schalter account is deactivated. Please contact your team lead.',
    email_taken: 'A Schalter account with your email address is already linked to another login. Please contact IT.',
    expired: 'The login took too long or was started in another window. Please log in again.',
    cancelled: 'The login was cancelled.',
    provider_error: 'The administration’s login service did not confirm the login. Please try again.',
    unreachable: 'The administration’s login service cannot be reached right now. Please try again later or log in with your password.',
  },
};

export const ssoMessages = { de, en };

export function ssoReasonText(lang: 'de' | 'en', reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const reasons: Record<string, string> = ssoMessages[lang].reasons;
  return Object.hasOwn(reasons, reason) ? reasons[reason] : undefined;
}
