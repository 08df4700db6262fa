import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCounterCommand } from '../../src/app/counter/execute-counter-command.ts';
import { enrollBranch } from '../../src/sync/central-apply.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Walk-in slots from the branch lease (#6) over the API: the clerk sees which starts later today
// the lease still has, gives one, and beyond the lease still gives one — flagged, without a seat.

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe(`walk-in slots API (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: string;

  beforeAll(async () => {
    // Two counters 08:00–12:00, half the seats leased: one lease seat in every unit.
    f = await createFixture({ counters: 2, settings: { branchLeaseShare: 0.5 } });
    await addOfficeNord(f);
    await enrollBranch(f.ctx, { officeId: 'test', actor: 'test' });
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    f.clock.set(at('10:02'));
  });
  afterAll(async () => f?.close());

  const unit = (hhmm: string) =>
    f.ctx.db
      .selectFrom('capacity_unit')
      .select(['load', 'leased', 'lease_load'])
      .where('office_id', '=', 'test')
      .where('starts_at', '=', new Date(at(hhmm)))
      .executeTakeFirstOrThrow();
  const starts = async () =>
    (await json(f.app.request('/api/v1/offices/test/walkin-slots?serviceId=short', { headers: bearer(clerk) }))).starts as string[];

  it('lists the starts later today with lease seats, and gives the first one', async () => {
    const before = await starts();
    expect(before[0]).toBe(new Date(at('10:05')).toISOString());
    const res = await postJson(f.app, '/api/v1/offices/test/walkin-slots', { serviceId: 'short' }, bearer(clerk));
    expect(res.status).toBe(201);
    const slot = await json(res);
    expect(slot).toMatchObject({
      startsAt: new Date(at('10:05')).toISOString(),
      endsAt: new Date(at('10:15')).toISOString(),
      withinLease: true,
    });
    expect(await unit('10:05')).toEqual({ load: 1, leased: 1, lease_load: 1 });
    expect(await unit('10:10')).toEqual({ load: 1, leased: 1, lease_load: 1 });
    expect((await starts())[0]).toBe(new Date(at('10:15')).toISOString());
    expect(
      await f.ctx.db.selectFrom('appointment').select(['status', 'source']).where('id', '=', slot.appointmentId).executeTakeFirst(),
    ).toEqual({ status: 'confirmed', source: 'counter' });
  });

  it('beyond the lease the slot is still given, flagged and without a seat', async () => {
    const res = await postJson(
      f.app,
      '/api/v1/offices/test/walkin-slots',
      { serviceId: 'short', startsAt: new Date(at('10:05')).toISOString() },
      bearer(clerk),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ withinLease: false });
    expect(await unit('10:05')).toEqual({ load: 1, leased: 1, lease_load: 1 });
    expect(await f.ctx.db.selectFrom('lease_booking').select('within_lease').orderBy('booked_at').execute()).toEqual([
      { within_lease: true },
      { within_lease: false },
    ]);
  });

  it('cancelled, a slot within the lease gives its lease seats back, one beyond it gives back nothing', async () => {
    const bookings = await f.ctx.db.selectFrom('lease_booking').select(['appointment_id', 'within_lease']).orderBy('booked_at').execute();
    const cancel = (appointmentId: string) =>
      executeCounterCommand(f.ctx, {
        type: 'appointment.cancel',
        officeId: 'test',
        payload: { appointmentId },
        actor: 'staff:test',
        at: new Date(f.clock.now()).toISOString(),
      });
    // Beyond the lease at 10:05: it holds no seat, so the unit keeps the lease slot's seat.
    await cancel(bookings[1]!.appointment_id);
    expect(await unit('10:05')).toEqual({ load: 1, leased: 1, lease_load: 1 });
    await cancel(bookings[0]!.appointment_id);
    expect(await unit('10:05')).toEqual({ load: 0, leased: 1, lease_load: 0 });
    expect(await unit('10:10')).toEqual({ load: 0, leased: 1, lease_load: 0 });
    expect((await starts())[0]).toBe(new Date(at('10:05')).toISOString());
    // Given again, for the tests below.
    await postJson(f.app, '/api/v1/offices/test/walkin-slots', { serviceId: 'short' }, bearer(clerk));
    await postJson(
      f.app,
      '/api/v1/offices/test/walkin-slots',
      { serviceId: 'short', startsAt: new Date(at('10:05')).toISOString() },
      bearer(clerk),
    );
  });

  it('refuses a start on another day in German, and other offices', async () => {
    const res = await postJson(
      f.app,
      '/api/v1/offices/test/walkin-slots',
      { serviceId: 'short', startsAt: '2026-11-26T10:00:00+01:00' },
      { ...bearer(clerk), 'accept-language': 'de' },
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', message: 'Die Angaben sind unvollständig oder ungültig.' },
    });
    expect((await postJson(f.app, '/api/v1/offices/nord/walkin-slots', { serviceId: 'short' }, bearer(clerk))).status).toBe(404);
    expect((await f.app.request('/api/v1/offices/nord/walkin-slots?serviceId=short', { headers: bearer(clerk) })).status).toBe(404);
    expect(await f.ctx.db.selectFrom('lease_booking').select('within_lease').execute()).toHaveLength(2);
  });

  it('the clerk’s page shows today’s free times and gives one, in German and English', async () => {
    await addStaff(f, { email: 'spontan@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-walkin-slot');
    await b.post('/staff/login', { email: 'spontan@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    const start = await b.page('/staff/spontantermin');
    expect(start.status).toBe(200);
    expect(start.html).toContain('Termin für Spontankunden');
    expect(start.html).toContain('href="/staff/spontantermin"');
    const times = await b.page('/staff/spontantermin?service=short&persons=1');
    expect(times.html).toContain('Freie Zeiten heute');
    const first = new Date(at('10:15'));
    expect(times.html).toContain(`value="${first.getTime()}"`);
    const given = await b.post('/staff/spontantermin', { service: 'short', persons: '1', start: String(first.getTime()) });
    expect(given.status).toBe(201);
    const slip = await given.text();
    expect(slip).toMatch(/Heute um 10:15 Uhr, Buchungsnummer [A-Z0-9]{3}-[A-Z0-9]{3}/);
    expect(await unit('10:15')).toEqual({ load: 1, leased: 1, lease_load: 1 });
    expect((await b.page('/staff/spontantermin?lang=en')).html).toContain('Slot for a walk-in');
    // Without the form's CSRF token nothing is given.
    expect((await b.post('/staff/spontantermin', { service: 'short', persons: '1' }, { csrf: false })).status).toBe(403);
    expect(await f.ctx.db.selectFrom('lease_booking').select('within_lease').execute()).toHaveLength(3);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(doc.paths['/offices/{officeId}/walkin-slots']).toMatchObject({ get: expect.any(Object), post: expect.any(Object) });
    expect(doc.components.schemas.WalkinSlot.properties).toHaveProperty('withinLease');
  });
});
