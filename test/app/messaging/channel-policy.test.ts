import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/shared/context.ts';
import { chooseChannel, outboxRow, type ChannelPolicy } from '../../../src/app/messaging/enqueue-message.ts';

// The channel policies of the message writers differ on purpose (issue #16, plan risk R8); one table
// of cases per policy keeps them from being "unified" by accident.
const ctx = (smsEnabled: boolean) =>
  ({
    settings: { publicUrl: 'https://t.example', confirmation: 'none', reservationMinutes: 30, capacityDays: 28, closures: { smsEnabled } },
  }) as unknown as AppContext;
const mobile = '0151 23456789';
const landline = '0221 4710100';

describe('chooseChannel', () => {
  const cases: { policy: ChannelPolicy; email: string | null; phone: string | null; sms: boolean; expected: 'email' | 'sms' | null }[] = [
    // Everyone: an address is always used first.
    { policy: 'email', email: 'a@b.de', phone: mobile, sms: true, expected: 'email' },
    { policy: 'email_or_mobile_sms', email: 'a@b.de', phone: mobile, sms: true, expected: 'email' },
    { policy: 'email_or_any_sms', email: 'a@b.de', phone: mobile, sms: false, expected: 'email' },
    // 'email' (release lottery): never SMS.
    { policy: 'email', email: null, phone: mobile, sms: true, expected: null },
    // 'email_or_mobile_sms' (waiting list, reminders): a mobile, and only with a gateway.
    { policy: 'email_or_mobile_sms', email: null, phone: mobile, sms: true, expected: 'sms' },
    { policy: 'email_or_mobile_sms', email: null, phone: mobile, sms: false, expected: null },
    { policy: 'email_or_mobile_sms', email: null, phone: landline, sms: true, expected: null },
    // 'email_or_any_sms' (document ready): any phone, gateway or not; the row waits for one.
    { policy: 'email_or_any_sms', email: null, phone: landline, sms: false, expected: 'sms' },
    { policy: 'email_or_any_sms', email: null, phone: mobile, sms: false, expected: 'sms' },
    { policy: 'email_or_any_sms', email: null, phone: null, sms: true, expected: null },
  ];
  it.each(cases)('$policy, email $email, phone $phone, gateway $sms → $expected', ({ policy, email, phone, sms, expected }) => {
    expect(chooseChannel(ctx(sms), { email, phone }, policy)).toBe(expected);
  });
});

describe('outboxRow', () => {
  const message = { subject: 'Betreff', text: 'Text', html: '<p>Text</p>', sms: 'Kurz' };
  it('writes the mail form for email (with the town’s sender) and the short text for SMS, queued now or due later', () => {
    const from = 'Bürgerbüro Castrop <buergerbuero@castrop.example>';
    const email = outboxRow({ key: 'k1', channel: 'email', to: { email: 'a@b.de', phone: mobile }, message, from, now: 1000 });
    expect(email).toEqual({
      dedupe_key: 'k1',
      channel: 'email',
      recipient: 'a@b.de',
      subject: 'Betreff',
      body_text: 'Text',
      body_html: '<p>Text</p>',
      attachments: '[]',
      mail_from: from,
      created_at: new Date(1000),
      next_attempt_at: new Date(1000),
    });
    const sms = outboxRow({ key: 'k2', channel: 'sms', to: { email: null, phone: mobile }, message, from, now: 1000, dueAt: 5000 });
    expect(sms).toEqual({
      dedupe_key: 'k2',
      channel: 'sms',
      recipient: mobile,
      subject: null,
      body_text: 'Kurz',
      body_html: null,
      attachments: '[]',
      created_at: new Date(1000),
      next_attempt_at: new Date(5000),
    });
  });
  it('refuses a channel the person has no address for', () => {
    expect(() => outboxRow({ key: 'k', channel: 'sms', to: { email: 'a@b.de', phone: null }, message, from: null, now: 0 })).toThrow();
    expect(() => outboxRow({ key: 'k', channel: 'email', to: { email: null, phone: mobile }, message, from: null, now: 0 })).toThrow();
  });
});
