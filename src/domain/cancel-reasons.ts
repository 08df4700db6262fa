// Why an appointment was cancelled (#22, appointment handling). The citizen's own cancellation by link
// is 'citizen'; a clerk chooses from the whole list, and the cancellation mail says it politely
// (appointment-messages.ts). 'other' needs the clerk's explanation, which the mail quotes.

export const CANCEL_REASONS = ['citizen', 'duplicate', 'not_needed', 'office', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export function isCancelReason(value: string): value is CancelReason {
  return (CANCEL_REASONS as readonly string[]).includes(value);
}

/** The office, not the person, ends the appointment: the mail apologises and offers a new one. */
export function isOfficeReason(reason: CancelReason): boolean {
  return reason === 'office' || reason === 'other';
}

/** An explanation for the citizen, quoted in the mail: at most this long, and required for 'other'. */
export const CANCEL_EXPLANATION_MAX = 300;
