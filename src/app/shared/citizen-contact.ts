import { contactProblems } from '../../domain/contact.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * The contact a use case is about to store, trimmed (blank is null), or validation_failed naming
 * the field. Every door checks first (API schema, forms, CSV import); this is the owner's own check,
 * so no door that forgets it can make one stored address into a list of recipients.
 */
export function validContact(input: { email?: string | null | undefined; phone?: string | null | undefined }): {
  email: string | null;
  phone: string | null;
} {
  const contact = { email: input.email?.trim() || null, phone: input.phone?.trim() || null };
  const problems = contactProblems(contact);
  if (problems.length > 0) throw new DomainError('validation_failed', 'Invalid contact details', { fields: problems });
  return contact;
}
