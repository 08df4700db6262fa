import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCounters, bookConfirmed } from '../helpers/counter.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addToken, auditRows, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);
const NIL = '00000000-0000-4000-8000-000000000000';
const S = '/api/v1/staff/offices';

describe(`counter API on ${testDbKind}`, () => {
  let f: Fixture;
  let clerk: string;
  let clerkNord: string;
  let lead: string;
  const post = (path: string, body: unknown, token = clerk) => postJson(f.app, path, body, bearer(token));
  const get = (path: string, token = clerk) => f.app.request(path, { headers: bearer(token) });

  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 8 });
    await addOfficeNord(f);
    await addCounters(f, 'test', 4);
    await addCounters(f, 'nord', 1);
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    clerkNord = await addToken(f, { role: 'clerk', officeIds: ['nord'] });
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
  });
  afterAll(async () => f.close());

  const routes: [string, string][] = [
    ['GET', `${S}/test/queue`],
    ['GET', `${S}/test/queue-settings`],
    ['PUT', `${S}/test/queue-settings`],
    ['POST', `${S}/test/counters/1/open`],
    ['POST', `${S}/test/counters/1/close`],
    ['POST', `${S}/test/counters/1/call-next`],
    ['POST', `${S}/test/check-in`],
    ['POST', `${S}/test/walk-ins`],
    ['POST', `${S}/test/tickets/${NIL}/call`],
    ['POST', `${S}/test/tickets/${NIL}/call-again`],
    ['POST', `${S}/test/tickets/${NIL}/served`],
    ['POST', `${S}/test/tickets/${NIL}/no-show`],
    ['POST', `${S}/test/tickets/${NIL}/forward`],
    ['POST', `${S}/test/appointments/${NIL}/cancel-at-counter`],
    ['POST', `${S}/test/payments`],
    ['GET', `${S}/test/documents`],
    ['POST', `${S}/test/documents`],
    ['POST', `${S}/test/documents/import`],
    ['POST', `${S}/test/documents/PA-0001/ready`],
    ['POST', `${S}/test/documents/PA-0001/return`],
    ['POST', `${S}/test/documents/PA-0001/hand-out`],
  ];

  it.each(routes)('401 without credentials: %s %s', async (method, path) => {
    const res = await f.app.request(path, { method });
    expect(res.status).toBe(401);
  });

  it.each(routes)('404 for a clerk of another office: %s %s', async (method, path) => {
    const valid: Record<string, unknown> = {
      'queue-settings': { walkinQuota: 3, walkinMinutes: 10, checkinEarlyMinutes: 30, checkinLateMinutes: 15 },
      'check-in': { reference: 'AAA-AAA' },
      'walk-ins': { serviceId: 'short' },
      call: { counterNumber: 1 },
      forward: { toCounter: 1 },
      payments: { amountCents: 100, method: 'cash' },
      documents: { orderNumber: 'PA-0001', kind: 'id_card', holderName: 'X' },
      'hand-out': { recipient: 'holder' },
    };
    const last = path.split('/').at(-1)!;
    const isImport = last === 'import';
    const res = await f.app.request(path, {
      method,
      headers: { ...bearer(clerkNord), 'content-type': isImport ? 'text/csv' : 'application/json' },
      ...(method === 'GET' ? {} : { body: isImport ? 'Vorgangsnummer;Dokument;Name\nPA-0009;PA;X' : JSON.stringify(valid[last] ?? {}) }),
    });
    // Changing settings needs a team lead first (403); everything else looks like an unknown office.
    expect(res.status).toBe(last === 'queue-settings' && method === 'PUT' ? 403 : 404);
  });

  it('403: only team leads change the walk-in quota and check-in window', async () => {
    const settings = { walkinQuota: 2, walkinMinutes: 10, checkinEarlyMinutes: 20, checkinLateMinutes: 10 };
    expect(
      (
        await f.app.request(`${S}/test/queue-settings`, {
          method: 'PUT',
          headers: { ...bearer(clerk), 'content-type': 'application/json' },
          body: JSON.stringify(settings),
        })
      ).status,
    ).toBe(403);
    const res = await f.app.request(`${S}/test/queue-settings`, {
      method: 'PUT',
      headers: { ...bearer(lead), 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    expect(res.status).toBe(200);
    expect(await json(get(`${S}/test/queue-settings`))).toMatchObject({ walkinQuota: 2, effectiveWalkinQuota: 2, checkinEarlyMinutes: 20 });
    expect(await auditRows(f, 'queue_settings.update')).toHaveLength(1);
  });

  it('runs the day: check-in, walk-in, call next, call again, forward, served, no-show — each in the audit log', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T08:40:00+01:00');
    f.clock.set(at('08:25'));
    const checkIn = await post(`${S}/test/check-in`, { reference: appointment.reference });
    expect(checkIn.status).toBe(201);
    const t = (await json(checkIn)).ticket;
    expect(t).toMatchObject({ label: 'T-001', state: 'waiting' });
    const walkin = await json(post(`${S}/test/walk-ins`, { serviceId: 'long' }));
    expect(walkin).toMatchObject({ ticket: { label: 'S-001' }, waitMinutes: expect.any(Number) });
    expect((await post(`${S}/test/walk-ins`, { serviceId: 'nope' })).status).toBe(422);

    await post(`${S}/test/counters/1/open`, {});
    f.clock.set(at('08:41'));
    const first = await json(post(`${S}/test/counters/1/call-next`, {}));
    expect(first.ticket).toMatchObject({ label: 'T-001', counterNumber: 1, state: 'called' });
    expect((await post(`${S}/test/counters/1/call-next`, {})).status).toBe(409);
    expect((await json(post(`${S}/test/tickets/${t.id}/call-again`, {}))).ticket.callCount).toBe(2);
    expect((await json(post(`${S}/test/tickets/${t.id}/forward`, { toCounter: 2 }))).ticket).toMatchObject({
      state: 'waiting',
      targetCounter: 2,
    });
    expect((await json(post(`${S}/test/counters/2/call-next`, {}))).ticket.label).toBe('T-001');
    expect((await json(post(`${S}/test/tickets/${t.id}/served`, {}))).ticket.state).toBe('served');
    expect((await json(post(`${S}/test/counters/1/call-next`, {}))).ticket.label).toBe('S-001');
    expect((await json(post(`${S}/test/tickets/${walkin.ticket.id}/no-show`, {}))).ticket.state).toBe('no_show');
    expect((await json(post(`${S}/test/counters/1/call-next`, {}))).ticket).toBeNull();
    expect((await post(`${S}/test/payments`, { amountCents: 3700, method: 'card', ticketId: t.id })).status).toBe(201);

    const queue = await json(get(`${S}/test/queue`));
    expect(queue.counts).toEqual({ waiting: 0, called: 0, served: 1, noShow: 1 });
    expect(queue.stations).toEqual([expect.objectContaining({ counterNumber: 1 })]);
    const history = await json(get(`/api/v1/staff/appointments/${appointment.id}`));
    expect(history.appointment.status).toBe('served');
    const actions = (await f.ctx.db.selectFrom('audit_log').select('action').where('office_id', '=', 'test').execute()).map(
      (r) => r.action,
    );
    for (const action of [
      'appointment.check_in',
      'walkin.issue',
      'counter.open',
      'ticket.call_next',
      'ticket.call_again',
      'ticket.forward',
      'ticket.served',
      'ticket.no_show',
      'fee.paid',
    ])
      expect(actions).toContain(action);
    // The clerk of Nord can neither see this queue nor act on its tickets.
    expect((await get(`${S}/test/queue`, clerkNord)).status).toBe(404);
    expect((await post(`${S}/nord/tickets/${t.id}/served`, {}, clerkNord)).status).toBe(404);
  });

  it('many counters calling at once each get a different ticket', async () => {
    await f.ctx.db.updateTable('office_queue_settings').set({ walkin_quota: 50 }).execute();
    for (let i = 0; i < 6; i++) await post(`${S}/test/walk-ins`, { serviceId: 'short' });
    const results = await Promise.all([1, 2, 3, 4].map((n) => json(post(`${S}/test/counters/${n}/call-next`, {}))));
    const labels = results.map((r) => r.ticket.label);
    expect(new Set(labels).size).toBe(4);
  });

  it('documents: import, ready mail, public status without personal data, handover to an authorised person', async () => {
    const csv =
      '\uFEFFVorgangsnummer;Dokument;Name;E-Mail;Telefon;Status\nPA-2026-0001;Personalausweis;"Müller; Anna";anna@example.org;;\nRP-2026-0002;Reisepass;Ben Ott;;0170 1234567;abholbereit\n';
    const bad = await f.app.request(`${S}/test/documents/import`, {
      method: 'POST',
      headers: { ...bearer(clerk), 'content-type': 'text/csv' },
      body: 'Vorgangsnummer;Dokument;Name\nx;Fahrrad;\n',
    });
    expect(bad.status).toBe(422);
    const imported = await f.app.request(`${S}/test/documents/import`, {
      method: 'POST',
      headers: { ...bearer(clerk), 'content-type': 'text/csv' },
      body: csv,
    });
    expect(await json(imported)).toEqual({ created: 2, ready: 0, unchanged: 0 });
    const sms = await f.ctx.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', 'document-ready:%').execute();
    expect(sms.map((m) => [m.channel, m.recipient])).toEqual([['sms', '0170 1234567']]);

    const again = await f.app.request(`${S}/test/documents/import`, {
      method: 'POST',
      headers: { ...bearer(clerk), 'content-type': 'text/csv' },
      body: csv.replace(';;\n', ';;ready\n'),
    });
    expect(await json(again)).toEqual({ created: 0, ready: 1, unchanged: 1 });
    const mail = await f.ctx.db.selectFrom('outbox').selectAll().where('recipient', '=', 'anna@example.org').executeTakeFirstOrThrow();
    expect(mail.subject).toContain('abholbereit');

    const status = await json(f.app.request('/api/v1/documents/pa-2026-0001/status'));
    expect(status).toMatchObject({ orderNumber: 'PA-2026-0001', state: 'ready', office: { id: 'test' } });
    expect(JSON.stringify(status)).not.toMatch(/Müller|anna@/);
    expect((await f.app.request('/api/v1/documents/NOPE-0000/status')).status).toBe(404);

    expect((await post(`${S}/test/documents/PA-2026-0001/hand-out`, { recipient: 'authorised' })).status).toBe(422);
    const handed = await json(
      post(`${S}/test/documents/PA-2026-0001/hand-out`, { recipient: 'authorised', authorisedName: 'Karl Müller' }),
    );
    expect(handed.document).toMatchObject({ state: 'handed_out', handedOutTo: 'authorised', authorisedName: 'Karl Müller' });
    expect((await post(`${S}/test/documents/PA-2026-0001/hand-out`, { recipient: 'holder' })).status).toBe(409);
    expect((await post(`${S}/test/documents/RP-2026-0002/return`, {})).status).toBe(200);

    const created = await post(`${S}/test/documents`, { orderNumber: 'K-7', kind: 'child_passport', holderName: 'Lea Ott' });
    expect(created.status).toBe(422);
    expect((await post(`${S}/test/documents`, { orderNumber: 'KP-0007', kind: 'child_passport', holderName: 'Lea Ott' })).status).toBe(201);
    const list = await json(get(`${S}/test/documents?state=in_production`));
    expect(list.documents.map((d: { orderNumber: string }) => d.orderNumber)).toEqual(['KP-0007']);
    expect((await json(get(`${S}/nord/documents`, clerkNord))).documents).toEqual([]);
    expect(await auditRows(f, 'document.hand_out')).toHaveLength(1);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    for (const path of [
      '/staff/offices/{officeId}/counters/{counterNumber}/call-next',
      '/staff/offices/{officeId}/documents/{orderNumber}/hand-out',
      '/documents/{orderNumber}/status',
      '/offices/{officeId}/display',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
