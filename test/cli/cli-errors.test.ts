import { describe, expect, it } from 'vitest';
import { domainErrorText } from '../../src/cli/cli-errors.ts';
import { DomainError } from '../../src/domain/errors.ts';

describe('a refusal on the command line', () => {
  it('names each invalid field on its own line after the German and English sentence', () => {
    const error = new DomainError('validation_failed', 'Not an email address', {
      fields: [{ path: 'email', message: 'not an email address' }],
    });
    expect(domainErrorText(error)).toBe(
      'schalter: Die Angaben sind unvollständig oder ungültig. / Some of the information is missing or invalid.\n  email: not an email address',
    );
  });

  it('says which password rule failed in words, not codes', () => {
    const text = domainErrorText(
      new DomainError('weak_password', 'The password is too weak', { problems: ['too_short', 'contains_email'] }),
    );
    expect(text).toContain('Problem: zu kurz / too short, enthält die E-Mail-Adresse / contains the email address');
    expect(text).not.toMatch(/too_short|[{}]/);
  });

  it('does not repeat a fact the sentence states, and labels the others', () => {
    const twice = new DomainError('already_exists', 'A staff account for it@stadt.example already exists', { email: 'it@stadt.example' });
    expect(domainErrorText(twice)).toBe(
      'schalter: Das gibt es schon. / This already exists.\n  A staff account for it@stadt.example already exists',
    );
    const offices = new DomainError('unknown_office', 'Unknown offices', { officeIds: ['nord', 'sued'] });
    expect(domainErrorText(offices)).toContain('\n  Standort / office: nord, sued');
  });

  it("keeps the use case's sentence where there are no details to name the case", () => {
    expect(domainErrorText(new DomainError('invalid_state', 'The appointment is already cancelled'), 'schalter close')).toMatch(
      /^schalter close: .+\n {2}The appointment is already cancelled$/,
    );
  });
});
