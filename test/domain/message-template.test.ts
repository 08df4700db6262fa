import { describe, expect, it } from 'vitest';
import { maskRecipient } from '../../src/app/messaging/outbox-messages.ts';
import { fillTemplate, unknownPlaceholders } from '../../src/domain/message-template.ts';

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
