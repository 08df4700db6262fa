import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueReminders } from '../../../src/app/appointments/appointment-reminders.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { createFixture, loadOf, type Fixture } from '../../helpers/fixture.ts';
import { contains, html, postForm } from '../../helpers/pages.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// The reminder a day before, with a cancel link that frees the slot for others.

const at = (iso: string) => Date.parse(iso);

describe(`appointment reminders (${testDbKind})`, () => {
  let f: Fixture;
  const book = (start: string, citizen: { email?: string; phone?: string }) =>
    bookAppointment(f.ctx, {
      officeId: 'test',
      start: at(start),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika', email: citizen.email ?? null, phone: citizen.phone ?? null },
      language: 'de',
      channel: 'phone',
    });
  const reminders = () =>
    f.ctx.db.selectFrom('outbox').select(['recipient', 'body_text', 'channel']).where('dedupe_key', 'like', '%:reminder').execute();

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none', closures: { smsEnabled: true } } });
    await book('2026-11-26T10:00:00+01:00', { email: 'a@example.org' });
    await book('2026-11-26T11:00:00+01:00', { phone: '0151 2345 6789' });
    await book('2026-11-26T11:00:00+01:00', { phone: '0221 4710 123' }); // landline: no SMS, no reminder
    await book('2026-11-27T10:00:00+01:00', { email: 'later@example.org' });
  });
  afterAll(async () => f?.close());

  it('goes out 24 h before, once, by mail or SMS to a mobile; not to those who booked inside the window', async () => {
    f.clock.set(at('2026-11-25T11:30:00+01:00'));
    await book('2026-11-26T09:00:00+01:00', { email: 'late@example.org' });
    expect(await queueReminders(f.ctx)).toBe(2);
    expect(await queueReminders(f.ctx)).toBe(0);
    const sent = await reminders();
    expect(sent.map((r) => [r.channel, r.recipient]).sort()).toEqual([
      ['email', 'a@example.org'],
      ['sms', '0151 2345 6789'],
    ]);
    const mail = sent.find((r) => r.channel === 'email')!;
    expect(mail.body_text).toContain('wir erinnern Sie an Ihren Termin am Do., 26.11.2026, 10:00 Uhr');
    expect(mail.body_text).toMatch(/http:\/\/schalter\.test\/erinnerung\/[A-Za-z0-9_-]{43}/);
    expect(sent.find((r) => r.channel === 'sms')!.body_text.length).toBeLessThan(200);
  });

  it('the cancel link asks first; the POST cancels and frees the slot', async () => {
    const mail = (await reminders()).find((r) => r.channel === 'email')!;
    const token = /\/erinnerung\/([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1]!;
    const before = await loadOf(f, '2026-11-26T10:00:00+01:00');
    contains(await html(f.app.request(`/erinnerung/${token}`)), 'Möchten Sie diesen Termin absagen?', `action="/erinnerung/${token}"`);
    expect(await loadOf(f, '2026-11-26T10:00:00+01:00')).toBe(before);

    const res = await postForm(f.app, `/erinnerung/${token}`, {});
    expect(res.status).toBe(303);
    expect(await loadOf(f, '2026-11-26T10:00:00+01:00')).toBe(before - 1);
    contains(await html(f.app.request(res.headers.get('location')!)), 'Ihr Termin ist abgesagt');
    const row = await f.ctx.db
      .selectFrom('appointment')
      .select('status')
      .where('citizen_email', '=', 'a@example.org')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    // The cancellation is confirmed by mail, like any other.
    const confirmation = await f.ctx.db
      .selectFrom('outbox')
      .select('subject')
      .where('recipient', '=', 'a@example.org')
      .where('dedupe_key', 'like', '%:cancelled:%')
      .execute();
    expect(confirmation).toHaveLength(1);
    expect((await postForm(f.app, `/erinnerung/${token}`, {})).status).toBe(303);
    expect((await f.app.request(`/erinnerung/${'y'.repeat(43)}`)).status).toBe(404);
  });
});
