import type { DomainError } from '../domain/errors.ts';
import { ERROR_MESSAGES } from '../http/api/error-messages.ts';

// What a refusal looks like on the command line: the same German and English sentence the pages and
// the API give for the code, then the facts of this case one per line (which field, which office),
// never a JSON dump an operator has to decode at 7 in the morning.

const PROBLEMS: Record<string, string> = {
  too_short: 'zu kurz / too short',
  too_long: 'zu lang / too long',
  contains_email: 'enthält die E-Mail-Adresse / contains the email address',
  unchanged: 'wie das bisherige / the same as before',
  not_digits: 'nicht nur Ziffern / not digits only',
  too_simple: 'zu einfach / too simple',
};

type FieldProblem = { path?: unknown; message?: unknown };

const DETAIL_LABELS: Record<string, string> = {
  email: 'E-Mail / email',
  officeIds: 'Standort / office',
  serviceIds: 'Dienstleistung / service',
  problems: 'Problem',
};

/** `schalter: <deutsch> / <english>` and the details as readable lines (without trailing newline). */
export function domainErrorText(error: DomainError, prefix = 'schalter'): string {
  const known = ERROR_MESSAGES[error.code];
  const lines = [`${prefix}: ${known ? `${known.de} / ${known.en}` : error.message}`];
  const details = error.details !== null && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
  const fields = Array.isArray(details.fields) ? (details.fields as FieldProblem[]) : null;
  // The use case's own sentence names the case ("A staff account for x@… already exists"); with a
  // list of fields, the fields do.
  const message = known && !fields && error.message && error.message !== known.en && error.message !== error.code ? error.message : '';
  if (message) lines.push(`  ${message}`);
  for (const field of fields ?? []) lines.push(`  ${String(field.path ?? '')}: ${String(field.message ?? '')}`);
  for (const [key, value] of Object.entries(details)) {
    if (key === 'fields') continue;
    const text =
      key === 'problems' && Array.isArray(value)
        ? value.map((p) => (typeof p === 'string' ? (PROBLEMS[p] ?? p) : readable(p))).join(', ')
        : readable(value);
    // A fact the sentence already states ("Unknown office: nix") is not repeated.
    if (!message.includes(text)) lines.push(`  ${DETAIL_LABELS[key] ?? key}: ${text}`);
  }
  if (error.details !== undefined && error.details !== null && typeof error.details !== 'object')
    lines.push(`  ${readable(error.details)}`);
  return lines.join('\n');
}

function readable(value: unknown): string {
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
