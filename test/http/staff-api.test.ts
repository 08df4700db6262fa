import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addToken, auditRows, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Thursday 26 Nov 2026 in Berlin (UTC+1).
const THU = '2026-11-26';
const THU_0800 = '2026-11-26T08:00:00+01:00';
const THU_0900 = '2026-11-26T09:00:00+01:00';
const caller = { name: 'Erika Mustermann', phone: '0201 123456' };

async function phoneBook(f: Fixture, token: string, office: string, start: string, citizen: Record<string, unknown> = caller) {
  return postJson(
    f.app,
    `/api/v1/staff/offices/${office}/appointments`,
    { start, services: [{ serviceId: 'short', persons: 1 }], citizen },
    bearer(token),
  );
}

describe(`staff API on ${testDbKind}`, () => {
  let f: Fixture;
  let clerkTest: string;
  let clerkNord: string;
  let leadTest: string;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    await addOfficeNord(f);
    clerkTest = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    clerkNord = await addToken(f, { role: 'clerk', officeIds: ['nord'] });
    leadTest = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
  });
  afterAll(async () => f.close());

  describe('without valid credentials every staff route answers 401', () => {
    const routes: [string, string][] = [
      ['GET', '/api/v1/staff/me'],
      ['GET', `/api/v1/staff/offices/test/day-plan?date=${THU}`],
      ['GET', `/api/v1/staff/offices/test/day-plan.csv?date=${THU}`],
      ['GET', '/api/v1/staff/offices/test/availability?services=short'],
      ['POST', '/api/v1/staff/offices/test/appointments'],
      ['GET', '/api/v1/staff/appointments?query=Erika'],
      ['GET', '/api/v1/staff/appointments/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/v1/staff/appointments/00000000-0000-4000-8000-000000000000/cancel'],
      ['POST', '/api/v1/staff/appointments/00000000-0000-4000-8000-000000000000/reschedule'],
      ['GET', '/api/v1/staff/offices/test/audit-log'],
    ];
    it.each(routes)('%s %s', async (method, path) => {
      for (const headers of [{}, bearer('sch_not-a-real-token-000000000000000000000000000'), { authorization: 'Basic YTpi' }]) {
        const res = await f.app.request(path, { method, headers });
        expect(res.status).toBe(401);
        expect((await json(res)).error.code).toBe('unauthenticated');
      }
    });
  });

  it('a revoked token stops working at once', async () => {
    const { revokeApiToken } = await import('../../src/app/staff/api-tokens.ts');
    const token = await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'short-lived' });
    expect((await f.app.request('/api/v1/staff/me', { headers: bearer(token) })).status).toBe(200);
    expect(await revokeApiToken(f.ctx, { idOrName: 'short-lived', actor: 'test' })).toBe(1);
    expect((await f.app.request('/api/v1/staff/me', { headers: bearer(token) })).status).toBe(401);
  });

  it('tells a token who it is and lists only its offices', async () => {
    expect((await json(f.app.request('/api/v1/staff/me', { headers: bearer(clerkTest) }))).principal).toMatchObject({
      kind: 'token',
      role: 'clerk',
      officeIds: ['test'],
    });
    const { offices } = await json(f.app.request('/api/v1/staff/offices', { headers: bearer(clerkNord) }));
    expect(offices.map((o: { id: string }) => o.id)).toEqual(['nord']);
  });

  it('phone booking may use the seats kept for the phone, which online booking may not', async () => {
    // Every seat of Thursday 09:00–09:10 is kept for the phone.
    await f.ctx.db
      .updateTable('capacity_unit')
      .set({ phone_reserved: 1 })
      .where('office_id', '=', 'test')
      .where('starts_at', 'in', [new Date('2026-11-26T08:00:00Z'), new Date('2026-11-26T08:05:00Z')])
      .execute();
    const online = await json(f.app.request(`/api/v1/availability?services=short&office=test&from=${THU}&to=${THU}&limit=100`));
    expect(online.slots.map((s: { start: string }) => s.start)).not.toContain(THU_0900);
    const phone = await json(
      f.app.request(`/api/v1/staff/offices/test/availability?services=short&from=${THU}&to=${THU}&limit=100`, {
        headers: bearer(clerkTest),
      }),
    );
    expect(phone.slots.map((s: { start: string }) => s.start)).toContain(THU_0900);

    expect(
      (
        await postJson(f.app, '/api/v1/appointments', {
          officeId: 'test',
          start: THU_0900,
          services: [{ serviceId: 'short', persons: 1 }],
          citizen: caller,
        })
      ).status,
    ).toBe(409);
    const res = await phoneBook(f, clerkTest, 'test', THU_0900);
    expect(res.status).toBe(201);
    const { appointment } = await json(res);
    expect(appointment).toMatchObject({
      status: 'confirmed',
      source: 'phone',
      start: THU_0900,
      reference: expect.stringMatching(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/),
    });
    expect(await loadOf(f, '2026-11-26T08:00:00Z')).toBe(1);

    const [entry] = await auditRows(f, 'appointment.create');
    expect(entry).toMatchObject({
      entity: 'appointment',
      entity_id: appointment.id,
      office_id: 'test',
      actor: expect.stringMatching(/^token:/),
    });
    const event = await f.ctx.db
      .selectFrom('appointment_event')
      .selectAll()
      .where('appointment_id', '=', appointment.id)
      .executeTakeFirstOrThrow();
    expect(event.actor).toBe(entry!.actor);
  });

  it('at 08:00 sharp the phone search does not offer 08:00, which could no longer be booked', async () => {
    const { slots } = await json(
      f.app.request('/api/v1/staff/offices/test/availability?services=short&from=2026-11-25&to=2026-11-25&limit=1', {
        headers: bearer(clerkTest),
      }),
    );
    expect(slots).toEqual([{ officeId: 'test', start: '2026-11-25T08:05:00+01:00', end: '2026-11-25T08:15:00+01:00' }]);
  });

  it('staff can book services that cannot be booked online', async () => {
    const res = await postJson(
      f.app,
      '/api/v1/staff/offices/test/appointments',
      { start: '2026-11-26T10:00:00+01:00', services: [{ serviceId: 'counter-only', persons: 1 }], citizen: caller },
      bearer(clerkTest),
    );
    expect(res.status).toBe(201);
  });

  it('a phone booking with an email address is confirmed at once and mailed', async () => {
    const res = await phoneBook(f, clerkTest, 'test', THU_0800, { name: 'Max Muster', email: 'max@example.org' });
    expect(res.status).toBe(201);
    const { appointment } = await json(res);
    expect(appointment.status).toBe('confirmed');
    const mail = await f.ctx.db.selectFrom('outbox').selectAll().where('recipient', '=', 'max@example.org').executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(appointment.reference);
  });

  it('a clerk of Nord cannot see or touch anything of office test: 404 everywhere', async () => {
    const [row] = await f.ctx.db.selectFrom('appointment').select('id').where('office_id', '=', 'test').execute();
    const id = row!.id;
    const h = bearer(clerkNord);
    expect((await f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}`, { headers: h })).status).toBe(404);
    expect((await f.app.request(`/api/v1/staff/offices/test/day-plan.csv?date=${THU}`, { headers: h })).status).toBe(404);
    expect((await f.app.request('/api/v1/staff/offices/test/availability?services=short', { headers: h })).status).toBe(404);
    expect((await phoneBook(f, clerkNord, 'test', '2026-11-26T11:00:00+01:00')).status).toBe(404);
    expect((await f.app.request(`/api/v1/staff/appointments/${id}`, { headers: h })).status).toBe(404);
    expect((await postJson(f.app, `/api/v1/staff/appointments/${id}/cancel`, {}, h)).status).toBe(404);
    expect((await postJson(f.app, `/api/v1/staff/appointments/${id}/reschedule`, { start: '2026-11-27T09:00:00+01:00' }, h)).status).toBe(
      404,
    );
    const search = await json(f.app.request('/api/v1/staff/appointments?query=Erika', { headers: h }));
    expect(search.appointments).toEqual([]);
    expect((await f.app.request('/api/v1/staff/appointments?query=Erika&officeId=test', { headers: h })).status).toBe(404);
    // And a clerk of test may not move an appointment into Nord either.
    expect(
      (
        await postJson(
          f.app,
          `/api/v1/staff/appointments/${id}/reschedule`,
          { start: '2026-11-27T09:00:00+01:00', officeId: 'nord' },
          bearer(clerkTest),
        )
      ).status,
    ).toBe(404);
  });

  it('the day plan lists the day by time with status, and reading it is audited with the records shown', async () => {
    const res = await f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}`, { headers: bearer(clerkTest) });
    expect(res.status).toBe(200);
    const plan = await json(res);
    expect(plan.office).toEqual({ id: 'test', name: 'Testamt', timeZone: 'Europe/Berlin' });
    expect(plan.entries.map((e: { start: string }) => e.start)).toEqual([THU_0800, THU_0900, '2026-11-26T10:00:00+01:00']);
    expect(plan.entries[1]).toMatchObject({
      status: 'confirmed',
      source: 'phone',
      citizen: caller,
      services: [{ serviceId: 'short', nameDe: 'Kurz', persons: 1 }],
    });
    expect(plan.counts).toEqual({ confirmed: 3 });
    const [read] = await auditRows(f, 'day_plan.read');
    expect(read).toMatchObject({ entity: 'office_day', entity_id: `test/${THU}`, office_id: 'test' });
    expect(read!.details).toEqual({ appointmentIds: plan.entries.map((e: { id: string }) => e.id) });

    const filtered = await json(f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}&query=max`, { headers: bearer(clerkTest) }));
    expect(filtered.entries.map((e: { citizen: { name: string } }) => e.citizen.name)).toEqual(['Max Muster']);
  });

  it('exports the day plan as CSV that German Excel opens: BOM, semicolons, CRLF', async () => {
    const res = await f.app.request(`/api/v1/staff/offices/test/day-plan.csv?date=${THU}`, { headers: bearer(clerkTest) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tagesplan-test-${THU}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('Datum;Beginn;Ende;Buchungsnummer;Status;Name;Telefon;E-Mail;Dienstleistungen;Buchungsweg');
    expect(lines[2]).toMatch(new RegExp(`^${THU};09:00;09:10;[A-Z0-9-]{7};bestätigt;Erika Mustermann;0201 123456;;1 × Kurz;Telefon$`));
    expect(lines).toHaveLength(5); // heading, three appointments, and the final line end
    expect(await auditRows(f, 'day_plan.export')).toHaveLength(1);
  });

  it('finds appointments by reference however it is typed, and by part of the name', async () => {
    const plan = await json(f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}`, { headers: bearer(clerkTest) }));
    const reference: string = plan.entries[0].reference;
    const typed = reference.toLowerCase().replace('-', ' ');
    const byReference = await json(
      f.app.request(`/api/v1/staff/appointments?query=${encodeURIComponent(typed)}`, { headers: bearer(clerkTest) }),
    );
    expect(byReference.appointments.map((a: { reference: string }) => a.reference)).toEqual([reference]);
    const byName = await json(f.app.request('/api/v1/staff/appointments?query=mustermann', { headers: bearer(clerkTest) }));
    expect(byName.appointments).toHaveLength(2);
    expect((await auditRows(f, 'appointment.search')).at(-1)!.details).toMatchObject({
      query: 'mustermann',
      appointmentIds: byName.appointments.map((a: { id: string }) => a.id),
    });
  });

  it('a clerk moves an appointment by id; the event and the audit log name the clerk', async () => {
    const plan = await json(f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}`, { headers: bearer(clerkTest) }));
    const max = plan.entries.find((e: { citizen: { name: string } }) => e.citizen.name === 'Max Muster');
    const res = await postJson(
      f.app,
      `/api/v1/staff/appointments/${max.id}/reschedule`,
      { start: '2026-11-27T09:00:00+01:00' },
      bearer(clerkTest),
    );
    expect(res.status).toBe(200);
    expect((await json(res)).appointment).toMatchObject({ start: '2026-11-27T09:00:00+01:00', status: 'confirmed' });
    expect(await loadOf(f, '2026-11-26T07:00:00Z')).toBe(0);
    expect(await loadOf(f, '2026-11-27T08:00:00Z')).toBe(1);
    const [moved] = await auditRows(f, 'appointment.reschedule');
    expect(moved).toMatchObject({ entity_id: max.id, office_id: 'test' });
    const mails = await f.ctx.db.selectFrom('outbox').select('body_text').where('recipient', '=', 'max@example.org').execute();
    expect(mails).toHaveLength(2);
    // The new mail carries a fresh manage link that works; the first link no longer does.
    const links = mails.map((m) => /termin\/([A-Za-z0-9_-]{43})/.exec(m.body_text)![1]!);
    expect((await f.app.request(`/api/v1/appointments/${links[1]}`)).status).toBe(200);
    expect((await f.app.request(`/api/v1/appointments/${links[0]}`)).status).toBe(404);

    const detail = await json(f.app.request(`/api/v1/staff/appointments/${max.id}`, { headers: bearer(clerkTest) }));
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['booked', 'rescheduled']);
    expect(detail.history[1].actor).toBe(moved!.actor);
    expect((await auditRows(f, 'appointment.read')).at(-1)).toMatchObject({ entity_id: max.id });
  });

  it("a clerk cancels on the caller's request; the time becomes free and the cancellation is audited", async () => {
    const plan = await json(f.app.request(`/api/v1/staff/offices/test/day-plan?date=${THU}`, { headers: bearer(clerkTest) }));
    const erika = plan.entries.find((e: { start: string }) => e.start === THU_0900);
    const res = await postJson(f.app, `/api/v1/staff/appointments/${erika.id}/cancel`, {}, bearer(clerkTest));
    expect(res.status).toBe(200);
    expect((await json(res)).appointment.status).toBe('cancelled');
    expect(await loadOf(f, '2026-11-26T08:00:00Z')).toBe(0);
    expect(await auditRows(f, 'appointment.cancel')).toMatchObject([{ entity_id: erika.id, details: { reason: 'citizen' } }]);
    const again = await postJson(
      f.app,
      `/api/v1/staff/appointments/${erika.id}/reschedule`,
      { start: '2026-11-27T10:00:00+01:00' },
      bearer(clerkTest),
    );
    expect(again.status).toBe(409);
  });

  it('the audit log is for team leads: a clerk gets 403, the team lead of the office sees entries', async () => {
    const denied = await f.app.request('/api/v1/staff/offices/test/audit-log', { headers: bearer(clerkTest) });
    expect(denied.status).toBe(403);
    expect((await json(denied)).error.code).toBe('forbidden');
    const res = await f.app.request('/api/v1/staff/offices/test/audit-log?limit=5', { headers: bearer(leadTest) });
    expect(res.status).toBe(200);
    const { entries } = await json(res);
    expect(entries).toHaveLength(5);
    expect(entries.every((e: { officeId: string }) => e.officeId === 'test')).toBe(true);
    expect((await f.app.request('/api/v1/staff/offices/nord/audit-log', { headers: bearer(leadTest) })).status).toBe(404);
  });

  it('documents the staff routes with a bearer scheme in the one OpenAPI file', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/staff/offices/{officeId}/day-plan'].get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/appointments', '/staff/appointments/{id}/cancel', '/staff/offices/{officeId}/appointments']),
    );
  });
});
