import type { ErrorCode } from '../../domain/errors.ts';
import type { UiLanguage } from '../language.ts';

// What a citizen or a clerk reads. Codes are the contract; these texts may be improved freely.
export const ERROR_MESSAGES: Record<ErrorCode | 'internal_error', Record<UiLanguage, string>> = {
  validation_failed: { de: 'Die Angaben sind unvollständig oder ungültig.', en: 'Some of the information is missing or invalid.' },
  malformed_request: { de: 'Die Anfrage ist kein gültiges JSON.', en: 'The request body is not valid JSON.' },
  invalid_characters: {
    de: 'Die Anfrage enthält ein unzulässiges Steuerzeichen.',
    en: 'The request contains a control character that is not allowed.',
  },
  payload_too_large: {
    de: 'Es wurden zu viele Daten auf einmal gesendet. Bitte senden Sie weniger auf einmal.',
    en: 'Too much data was sent at once. Please send less at a time.',
  },
  unsupported_media_type: {
    de: 'Die Daten sind nicht im erwarteten Format. Bitte senden Sie JSON (Content-Type: application/json).',
    en: 'The data is not in the expected format. Please send JSON (Content-Type: application/json).',
  },
  not_found: { de: 'Nicht gefunden.', en: 'Not found.' },
  unknown_service: { de: 'Diese Dienstleistung gibt es nicht.', en: 'This service does not exist.' },
  unknown_office: { de: 'Diesen Standort gibt es nicht.', en: 'This office does not exist.' },
  office_not_found: { de: 'Diesen Standort gibt es nicht.', en: 'There is no such office.' },
  municipality_not_found: { de: 'Diese Stadt gibt es hier nicht.', en: 'There is no such town here.' },
  service_not_offered: {
    de: 'Dieser Standort bietet die gewählte Dienstleistung nicht an.',
    en: 'This office does not offer the chosen service.',
  },
  service_not_bookable_online: {
    de: 'Diese Dienstleistung kann nicht online gebucht werden. Bitte rufen Sie uns an.',
    en: 'This service cannot be booked online. Please call us.',
  },
  too_many_persons: {
    de: 'Für so viele Personen kann kein Termin gebucht werden.',
    en: 'An appointment cannot be booked for that many persons.',
  },
  start_not_on_grid: { de: 'Termine beginnen im 5-Minuten-Raster.', en: 'Appointments start on a 5-minute grid.' },
  start_in_past: { de: 'Dieser Zeitpunkt liegt in der Vergangenheit.', en: 'This time is in the past.' },
  contact_required: {
    de: 'Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.',
    en: 'Please give an email address or a phone number.',
  },
  slot_unavailable: {
    de: 'Dieser Termin ist leider nicht mehr frei. Bitte wählen Sie eine andere Zeit.',
    en: 'Sorry, this time is no longer available. Please choose another one.',
  },
  slots_available: {
    de: 'Passende Termine sind gerade frei. Bitte buchen Sie einen davon, statt sich auf die Warteliste zu setzen.',
    en: 'Suitable times are free right now. Please book one of them instead of joining the waiting list.',
  },
  contact_limit_reached: {
    de: 'Sie haben für diese Dienstleistung schon einen offenen Termin. Bitte sagen Sie ihn ab oder verschieben Sie ihn.',
    en: 'You already have an open appointment for this service. Please cancel or move it instead.',
  },
  reservation_expired: {
    de: 'Die Reservierung wurde nicht rechtzeitig bestätigt und ist verfallen. Bitte buchen Sie neu.',
    en: 'The reservation was not confirmed in time and has lapsed. Please book again.',
  },
  invalid_code: { de: 'Der Bestätigungscode ist nicht richtig.', en: 'The confirmation code is not correct.' },
  too_many_codes: {
    de: 'Der Bestätigungscode wurde zu oft falsch eingegeben. Die Reservierung ist aufgehoben, der Termin wieder frei. Bitte buchen Sie neu.',
    en: 'The confirmation code was entered wrongly too often. The reservation has been released and the time is free again. Please book again.',
  },
  invalid_state: { de: 'Dieser Termin kann nicht mehr geändert werden.', en: 'This appointment can no longer be changed.' },
  too_late: { de: 'Der Termin hat bereits begonnen.', en: 'The appointment has already begun.' },
  no_email_address: {
    de: 'Für diesen Termin ist keine E-Mail-Adresse hinterlegt. Tragen Sie sie unter „Termin bearbeiten“ ein oder nennen Sie der Person die Buchungsnummer am Telefon.',
    en: 'This appointment has no email address. Add it under “Edit appointment”, or tell the person the booking number on the phone.',
  },
  services_do_not_fit: {
    de: 'Für diese Dienstleistungen reicht die Zeit des Termins nicht: Im Anschluss ist kein Platz mehr frei. Der Termin bleibt, wie er war. Bitte verschieben Sie ihn auf eine Zeit mit genug Platz oder buchen Sie die weitere Dienstleistung als eigenen Termin.',
    en: 'The appointment’s time is not enough for these services: nothing is free right after it. The appointment stays as it was. Please move it to a time with enough room, or book the further service as an appointment of its own.',
  },
  rate_limited: { de: 'Zu viele Anfragen. Bitte warten Sie einen Moment.', en: 'Too many requests. Please wait a moment.' },
  unauthenticated: { de: 'Bitte melden Sie sich an.', en: 'Please log in.' },
  invalid_credentials: { de: 'E-Mail-Adresse oder Passwort ist falsch.', en: 'The email address or password is wrong.' },
  forbidden: { de: 'Dafür fehlt Ihnen die Berechtigung.', en: 'You are not allowed to do this.' },
  csrf_failed: {
    de: 'Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
    en: 'The form has expired. Please reload the page and try again.',
  },
  login_throttled: {
    de: 'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
    en: 'Too many failed login attempts. Please wait a few minutes and try again.',
  },
  invalid_totp: { de: 'Der Sicherheitscode ist falsch oder abgelaufen.', en: 'The security code is wrong or has expired.' },
  weak_password: {
    de: 'Das neue Passwort ist zu schwach: mindestens 12 Zeichen, nicht die E-Mail-Adresse, nicht das alte Passwort.',
    en: 'The new password is too weak: at least 12 characters, not the email address, not the old password.',
  },
  weak_branch_pin: {
    de: 'Diese PIN geht nicht: 6 bis 10 Ziffern, keine Folge wie 123456 oder 111111.',
    en: 'This PIN cannot be used: 6 to 10 digits, no sequence such as 123456 or 111111.',
  },
  already_exists: { de: 'Das gibt es schon.', en: 'This already exists.' },
  account_disabled: {
    de: 'Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihre Teamleitung oder die Administration.',
    en: 'This account is deactivated. Please contact your team lead or the administration.',
  },
  own_account: {
    de: 'Das eigene Konto können Sie nicht deaktivieren und sich selbst keine niedrigere Rolle geben.',
    en: 'You cannot deactivate your own account or give yourself a lower role.',
  },
  unknown_municipality: { de: 'Diese Stadt gibt es im Kreis nicht.', en: 'There is no such town in the Kreis.' },
  office_of_other_town: {
    de: 'Ein gewählter Standort gehört zu einer anderen Stadt. Ein Konto arbeitet nur für Standorte seiner eigenen Stadt.',
    en: 'An office chosen belongs to another town. An account works only for offices of its own town.',
  },
  account_town_required: {
    de: 'Im Kreis gehört jedes Administrationskonto zu einer Stadt oder ausdrücklich zum ganzen Kreis. Bitte wählen Sie.',
    en: 'In a Kreis every admin account belongs to a town or explicitly to the whole Kreis. Please choose.',
  },
  personal_data_not_granted: {
    de: 'Personenbezogene Daten der Bürgerinnen und Bürger sind für die Kreis-Administration nicht freigegeben. Die Administration der Stadt sieht sie.',
    en: "Citizens' personal data is not released to the Kreis administration. The town's own administration sees it.",
  },
  checkin_too_early: {
    de: 'Für diesen Termin ist es noch zu früh. Bitte melden Sie sich kurz vor Ihrem Termin an.',
    en: 'It is too early to check in for this appointment. Please check in shortly before it.',
  },
  checkin_too_late: {
    de: 'Die Anmeldezeit für diesen Termin ist vorbei. Bitte wenden Sie sich an den Empfang.',
    en: 'The check-in time for this appointment has passed. Please ask at the reception desk.',
  },
  walkin_quota_exhausted: {
    de: 'Für heute werden leider keine Wartenummern ohne Termin mehr ausgegeben.',
    en: 'Sorry, no more tickets without an appointment are given out today.',
  },
  counter_busy: {
    de: 'An diesem Schalter ist noch eine Nummer aufgerufen. Bitte schließen Sie sie zuerst ab.',
    en: 'A ticket is still called to this counter. Please finish it first.',
  },
  journal_gap: {
    de: 'Vorgänge der Zweigstelle fehlen dazwischen; bitte ab der genannten Nummer erneut senden.',
    en: 'Operations of the branch are missing in between; please send again from the given number.',
  },
  journal_unavailable: {
    de: 'Die Aktion wurde NICHT ausgeführt: das Journal des Standortrechners kann nicht geschrieben werden (Speicher voll?). Bitte IT verständigen.',
    en: 'The action was NOT carried out: the office PC cannot write its journal (disk full?). Please call IT.',
  },
  already_resolved: { de: 'Dieser Klärfall ist bereits erledigt.', en: 'This work item has already been resolved.' },
  set_centrally: {
    de: 'Das wird auf dem zentralen Server eingestellt; der Standortrechner übernimmt es von dort.',
    en: 'This is set on the central server; the office PC takes it from there.',
  },
  device_not_enrolled: {
    de: 'Dieses Gerät ist für den Standort nicht freigegeben. Eine Teamleitung kann es mit einem Kopplungscode freigeben.',
    en: 'This device is not enrolled for this office. A team lead can enrol it with a pairing code.',
  },
  pairing_code_invalid: {
    de: 'Der Kopplungscode stimmt nicht oder ist abgelaufen. Bitte lassen Sie sich von der Teamleitung einen neuen Code geben.',
    en: 'The pairing code is wrong or has expired. Please ask the team lead for a new code.',
  },
  display_limit_reached: {
    de: 'Für diesen Standort sind schon zu viele Anzeigen verbunden. Die Anzeige versucht es gleich noch einmal.',
    en: 'Too many displays are connected for this office. The display will try again shortly.',
  },
  setup_changed: {
    de: 'Die Einrichtung wurde inzwischen von jemand anderem geändert. Bitte laden Sie sie neu und wenden Sie Ihre Änderung erneut an.',
    en: 'Someone else changed the set-up meanwhile. Please load it again and apply your change again.',
  },
  setup_shortfall: {
    de: 'Die neue Einrichtung lässt weniger Plätze als gebucht sind. Die betroffenen Termine sind aufgeführt; sie können mit einer Begründung abgesagt werden.',
    en: 'The new set-up leaves fewer seats than are booked. The affected appointments are listed; they can be cancelled with a reason.',
  },
  municipality_required: {
    de: 'Hier sind mehrere Städte eingerichtet. Bitte geben Sie an, welche gemeint ist (municipality=KENNUNG).',
    en: 'Several towns are set up here. Please say which one is meant (municipality=ID).',
  },
  internal_error: { de: 'Ein interner Fehler ist aufgetreten.', en: 'An internal error occurred.' },
};
