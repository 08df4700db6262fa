/**
 * Stable error codes. The HTTP layer maps each to a status and a message in the user's language;
 * clients and outside checks rely on the codes, never on the message text.
 */
export const ERROR_CODES = {
  validation_failed: 422,
  malformed_request: 400,
  invalid_characters: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  unknown_service: 422,
  unknown_office: 422,
  // An office named in a path (or a staff filter) that does not exist.
  office_not_found: 404,
  // A Kreis installation's public API named a town it does not have (#20: ?municipality=).
  municipality_not_found: 404,
  service_not_offered: 422,
  service_not_bookable_online: 422,
  too_many_persons: 422,
  start_not_on_grid: 422,
  start_in_past: 422,
  contact_required: 422,
  slot_unavailable: 409,
  slots_available: 409,
  contact_limit_reached: 409,
  reservation_expired: 409,
  invalid_code: 422,
  too_many_codes: 409,
  invalid_state: 409,
  too_late: 409,
  // A clerk's new services for an appointment need more time than is free at its start (#22).
  services_do_not_fit: 409,
  // „Bestätigung erneut senden“ for an appointment without an email address (#22).
  no_email_address: 409,
  rate_limited: 429,
  // Staff access
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  login_throttled: 429,
  invalid_totp: 422,
  weak_password: 422,
  weak_branch_pin: 422,
  already_exists: 409,
  // A deactivated staff account (issue #19): said only after the right password.
  account_disabled: 403,
  // An admin deactivating or demoting their own account would lock the town out of its administration.
  own_account: 409,
  // Towns of a Kreis (issue #20): accounts stay inside their town; a Kreis admin sees no personal
  // data of citizens unless granted.
  unknown_municipality: 422,
  office_of_other_town: 422,
  account_town_required: 422,
  personal_data_not_granted: 403,
  // The day at the office
  checkin_too_early: 409,
  checkin_too_late: 409,
  walkin_quota_exhausted: 409,
  counter_busy: 409,
  // Branch node and central server
  journal_gap: 409,
  journal_unavailable: 503,
  already_resolved: 409,
  // A setting the central server replays the branch's operations with: changed there only.
  set_centrally: 409,
  // Office devices (kiosk, call display): enrolment and the display streams' cap
  device_not_enrolled: 403,
  pairing_code_invalid: 422,
  display_limit_reached: 503,
  // The town set-up (#21): someone applied another set-up meanwhile (If-Match); the new plan leaves
  // less capacity than is booked (the affected appointments are in the details).
  setup_changed: 412,
  setup_shortfall: 409,
  // Several towns are set up (#20, a Kreis) and the request did not say which (?municipality=ID).
  municipality_required: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
