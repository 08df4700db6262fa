import { describe, expect, it } from 'vitest';
import { sampleMessage } from '../../../src/app/messaging/message-samples.ts';
import { asTemplate, BUILT_IN_TEMPLATES, MESSAGE_LANGUAGES } from '../../../src/app/messaging/message-templates.ts';
import { renderWaitingListOffer } from '../../../src/app/messaging/waiting-list-messages.ts';
import { fieldsOf, MESSAGE_KINDS, templateProblems } from '../../../src/domain/message-template.ts';

// The texts page (#19) shows the built-in wording as the text to edit. These tests hold it to that:
// every kind's built-in template, filled the way a saved text is, gives the very mail and SMS the
// built-in renderer writes — so an admin edits the real text, not an approximation of it.

const office = { name: 'Bürgerbüro Rathaus', address: 'Markt 1, 12345 Musterstadt', phone: '0123 4567', timeZone: 'Europe/Berlin' };
const base = { office, now: Date.parse('2026-12-07T09:00:00Z'), publicUrl: 'https://termine.example' };

describe('built-in wording as templates', () => {
  for (const kind of MESSAGE_KINDS)
    for (const language of MESSAGE_LANGUAGES)
      it(`${kind} (${language}): the built-in template renders exactly the built-in message`, () => {
        const builtIn = BUILT_IN_TEMPLATES[kind][language];
        expect(templateProblems(kind, { intro: builtIn.intro, sms: builtIn.sms ?? null })).toEqual([]);
        const plain = sampleMessage({ ...base, kind, language, template: null });
        // Forced through the template path: the text as a saved wording would be.
        const viaTemplate = sampleMessage({ ...base, kind, language, template: { intro: builtIn.intro, sms: builtIn.sms ?? null } });
        expect(viaTemplate.text).toBe(plain.text);
        // The closure notice's SMS (#5): {held} names the office where the built-in SMS gives the end time.
        if (kind !== 'closure_notice') expect(viaTemplate.sms).toBe(plain.sms);
        expect(fieldsOf(kind).includes('sms')).toBe(plain.sms !== null);
      });

  it('a form left at the built-in text, or emptied, stores nothing: the built-in text stays in use', () => {
    const builtIn = BUILT_IN_TEMPLATES.booking_confirmation.de;
    expect(asTemplate('booking_confirmation', 'de', { intro: `${builtIn.intro}\r\n` })).toEqual({ intro: null, sms: null });
    expect(asTemplate('booking_confirmation', 'de', { intro: '  ', sms: 'ignored: this mail has no SMS' })).toEqual({
      intro: null,
      sms: null,
    });
    expect(asTemplate('appointment_reminder', 'en', { intro: 'See you {date}.', sms: '' })).toEqual({
      intro: 'See you {date}.',
      sms: null,
    });
  });

  it('an edited confirmation text replaces the paragraph, the link and the code, and the HTML links the address', () => {
    const sample = sampleMessage({
      ...base,
      kind: 'booking_confirmation',
      language: 'de',
      template: { intro: 'Bitte bestätigen Sie bis {deadline}:\n{confirm}\n\nCode {code}', sms: null },
    });
    expect(sample.text).toContain(
      'Guten Tag Erika Mustermann,\n\nBitte bestätigen Sie bis Mo., 07.12.2026, 10:30 Uhr:\nhttps://termine.example/termin/BEISPIEL/bestaetigen?code=123456\n\nCode 123456\n\nBuchungsnummer: ABC-123',
    );
    expect(sample.text).not.toContain('Termin bestätigen:');
    expect(sample.text).toContain('Termin verschieben oder absagen:\nhttps://termine.example/termin/BEISPIEL');
  });

  it('a worded paragraph becomes HTML with its addresses as links, the sentence’s full stop outside the link', () => {
    const m = renderWaitingListOffer(
      {
        language: 'de',
        citizenName: 'Kim <b>',
        reference: 'DEF-456',
        start: new Date('2026-12-09T08:00:00Z'),
        end: new Date('2026-12-09T08:30:00Z'),
        deadline: new Date('2026-12-08T17:00:00Z'),
        office,
        services: ['Reisepass'],
        link: 'https://termine.example/warteliste/T?x=1&y=2',
      },
      { intro: 'Frei für Sie, {name}: {offer}.\nBis {deadline}.\n\nDanke.', sms: null },
    );
    expect(m.html).toContain(
      '<p>Frei für Sie, Kim &#60;b&#62;: <a href="https://termine.example/warteliste/T?x=1&#38;y=2" style="font-weight:bold">https://termine.example/warteliste/T?x=1&#38;y=2</a>.<br>Bis Di., 08.12.2026, 18:00 Uhr.</p>\n<p>Danke.</p>',
    );
  });
});
