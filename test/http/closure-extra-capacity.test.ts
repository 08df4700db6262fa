import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Extra capacity for replacements (#5): seats a team lead opens after a closure (an afternoon the
// plan does not staff, a Saturday) that replacement offers use and the public never gets.

const WED = (time: string) => `2026-11-25T${time}:00+01:00`;

const unit = (f: Fixture, iso: string) =>
  f.ctx.db
    .selectFrom('capacity_unit')
    .select(['capacity', 'rebooking_only', 'load'])
    .where('office_id', '=', 'test')
    .where('starts_at', '=', new Date(iso))
    .executeTakeFirst();

describe(`extra capacity for replacements (${testDbKind})`, () => {
  let f: Fixture;
  let lead: string;

  beforeAll(async () => {
    // Wednesday 08:00, one counter 08:00–12:00 Mon–Fri.
    f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
    await addOfficeNord(f);
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
  });
  afterAll(async () => f?.close());

  it('team leads open it by API (documented); clerks, other offices and bad periods are refused', async () => {
    const res = await postJson(
      f.app,
      '/api/v1/offices/test/extra-capacity',
      { from: WED('14:00'), to: WED('16:00'), counters: 1 },
      bearer(lead),
    );
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ units: 24, seats: 24, from: '2026-11-25T13:00:00.000Z', to: '2026-11-25T15:00:00.000Z' });
    expect(await unit(f, WED('14:00'))).toEqual({ capacity: 1, rebooking_only: 1, load: 0 });
    // On top of a staffed unit: Thursday 09:00 gets a second counter for replacements only.
    expect(
      (
        await postJson(
          f.app,
          '/api/v1/offices/test/extra-capacity',
          { from: '2026-11-26T09:00:00+01:00', to: '2026-11-26T09:30:00+01:00', counters: 1 },
          bearer(lead),
        )
      ).status,
    ).toBe(201);
    expect(await unit(f, '2026-11-26T09:00:00+01:00')).toEqual({ capacity: 2, rebooking_only: 1, load: 0 });
    expect(await auditRows(f, 'capacity.extra_for_replacements')).toHaveLength(2);

    const clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    expect(
      (await postJson(f.app, '/api/v1/offices/test/extra-capacity', { from: WED('14:00'), to: WED('16:00'), counters: 1 }, bearer(clerk)))
        .status,
    ).toBe(403);
    const nordLead = await addToken(f, { role: 'teamlead', officeIds: ['nord'] });
    expect(
      (
        await postJson(
          f.app,
          '/api/v1/offices/test/extra-capacity',
          { from: WED('14:00'), to: WED('16:00'), counters: 1 },
          bearer(nordLead),
        )
      ).status,
    ).toBe(404);
    expect(
      (await postJson(f.app, '/api/v1/offices/test/extra-capacity', { from: WED('16:00'), to: WED('14:00'), counters: 1 }, bearer(lead)))
        .status,
    ).toBe(422);
    expect(
      (await postJson(f.app, '/api/v1/offices/test/extra-capacity', { from: WED('14:00'), to: WED('16:00'), counters: 0 }, bearer(lead)))
        .status,
    ).toBe(422);
    expect(await unit(f, WED('14:00'))).toEqual({ capacity: 1, rebooking_only: 1, load: 0 });
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(doc.paths['/offices/{officeId}/extra-capacity'].post).toBeDefined();
  });

  it('the public cannot book it, online or by phone', async () => {
    const { slots } = await json(f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-25&to=2026-11-25&limit=100'));
    expect(slots.map((s: { start: string }) => s.start).filter((s: string) => s >= WED('12:00'))).toEqual([]);
    const online = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: WED('14:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Eva', email: 'eva@example.org' },
      language: 'de',
    });
    expect(online.status).toBe(409);
    await expect(
      bookAppointment(f.ctx, {
        officeId: 'test',
        start: Date.parse(WED('14:00')),
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: 'Tel', phone: '0221 1' },
        language: 'de',
        channel: 'phone',
      }),
    ).rejects.toThrow();
    // Thursday 09:00 has its one public seat, not the second one.
    expect(
      (
        await postJson(f.app, '/api/v1/appointments', {
          officeId: 'test',
          start: '2026-11-26T09:00:00+01:00',
          services: [{ serviceId: 'short', persons: 1 }],
          citizen: { name: 'A', email: 'a@example.org' },
          language: 'de',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await postJson(f.app, '/api/v1/appointments', {
          officeId: 'test',
          start: '2026-11-26T09:00:00+01:00',
          services: [{ serviceId: 'short', persons: 1 }],
          citizen: { name: 'B', email: 'b@example.org' },
          language: 'de',
        })
      ).status,
    ).toBe(409);
    expect(await unit(f, WED('14:00'))).toMatchObject({ load: 0 });
  });

  it('laying out the staffing plan again keeps the extra seats', async () => {
    await materializeCapacity(f.ctx);
    expect(await unit(f, WED('14:00'))).toEqual({ capacity: 1, rebooking_only: 1, load: 0 });
    expect(await unit(f, '2026-11-26T09:00:00+01:00')).toEqual({ capacity: 2, rebooking_only: 1, load: 1 });
  });

  it('a replacement after a closure is held in the extra seats', async () => {
    const { appointment } = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse(WED('10:00')),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Rita', email: 'rita@example.org' },
      language: 'de',
      channel: 'phone',
    });
    // Closed for the rest of the morning: the earliest replacement (two hours' lead) is the extra afternoon.
    const opened = await openClosure(f.ctx, {
      officeId: 'test',
      from: f.clock.now(),
      to: Date.parse(WED('12:00')),
      reason: 'Netzausfall',
      counters: null,
      notify: true,
      offerReplacements: true,
      actor: 'cli',
    });
    await runClosure(f.ctx, opened.closure.id);
    const held = await f.ctx.db
      .selectFrom('replacement_offer as o')
      .innerJoin('appointment as h', 'h.id', 'o.held_appointment_id')
      .select(['h.starts_at', 'h.office_id', 'o.state'])
      .where('o.original_appointment_id', '=', appointment.id)
      .executeTakeFirstOrThrow();
    expect(held).toMatchObject({ office_id: 'test', state: 'held' });
    expect(held.starts_at.toISOString()).toBe(new Date(WED('14:00')).toISOString());
    expect(await unit(f, WED('14:00'))).toEqual({ capacity: 1, rebooking_only: 1, load: 1 });

    // Extra seats inside the closed morning stay closed with it.
    expect(
      (await postJson(f.app, '/api/v1/offices/test/extra-capacity', { from: WED('11:00'), to: WED('11:30'), counters: 2 }, bearer(lead)))
        .status,
    ).toBe(201);
    const closed = await f.ctx.db
      .selectFrom('capacity_unit')
      .select(['capacity', 'closed', 'rebooking_only'])
      .where('office_id', '=', 'test')
      .where('starts_at', '=', new Date(WED('11:00')))
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ capacity: 3, closed: 3, rebooking_only: 2 });
  });

  it('team leads open it from the closure page (CSRF); the form suggests next Saturday 09:00–13:00', async () => {
    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'lead');
    await b.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    const page = await b.page('/staff/schliessungen');
    contains(page.html, 'Zusätzliche Plätze nur für Ersatztermine', 'value="2026-11-28"', 'value="09:00"', 'value="13:00"');
    const fields = { 'zusatz-datum': '2026-11-28', 'zusatz-von': '09:00', 'zusatz-bis': '13:00', 'zusatz-schalter': '2' };
    expect((await b.post('/staff/schliessungen/zusatzplaetze', fields, { csrf: false })).status).toBe(403);
    const bad = await b.post('/staff/schliessungen/zusatzplaetze', { ...fields, 'zusatz-bis': '08:00' });
    expect(bad.status).toBe(422);
    contains(await bad.text(), 'Bitte Datum, Uhrzeiten');
    const res = await b.post('/staff/schliessungen/zusatzplaetze', fields);
    expect(res.status).toBe(303);
    contains((await b.page(res.headers.get('location')!)).html, '96 zusätzliche Plätze');
    expect(await unit(f, '2026-11-28T09:00:00+01:00')).toEqual({ capacity: 2, rebooking_only: 2, load: 0 });
    expect(await unit(f, '2026-11-28T13:00:00+01:00')).toBeUndefined();
  });
});
