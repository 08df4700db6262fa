// A citizen's email address and phone number: one definition for the JSON API, the forms, the
// document import and the use cases that store them. An address becomes the To: of a mail, so it
// must be exactly one mailbox: no list ('a@x, victim@y'), no display name, no line break that could
// start a header of its own. Addresses are checked here, not trusted to each door.

/** RFC 5321: a forward path holds at most 254 characters. */
export const EMAIL_MAX_LENGTH = 254;

// One mailbox, dot-atom local part, a domain with a top-level label: the pattern zod's z.email()
// uses, which the API accepted before this module existed. Neither ',' nor ';', spaces, quotes,
// angle brackets nor control characters can pass.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

// Digits with the spacing people write ('0201 123456', '+49 (201) 12-34'); an SMS gateway needs no more.
const PHONE = /^\+?[0-9][0-9 ()/-]{4,24}$/;

export function isEmailAddress(text: string): boolean {
  return text.length <= EMAIL_MAX_LENGTH && EMAIL.test(text);
}

export function isPhoneNumber(text: string): boolean {
  return PHONE.test(text);
}

export type ContactProblem = { path: 'email' | 'phone'; message: string };

/** What is wrong with the contact a use case is about to store (blank means not given). */
export function contactProblems(contact: { email: string | null; phone: string | null }): ContactProblem[] {
  const problems: ContactProblem[] = [];
  if (contact.email !== null && !isEmailAddress(contact.email)) problems.push({ path: 'email', message: 'must be one email address' });
  if (contact.phone !== null && !isPhoneNumber(contact.phone))
    problems.push({ path: 'phone', message: 'must be a phone number with digits, spaces, + ( ) / -' });
  return problems;
}

/**
 * A phone number as digits in the national form, so „+49 171 2345678“ finds „0171/2345678“; null
 * when too few digits are left to name anyone. Stored numbers are compared by the same rule.
 */
export function comparablePhone(text: string): string | null {
  const digits = text.replace(/[^0-9]/g, '').replace(/^(00)?49/, '0');
  return digits.length >= 5 ? digits : null;
}
