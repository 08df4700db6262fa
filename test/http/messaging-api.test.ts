import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { messageIdFor } from '../../src/notify/outbox-worker.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Outbox states for staff, retry of failed messages, and bounces reported by an integration (#5).
// Invariant 3: a bounced closure notice puts its person on the call list at once.

const THURSDAY_0730 = Date.parse('2026-11-26T06:30:00Z');

describe(`notifications API (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: string;
  let nordClerk: string;
  const notice = async (email: string) =>
    f.ctx.db
      .selectFrom('outbox')
      .select(['id', 'state', 'attempts'])
      .where('recipient', '=', email)
      .where('dedupe_key', 'like', 'closure:%')
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    await addOfficeNord(f);
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    nordClerk = await addToken(f, { role: 'clerk', officeIds: ['nord'] });
    const people = ['anna@example.org', 'bernd@example.org', 'carla@example.org'];
    for (const [i, email] of people.entries()) {
      await bookAppointment(f.ctx, {
        officeId: 'test',
        start: Date.parse(`2026-11-26T${String(8 + i).padStart(2, '0')}:00:00+01:00`),
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: `P${i}`, email, phone: null },
        language: 'de',
        channel: 'phone',
      });
    }
    await bookAppointment(f.ctx, {
      officeId: 'nord',
      start: Date.parse('2026-11-26T09:00:00+01:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Nora', email: 'nora@example.org', phone: null },
      language: 'de',
      channel: 'phone',
    });
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
    await runClosure(f.ctx, opened.closure.id);
  });
  afterAll(async () => f?.close());

  it("lists the office's messages with state and masked recipient, never the body; other offices see none of them", async () => {
    const { messages } = await json(f.app.request('/api/v1/notifications?officeId=test&state=queued', { headers: bearer(clerk) }));
    const notices = messages.filter((m: { kind: string }) => m.kind === 'closure');
    expect(notices).toHaveLength(3);
    expect(notices.map((m: { recipient: string }) => m.recipient).sort()).toEqual([
      'a•••@example.org',
      'b•••@example.org',
      'c•••@example.org',
    ]);
    expect(notices[0]).toMatchObject({ officeId: 'test', channel: 'email', state: 'queued', attempts: 0, lastError: null });
    expect(JSON.stringify(messages)).not.toContain('Stromausfall'); // the reason is in the body only
    // Without officeId: everything within the token's offices (the confirmations of today's bookings included).
    const all = await json(f.app.request('/api/v1/notifications', { headers: bearer(clerk) }));
    expect(all.messages.every((m: { officeId: string }) => m.officeId === 'test')).toBe(true);
    const nord = await json(f.app.request('/api/v1/notifications', { headers: bearer(nordClerk) }));
    expect(nord.messages.map((m: { recipient: string }) => m.recipient)).toEqual(['n•••@example.org']);
    expect((await f.app.request('/api/v1/notifications?officeId=test', { headers: bearer(nordClerk) })).status).toBe(404);
    // Written on the closure's morning (the application's clock): the notices and the offer reminders queued with them.
    expect((await json(f.app.request('/api/v1/notifications?officeId=test&date=2026-11-27', { headers: bearer(clerk) }))).messages).toEqual(
      [],
    );
    const thursday = (
      await json(f.app.request('/api/v1/notifications?officeId=test&date=2026-11-26&state=queued', { headers: bearer(clerk) }))
    ).messages;
    expect(thursday.filter((m: { kind: string }) => m.kind === 'closure')).toHaveLength(3);
    expect(thursday.filter((m: { kind: string }) => m.kind !== 'closure').map((m: { kind: string }) => m.kind)).toEqual([
      'offer_reminder',
      'offer_reminder',
      'offer_reminder',
    ]);
    expect((await f.app.request('/api/v1/notifications?state=lost', { headers: bearer(clerk) })).status).toBe(422);
  });

  it('sends a failed message again; refuses to retry anything else', async () => {
    const row = await notice('anna@example.org');
    await f.ctx.db
      .updateTable('outbox')
      .set({ state: 'failed', attempts: 8, last_error: '421 relay busy' })
      .where('id', '=', row.id)
      .execute();
    const failed = await json(f.app.request('/api/v1/notifications?state=failed', { headers: bearer(clerk) }));
    expect(failed.messages).toHaveLength(1);
    expect(failed.messages[0]).toMatchObject({ id: row.id, lastError: '421 relay busy' });
    expect((await postJson(f.app, `/api/v1/notifications/${row.id}/retry`, {}, bearer(nordClerk))).status).toBe(404);
    const res = await postJson(f.app, `/api/v1/notifications/${row.id}/retry`, {}, bearer(clerk));
    expect(await json(res)).toEqual({ state: 'queued' });
    expect(await notice('anna@example.org')).toMatchObject({ state: 'queued', attempts: 0 });
    expect((await postJson(f.app, `/api/v1/notifications/${row.id}/retry`, {}, bearer(clerk))).status).toBe(409);
    expect(await auditRows(f, 'outbox.retry')).toHaveLength(1);
  });

  it('a bounced closure notice is marked and puts its person on the call list at once; repeating changes nothing', async () => {
    const row = await notice('bernd@example.org');
    await f.ctx.db
      .updateTable('outbox')
      .set({ state: 'sent', sent_at: new Date(f.clock.now()) })
      .where('id', '=', row.id)
      .execute();
    const callList = async () => (await json(f.app.request('/api/v1/offices/test/call-list', { headers: bearer(clerk) }))).entries;
    expect(await callList()).toHaveLength(0);

    const res = await postJson(
      f.app,
      '/api/v1/notifications/bounces',
      { messageId: messageIdFor(row.id), reason: '550 5.1.1 mailbox unknown' },
      bearer(clerk),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ state: 'bounced', movedToCallList: 1 });
    expect(await notice('bernd@example.org')).toMatchObject({ state: 'bounced' });
    const entries = await callList();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ reason: 'delivery_failed', name: 'P1', held: { offerState: 'held' } });
    const bounced = await json(f.app.request('/api/v1/notifications?state=bounced', { headers: bearer(clerk) }));
    expect(bounced.messages[0]).toMatchObject({ id: row.id, lastError: '550 5.1.1 mailbox unknown' });

    expect(
      await json(postJson(f.app, '/api/v1/notifications/bounces', { messageId: messageIdFor(row.id), reason: 'again' }, bearer(clerk))),
    ).toEqual({ state: 'bounced', movedToCallList: 0 });
    expect(await callList()).toHaveLength(1);
    // A bounced message is not retried: the address is wrong.
    expect((await postJson(f.app, `/api/v1/notifications/${row.id}/retry`, {}, bearer(clerk))).status).toBe(409);
  });

  it("refuses bounces for other offices, unknown ids, bad bodies, no token and a person's session", async () => {
    const row = await notice('carla@example.org');
    expect(
      (await postJson(f.app, '/api/v1/notifications/bounces', { messageId: messageIdFor(row.id), reason: 'x' }, bearer(nordClerk))).status,
    ).toBe(404);
    expect(
      (await postJson(f.app, '/api/v1/notifications/bounces', { messageId: '<foreign@example.org>', reason: 'x' }, bearer(clerk))).status,
    ).toBe(404);
    expect(
      (await postJson(f.app, '/api/v1/notifications/bounces', { messageId: messageIdFor('999999'), reason: 'x' }, bearer(clerk))).status,
    ).toBe(404);
    expect((await postJson(f.app, '/api/v1/notifications/bounces', { messageId: messageIdFor(row.id) }, bearer(clerk))).status).toBe(422);
    expect((await postJson(f.app, '/api/v1/notifications/bounces', { messageId: messageIdFor(row.id), reason: 'x' })).status).toBe(401);
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'bounce-session');
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/tagesplan');
    const viaSession = await b.postJson(
      '/api/v1/notifications/bounces',
      { messageId: messageIdFor(row.id), reason: 'x' },
      { 'x-csrf-token': b.csrf! },
    );
    expect(viaSession.status).toBe(403);
    expect(await notice('carla@example.org')).toMatchObject({ state: 'queued' });
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/notifications', '/notifications/{id}/retry', '/notifications/bounces']),
    );
    expect(doc.components.schemas.BounceReport.required).toEqual(['messageId', 'reason']);
  });
});
