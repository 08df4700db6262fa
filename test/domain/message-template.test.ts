import { describe, expect, it } from 'vitest';
import { maskRecipient } from '../../src/app/messaging/outbox-messages.ts';
import {
  fieldsOf,
  fillTemplate,
  MESSAGE_KIND_SPECS,
  MESSAGE_KINDS,
  smsSegments,
  templateProblems,
  unknownPlaceholders,
} from '../../src/domain/message-template.ts';

describe('message templates', () => {
  it('fills known placeholders once, leaves unknown ones visible and reports them', () => {
    expect(
      fillTemplate('Am {date} bleibt das {office} zu ({reason}).', { date: 'Do., 26. Nov.', office: 'Rathaus', reason: '{office}' }),
    ).toBe('Am Do., 26. Nov. bleibt das Rathaus zu ({office}).');
    expect(fillTemplate('Hallo {name}, {held}', { name: '', held: '' })).toBe('Hallo ,');
    expect(unknownPlaceholders('Am {datum} im {office}: {Reason} {}')).toEqual(['datum', 'Reason', '']);
    expect(unknownPlaceholders('{name} {date} {office} {reason} {held} {offer}')).toEqual([]);
  });

  it('masks recipients for the staff list', () => {
    expect(maskRecipient('email', 'erika.mustermann@example.org')).toBe('e•••@example.org');
    expect(maskRecipient('sms', '+49 151 2345 6789')).toBe('••• 789');
    expect(maskRecipient('email', '')).toBe('–');
  });
});

describe('the registry of message kinds (#19)', () => {
  it('every kind has the mail paragraph; every required placeholder is one the kind knows', () => {
    for (const kind of MESSAGE_KINDS) {
      const spec = MESSAGE_KIND_SPECS[kind];
      expect(fieldsOf(kind)).toContain('intro');
      for (const field of fieldsOf(kind)) for (const p of spec.fields[field]!.required) expect(spec.placeholders).toContain(p);
    }
  });

  it('a confirmation mail that lost its confirm link is refused, naming the placeholder', () => {
    expect(templateProblems('booking_confirmation', { intro: 'Bitte bestätigen Sie Ihren Termin am {date}.', sms: null })).toEqual([
      { field: 'intro', unknown: [], missing: ['confirm'], tooLong: false },
    ]);
    expect(templateProblems('booking_confirmation', { intro: 'Bestätigen: {confirm}', sms: null })).toEqual([]);
  });

  it('each SMS keeps the link the citizen answers with; the mail-only confirmed text needs none', () => {
    expect(templateProblems('appointment_reminder', { intro: null, sms: '{office}: Termin am {date}.' })[0]!.missing).toEqual(['cancel']);
    expect(templateProblems('waiting_list_offer', { intro: 'Frei: {date}', sms: 'Frei: {date} {offer}' })).toEqual([
      { field: 'intro', unknown: [], missing: ['offer'], tooLong: false },
    ]);
    expect(templateProblems('replacement_reminder', { intro: null, sms: 'Bitte annehmen.' })[0]!.missing).toEqual(['offer']);
    expect(templateProblems('closure_notice', { intro: 'Geschlossen.', sms: 'Geschlossen: {offer}' })).toEqual([]);
    expect(templateProblems('document_ready', { intro: '{document} ist da.', sms: null })[0]!.missing).toEqual(['office']);
    expect(templateProblems('appointment_confirmed', { intro: 'Bis bald, {name}.', sms: 'no SMS for this kind: ignored' })).toEqual([]);
  });

  it('knows each kind’s own placeholders only, and the lengths the table takes', () => {
    expect(templateProblems('appointment_confirmed', { intro: 'Link: {confirm}', sms: null })[0]!.unknown).toEqual(['confirm']);
    expect(templateProblems('closure_notice', { intro: 'x'.repeat(2001), sms: `${'y'.repeat(480)}{offer}` })).toEqual([
      { field: 'intro', unknown: [], missing: [], tooLong: true },
      { field: 'sms', unknown: [], missing: [], tooLong: true },
    ]);
  });

  it('counts SMS parts as the networks do: 160 GSM characters, 153 each when split, 70/67 with any other character', () => {
    expect(smsSegments('')).toEqual({ segments: 0, unicode: false, units: 0 });
    expect(smsSegments('Bürgerbüro: Ihr Termin am Do., 10.12.2026').unicode).toBe(false);
    expect(smsSegments('a'.repeat(160)).segments).toBe(1);
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('€'.repeat(80))).toEqual({ segments: 1, unicode: false, units: 160 });
    expect(smsSegments('Termin – heute')).toEqual({ segments: 1, unicode: true, units: 14 });
    expect(smsSegments('–'.repeat(71)).segments).toBe(2);
  });
});
