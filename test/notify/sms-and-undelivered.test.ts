import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { moveUndeliveredToCallList } from '../../src/app/messaging/enqueue-message.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { markBounced } from '../../src/app/messaging/outbox-messages.ts';
import type { MailTransport } from '../../src/notify/mail-transport.ts';
import { MAX_ATTEMPTS, messageIdFor, sendDueMessages } from '../../src/notify/outbox-worker.ts';
import { createSmsGateway, fillTemplate, internationalNumber } from '../../src/notify/sms-gateway.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../helpers/fake-sms-gateway.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Invariant 3 through the channels: SMS goes to the provider's HTTP API as configured; a notice
// that cannot be delivered (retries used up, or bounced) puts its person on the call list.

const THURSDAY_0730 = Date.parse('2026-11-26T06:30:00Z');

describe('SMS gateway template', () => {
  it('writes numbers internationally and escapes the text for JSON', () => {
    expect(internationalNumber('0151 2345 6789')).toBe('+4915123456789');
    expect(internationalNumber('0049 (151) 23-45')).toBe('+491512345');
    expect(internationalNumber('+49 151 2345')).toBe('+491512345');
    const body = fillTemplate('{"recipient":"{{to}}","message":"{{text}}","sender":"Stadt"}', {
      to: '+49151',
      text: 'Termin "fällt aus"\nLink: x',
    });
    expect(JSON.parse(body)).toEqual({ recipient: '+49151', message: 'Termin "fällt aus"\nLink: x', sender: 'Stadt' });
  });
});

describe(`closure notices by SMS, failed and bounced deliveries (${testDbKind})`, () => {
  let f: Fixture;
  let gateway: FakeSmsGateway;
  const mails: string[] = [];
  let failMail = false;
  const transport: MailTransport = {
    describe: 'test',
    send: async (msg) => {
      if (failMail) throw new Error('550 mailbox unavailable');
      mails.push(msg.to);
    },
  };

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none', closures: { smsEnabled: true } } });
    gateway = await startFakeSmsGateway();
    const people = [
      { email: null, phone: '0151 1111 1111' },
      { email: null, phone: '0171 2222 2222' },
      { email: 'a@example.org', phone: null },
      { email: 'b@example.org', phone: null },
    ];
    for (const [i, contact] of people.entries()) {
      const start = Date.parse(`2026-11-26T${String(8 + i).padStart(2, '0')}:00:00+01:00`);
      await bookAppointment(f.ctx, {
        officeId: 'test',
        start,
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: `P${i}`, ...contact },
        language: 'de',
        channel: 'phone',
      });
    }
    await f.ctx.db.deleteFrom('outbox').execute();
    f.clock.set(THURSDAY_0730);
    const opened = await openClosure(f.ctx, {
      officeId: 'test',
      from: THURSDAY_0730,
      to: Date.parse('2026-11-26T18:00:00+01:00'),
      reason: 'Stromausfall',
      counters: null,
      notify: true,
      offerReplacements: true,
      actor: 'cli',
    });
    expect(opened.notifications).toEqual({ email: 2, sms: 2, callList: 0 });
    await runClosure(f.ctx, opened.closure.id);
  });
  afterAll(async () => {
    await gateway?.close();
    await f?.close();
  });

  const deliver = (
    sms = createSmsGateway({ url: gateway.url, body: '{"to":"{{to}}","text":"{{text}}"}', authorization: 'Bearer test-key' }),
  ) => sendDueMessages({ db: f.ctx.db, transport, sms, now: new Date(f.clock.now()), batchSize: 50 });

  it('sends each SMS once to the gateway, as configured, with the offer link', async () => {
    gateway.failNext(1, 503);
    failMail = true;
    const first = await deliver();
    expect(first.failed).toBe(3); // one SMS refused by the gateway, both mails refused by the relay
    expect(gateway.received).toHaveLength(1);
    const retry = await f.ctx.db
      .selectFrom('outbox')
      .select(['state', 'last_error'])
      .where('channel', '=', 'sms')
      .where('state', '=', 'queued')
      .where('dedupe_key', 'like', 'closure:%') // the offers' reminders wait queued too, not yet due
      .executeTakeFirstOrThrow();
    expect(retry.last_error).toContain('SMS gateway answered 503');

    f.clock.advance(60_000);
    await deliver();
    expect(gateway.received).toHaveLength(2);
    expect(gateway.received.map((r) => r.body.to).sort()).toEqual(['+4915111111111', '+4917122222222']);
    expect(gateway.received.every((r) => r.authorization === 'Bearer test-key')).toBe(true);
    expect(gateway.received[0]!.body.text).toMatch(
      /Testamt: Ihr Termin am .* fällt aus\. Für Sie reserviert: .* http:\/\/schalter\.test\/angebot\/[A-Za-z0-9_-]{43}/,
    );
    f.clock.advance(10 * 60_000);
    await deliver();
    expect(gateway.received).toHaveLength(2);
  });

  it('a mail that fails for good, and one that bounces, put their people on the call list once', async () => {
    expect(await moveUndeliveredToCallList(f.ctx)).toBe(0);
    // The relay keeps refusing a@: after the last retry the row is failed.
    const a = await f.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', 'a@example.org')
      .where('dedupe_key', 'like', 'closure:%')
      .executeTakeFirstOrThrow();
    await f.ctx.db
      .updateTable('outbox')
      .set({ attempts: MAX_ATTEMPTS - 1, next_attempt_at: new Date(f.clock.now()) })
      .where('id', '=', a.id)
      .execute();
    await f.ctx.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(f.clock.now() + 86_400_000) })
      .where('recipient', '=', 'b@example.org')
      .execute();
    await deliver();
    expect((await f.ctx.db.selectFrom('outbox').select('state').where('id', '=', a.id).executeTakeFirstOrThrow()).state).toBe('failed');

    // b@ is accepted, then comes back as a bounce.
    failMail = false;
    await f.ctx.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(f.clock.now()) })
      .where('recipient', '=', 'b@example.org')
      .execute();
    await deliver();
    expect(mails).toContain('b@example.org');
    const b = await f.ctx.db
      .selectFrom('outbox')
      .select(['id', 'state'])
      .where('recipient', '=', 'b@example.org')
      .where('dedupe_key', 'like', 'closure:%')
      .executeTakeFirstOrThrow();
    expect(b.state).toBe('sent');
    expect(await markBounced(f.ctx.db, { messageId: messageIdFor(b.id), reason: '550 5.1.1 user unknown' })).toBe(true);
    expect(await markBounced(f.ctx.db, { messageId: '<something-else@example.org>', reason: 'x' })).toBe(false);

    expect(await moveUndeliveredToCallList(f.ctx)).toBe(2);
    expect(await moveUndeliveredToCallList(f.ctx)).toBe(0);
    const calls = await f.ctx.db
      .selectFrom('call_list_entry')
      .innerJoin('appointment', 'appointment.id', 'call_list_entry.appointment_id')
      .select(['appointment.citizen_email', 'call_list_entry.reason', 'call_list_entry.state', 'call_list_entry.offer_id'])
      .orderBy('appointment.citizen_email')
      .execute();
    expect(calls).toEqual([
      { citizen_email: 'a@example.org', reason: 'delivery_failed', state: 'open', offer_id: expect.any(String) },
      { citizen_email: 'b@example.org', reason: 'delivery_failed', state: 'open', offer_id: expect.any(String) },
    ]);
  });
});
