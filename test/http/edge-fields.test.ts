import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { postForm } from '../helpers/pages.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Dates, times and offsets that match the old patterns but do not exist (#15, item 2). Before the
// shared edge schemas each of them reached Temporal inside a use case and came back as a 500.

const DATES = ['2026-02-30', '2026-13-01', '0000-00-00', '9999-99-99', '1999-12-31'];
const INSTANTS = [
  '2026-02-30T09:00:00+01:00',
  '2026-11-26T25:00:00+01:00',
  '2026-11-26T10:61:00+01:00',
  '2026-11-26T09:00:00+25:00',
  '2026-11-26T09:00:60+01:00',
  '0000-00-00T00:00:00Z',
  '9999-99-99T99:99:99Z',
];
const WALL_TIMES = ['25:00', '10:61', '24:01', '99:99'];

const NO_APPOINTMENT = '00000000-0000-4000-8000-000000000000';
const NO_TOKEN = 'A'.repeat(43);
const citizen = { name: 'Erika Mustermann', email: 'erika@example.org' };

type Case = {
  route: string;
  field: string;
  send: (f: Fixture, value: string, auth: Record<string, string>) => Response | Promise<Response>;
};
const get = (path: (v: string) => string) => (f: Fixture, v: string, auth: Record<string, string>) =>
  f.app.request(path(encodeURIComponent(v)), { headers: auth });
const post = (path: string, body: (v: string) => unknown) => (f: Fixture, v: string, auth: Record<string, string>) =>
  postJson(f.app, path, body(v), auth);

const dateCases: Case[] = [
  { route: 'GET /availability from', field: 'from', send: get((v) => `/api/v1/availability?services=short&from=${v}`) },
  { route: 'GET /availability to', field: 'to', send: get((v) => `/api/v1/availability?services=short&to=${v}`) },
  { route: 'GET staff availability', field: 'from', send: get((v) => `/api/v1/staff/offices/test/availability?services=short&from=${v}`) },
  { route: 'GET day plan', field: 'date', send: get((v) => `/api/v1/staff/offices/test/day-plan?date=${v}`) },
  { route: 'GET day plan CSV', field: 'date', send: get((v) => `/api/v1/staff/offices/test/day-plan.csv?date=${v}`) },
  { route: 'GET statistics from', field: 'from', send: get((v) => `/api/v1/statistics/offices/test?from=${v}&to=2026-11-30`) },
  { route: 'GET statistics CSV to', field: 'to', send: get((v) => `/api/v1/statistics/offices/test/export.csv?from=2026-11-01&to=${v}`) },
  { route: 'GET notifications', field: 'date', send: get((v) => `/api/v1/notifications?date=${v}`) },
  {
    route: 'POST waiting list',
    field: 'earliestDate',
    send: post('/api/v1/waiting-list', (v) => ({
      services: [{ serviceId: 'short' }],
      officeIds: ['test'],
      earliestDate: v,
      latestDate: '2026-12-10',
      citizen,
    })),
  },
];
const instantCases: Case[] = [
  {
    route: 'POST /appointments',
    field: 'start',
    send: post('/api/v1/appointments', (v) => ({ officeId: 'test', start: v, services: [{ serviceId: 'short' }], citizen })),
  },
  { route: 'POST reschedule (citizen)', field: 'start', send: post(`/api/v1/appointments/${NO_TOKEN}/reschedule`, (v) => ({ start: v })) },
  {
    route: 'POST reschedule (staff)',
    field: 'start',
    send: post(`/api/v1/staff/appointments/${NO_APPOINTMENT}/reschedule`, (v) => ({ start: v })),
  },
  {
    route: 'POST phone booking',
    field: 'start',
    send: post('/api/v1/staff/offices/test/appointments', (v) => ({ start: v, services: [{ serviceId: 'short' }], citizen })),
  },
  {
    route: 'POST closure from',
    field: 'from',
    send: post('/api/v1/offices/test/closures', (v) => ({ from: v, to: '2026-11-26T12:00:00+01:00', reason: 'Störung' })),
  },
  {
    route: 'POST closure preview to',
    field: 'to',
    send: post('/api/v1/offices/test/closures/preview', (v) => ({ from: '2026-11-26T08:00:00+01:00', to: v, reason: 'Störung' })),
  },
  {
    route: 'POST extra capacity',
    field: 'from',
    send: post('/api/v1/offices/test/extra-capacity', (v) => ({ from: v, to: '2026-11-28T12:00:00+01:00', counters: 1 })),
  },
  {
    route: 'POST walk-in slot',
    field: 'startsAt',
    send: post('/api/v1/offices/test/walkin-slots', (v) => ({ serviceId: 'short', startsAt: v })),
  },
];
const wallTimeCases: Case[] = [
  {
    route: 'POST waiting list fromTime',
    field: 'fromTime',
    send: post('/api/v1/waiting-list', (v) => ({
      services: [{ serviceId: 'short' }],
      officeIds: ['test'],
      earliestDate: '2026-11-30',
      latestDate: '2026-12-10',
      fromTime: v,
      citizen,
    })),
  },
  {
    route: 'POST waiting list toTime',
    field: 'toTime',
    send: post('/api/v1/waiting-list', (v) => ({
      services: [{ serviceId: 'short' }],
      officeIds: ['test'],
      earliestDate: '2026-11-30',
      latestDate: '2026-12-10',
      toTime: v,
      citizen,
    })),
  },
];
const table = [
  ...dateCases.flatMap((c) => DATES.map((v) => [c.route, v, c] as const)),
  ...instantCases.flatMap((c) => INSTANTS.map((v) => [c.route, v, c] as const)),
  ...wallTimeCases.flatMap((c) => WALL_TIMES.map((v) => [c.route, v, c] as const)),
];

