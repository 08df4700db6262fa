import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { sweepWaitingList } from '../../src/app/waiting-list/sweep-waiting-list.ts';
import { joinWaitingList } from '../../src/app/waiting-list/waiting-list.ts';
import { bookOut, cancelBookedAt, type Wish } from '../helpers/book-out.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// /staff/nachrichten (#5): a clerk sees the office's messages and their states, never a body, and
// sends a failed one again with a CSRF-protected form.

describe(`staff page of outgoing messages (${testDbKind})`, () => {
  let f: Fixture;
  let b: StaffBrowser;
  let failedId: string;

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    await addOfficeNord(f);
    const book = (officeId: string, time: string, email: string) =>
      bookAppointment(f.ctx, {
        officeId,
        start: Date.parse(`2026-11-26T${time}:00+01:00`),
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: 'Geheim Name', email, phone: null },
        language: 'de',
        channel: 'phone',
      });
    await book('test', '09:00', 'anna@example.org');
    await book('test', '09:10', 'bernd@example.org');
    await book('nord', '09:00', 'nora@example.org');
    const row = await f.ctx.db.selectFrom('outbox').select('id').where('recipient', '=', 'bernd@example.org').executeTakeFirstOrThrow();
    failedId = row.id;
    await f.ctx.db
      .updateTable('outbox')
      .set({ state: 'failed', attempts: 8, last_error: '554 relay refused' })
      .where('id', '=', failedId)
      .execute();
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    b = new StaffBrowser(f, 'outbox');
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
  });
  afterAll(async () => f?.close());

  it("lists the office's messages with state and error, masked, without bodies; filters by state", async () => {
    const { status, html } = await b.page('/staff/nachrichten');
    expect(status).toBe(200);
    contains(
      html,
      'Nachrichten – Testamt',
      'Terminbestätigung/-änderung',
      'E-Mail: a•••@example.org',
      'E-Mail: b•••@example.org',
      'fehlgeschlagen',
      '554 relay refused',
      'Erneut senden',
      'href="/staff/nachrichten"',
    );
    expect(html).not.toContain('anna@example.org');
    expect(html).not.toContain('n•••@example.org'); // office nord
    expect(html).not.toContain('Geheim Name'); // the body greets by name; bodies are never shown
    const failed = await b.page('/staff/nachrichten?status=failed');
    expect(failed.html).toContain('b•••@example.org');
    expect(failed.html).not.toContain('a•••@example.org');
    contains((await b.page('/staff/nachrichten?status=sent')).html, 'Keine Nachrichten für diese Auswahl.');
    expect((await b.page('/staff/nachrichten?datum=2026-13-45')).status).toBe(422);
    contains((await b.page('/staff/nachrichten?lang=en')).html, 'Messages – Testamt', 'Send again');
    await b.page('/staff/nachrichten?lang=de');
  });

  it('sends a failed message again; without the CSRF token nothing happens', async () => {
    await b.page('/staff/nachrichten?status=failed');
    expect((await b.post(`/staff/nachrichten/${failedId}/erneut`, {}, { csrf: false })).status).toBe(403);
    expect((await f.ctx.db.selectFrom('outbox').select('state').where('id', '=', failedId).executeTakeFirstOrThrow()).state).toBe('failed');
    const res = await b.post(`/staff/nachrichten/${failedId}/erneut`, {});
    expect(res.status).toBe(303);
    expect(await f.ctx.db.selectFrom('outbox').select(['state', 'attempts']).where('id', '=', failedId).executeTakeFirstOrThrow()).toEqual({
      state: 'queued',
      attempts: 0,
    });
    contains((await b.page(res.headers.get('location')!)).html, 'Die Nachricht wird erneut gesendet.');
    const again = await b.post(`/staff/nachrichten/${failedId}/erneut`, {});
    expect(again.status).toBe(409);
  });

  it('a message of another office cannot be retried from here', async () => {
    const nord = await f.ctx.db.selectFrom('outbox').select('id').where('recipient', '=', 'nora@example.org').executeTakeFirstOrThrow();
    await f.ctx.db.updateTable('outbox').set({ state: 'failed' }).where('id', '=', nord.id).execute();
    expect((await b.post(`/staff/nachrichten/${nord.id}/erneut`, {})).status).toBe(404);
    expect((await f.ctx.db.selectFrom('outbox').select('state').where('id', '=', nord.id).executeTakeFirstOrThrow()).state).toBe('failed');
  });

  it('waiting-list mails are listed for the offices the entry names, and the offer for the office of the seat (#22 item 5)', async () => {
    const thursday: Omit<Wish, 'officeIds'> = {
      services: [{ serviceId: 'short', persons: 1 }],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '08:00',
      toTime: '12:00',
    };
    const join = (email: string, officeIds: string[]) =>
      joinWaitingList(f.ctx, { ...thursday, officeIds, citizen: { name: 'Geheim Name', email }, language: 'de' });
    // Both offices are full on Thursday when they join; then a seat frees up at each.
    const booked = await bookOut(f.ctx, { ...thursday, officeIds: ['test', 'nord'] });
    await join('wilma@example.org', ['nord', 'test']);
    await join('otto@example.org', ['nord']);
    const at = (officeId: string, time: string) =>
      booked.find((s) => s.officeId === officeId && s.start === Date.parse(`2026-11-26T${time}:00+01:00`))!;
    await cancelBookedAt(f.ctx, [at('test', '10:00')], at('test', '10:00').start);
    await cancelBookedAt(f.ctx, [at('nord', '11:00')], at('nord', '11:00').start);
    const joined = await b.page('/staff/nachrichten');
    contains(joined.html, 'Warteliste', 'E-Mail: w•••@example.org');
    expect(joined.html).not.toContain('o•••@example.org');

    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 2 });
    const offers = await f.ctx.db
      .selectFrom('outbox')
      .select(['id', 'recipient'])
      .where('dedupe_key', 'like', 'waiting-offer:%')
      .orderBy('recipient')
      .execute();
    expect(offers.map((o) => o.recipient)).toEqual(['otto@example.org', 'wilma@example.org']);
    const listed = (await b.page('/staff/nachrichten')).html;
    // Otto's offer is a seat at Nord: not this office's. Wilma's is wherever her seat was found.
    expect(listed).not.toContain('o•••@example.org');
    const wilmaSeat = await f.ctx.db
      .selectFrom('appointment')
      .select('office_id')
      .where('citizen_email', '=', 'wilma@example.org')
      .executeTakeFirstOrThrow();
    const wilmaMails = (listed.match(/w•••@example\.org/g) ?? []).length;
    expect(wilmaMails).toBe(wilmaSeat.office_id === 'test' ? 2 : 1);
    await f.ctx.db.updateTable('outbox').set({ state: 'failed' }).where('id', '=', offers[0]!.id).execute();
    expect((await b.post(`/staff/nachrichten/${offers[0]!.id}/erneut`, {})).status).toBe(404);
  });
});
