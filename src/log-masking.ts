import { inspect } from 'node:util';

// Secrets travel in URLs: the manage, offer, waiting-list, reminder and release-request links carry
// a token of 32 random bytes in base64url (43 characters), and so do staff session ids; integration
// and branch tokens are the same behind a prefix (sch_, schb_). Whoever reads a log line with one
// could cancel or move that appointment, so nothing is logged before passing through here. Any run of
// 43 or more base64url characters is masked (also a token with characters pasted after it); UUIDs
// (36) and ids stay readable. The first four characters are kept to tell log lines apart.
const SECRET_RUN = /([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{39,}/g;
// The confirmation code of the mail's link (/termin/…/bestaetigen?code=123456) and token parameters.
const SECRET_PARAMETER = /([?&;](?:code|token|t)=)[^&;#\s"']*/gi;

/** The text with every token and secret link parameter replaced by `abcd…`. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_RUN, '$1…').replace(SECRET_PARAMETER, '$1…');
}

/** An error as a log shows it (message, stack, cause, extra fields), with secrets masked. */
export function maskedError(error: unknown): string {
  return maskSecrets(typeof error === 'string' ? error : inspect(error, { depth: 4 }));
}

export type Log = (message: string, error?: unknown) => void;

/** Wraps a log so that neither its message nor its error can carry a secret. */
export function maskingLog(log: Log): Log {
  return (message, error) => (error === undefined ? log(maskSecrets(message)) : log(maskSecrets(message), maskedError(error)));
}