/** A team lead or admin logged in with the second factor, working at office `test`. */
async function login(f: Fixture, email: string, role: 'teamlead' | 'admin') {
  const { totpSecret } = await addStaff(f, { email, role, officeIds: role === 'admin' ? [] : ['test'] });
  const b = new StaffBrowser(f, email);
  await b.post('/staff/login', { email, password: STAFF_PASSWORD });
  await b.page('/staff/code');
  await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
  await b.page('/staff/standort');
  await b.post('/staff/standort', { office: 'test' });
  return b;
}

describe(`dates and times that do not exist (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Record<string, string>;
  beforeAll(async () => {
    f = await createFixture();
    admin = bearer(await addToken(f, { role: 'admin', officeIds: [] }));
  });
  afterAll(async () => f?.close());

  it.each(table)('%s with %s: 422 naming the field', async (_route, value, c) => {
    const res = await c.send(f, value, admin);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.fields.map((x: { path: string }) => x.path)).toContain(c.field);
  });

  it('the same routes still take real dates and times (the schemas are not simply stricter regexes)', async () => {
    expect((await f.app.request('/api/v1/availability?services=short&from=2028-02-29&to=2028-02-29')).status).toBe(200);
    expect((await f.app.request('/api/v1/staff/offices/test/day-plan?date=2026-11-26', { headers: admin })).status).toBe(200);
    expect(
      (
        await postJson(
          f.app,
          '/api/v1/offices/test/closures/preview',
          { from: '2026-11-26T08:00:00.000Z', to: '2026-11-26T10:00:00+01:00', reason: 'x' },
          admin,
        )
      ).status,
    ).toBe(200);
    expect(
      // From 7 December: not yet released for online booking, so nothing suitable is free and
      // joining is allowed (#22 item 5).
      (
        await postJson(f.app, '/api/v1/waiting-list', {
          services: [{ serviceId: 'short' }],
          officeIds: ['test'],
          earliestDate: '2026-12-07',
          latestDate: '2026-12-10',
          fromTime: '08:00',
          toTime: '24:00',
          citizen,
        })
      ).status,
    ).toBe(201);
  });

  describe('pages answer with their error page, never a 500', () => {
    let lead: StaffBrowser;
    let appointmentId: string;
    beforeAll(async () => {
      lead = await login(f, 'leitung@stadt.example', 'teamlead');
      const booked = await json(
        postJson(
          f.app,
          '/api/v1/staff/offices/test/appointments',
          { start: '2026-11-27T09:00:00+01:00', services: [{ serviceId: 'short' }], citizen: { name: 'Otto Anrufer', phone: '0201 555' } },
          admin,
        ),
      );
      appointmentId = booked.appointment.id;
    });

    const staffPages = [
      '/staff/tagesplan?datum=',
      '/staff/tagesplan.csv?datum=',
      '/staff/statistics?bis=2026-11-30&von=',
      '/staff/statistics.csv?bis=2026-11-30&von=',
      '/staff/nachrichten?datum=',
    ];
    it.each(staffPages.flatMap((p) => DATES.map((d) => [p, d] as const)))('%s%s', async (path, date) => {
      const res = await lead.get(`${path}${date}`);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toMatch(/gültig/);
    });

    it.each(INSTANTS)('phone booking and moving in the staff pages with %s', async (start) => {
      await lead.page('/staff/telefon?service=short');
      const booked = await lead.post('/staff/telefon', { service: 'short', persons: '1', name: 'Otto Anrufer', phone: '0201 555', start });
      expect(booked.status).toBe(422);
      expect(await booked.text()).toContain('Bitte wählen Sie eine Zeit.');

      await lead.page(`/staff/termine/${appointmentId}`);
      const moved = await lead.post(`/staff/termine/${appointmentId}/verschieben`, { start });
      expect(moved.status).toBeGreaterThanOrEqual(400);
      expect(moved.status).toBeLessThan(500);
      expect(await moved.text()).toContain('Die Angaben sind unvollständig oder ungültig.');
    });

    it.each(DATES)('joining the waiting list in the citizen pages with %s shows the form with the date marked', async (date) => {
      const res = await postForm(f.app, '/warteliste/eintragen', {
        services: 'short',
        standort: 'test',
        von: date,
        bis: '2026-12-10',
        tag: '1',
        name: 'Erika',
        email: 'erika@example.org',
        terms: 'ja',
      });
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(/href="#von"/);
    });
  });
});
