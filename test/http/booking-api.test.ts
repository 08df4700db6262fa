import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireReservations } from '../../src/app/appointments/expire-reservations.ts';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Thursday 26 Nov 2026, office-local 08:00 = 07:00Z.
const THU_0800 = '2026-11-26T08:00:00+01:00';
const THU_0810 = '2026-11-26T08:10:00+01:00';
const citizen = { name: 'Erika Mustermann', email: 'erika@example.org' };

async function book(f: Fixture, start: string, overrides: Record<string, unknown> = {}) {
  return postJson(f.app, '/api/v1/appointments', {
    officeId: 'test',
    start,
    services: [{ serviceId: 'short', persons: 1 }],
    citizen,
    language: 'de',
    ...overrides,
  });
}

async function appointmentCount(f: Fixture) {
  const row = await f.database.db
    .selectFrom('appointment')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function codeFromOutbox(text: string): string {
  const match = /code=(\d{6})/.exec(text);
  if (!match) throw new Error(`no confirmation code in mail:\n${text}`);
  return match[1]!;
}

describe(`public booking API on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
  });
  afterAll(async () => f.close());

  it('reports health and the database in use', async () => {
    const res = await f.app.request('/healthz');
    expect(await json(res)).toEqual({ status: 'ok', db: testDbKind });
  });

  it('lists offices and services in the contract shape, names in the request language', async () => {
    const offices = await json(f.app.request('/api/v1/offices'));
    expect(offices).toEqual({
      offices: [{ id: 'test', name: 'Testamt', address: 'Teststraße 1, 12345 Teststadt', timeZone: 'Europe/Berlin' }],
    });
    const services = await json(f.app.request('/api/v1/services', { headers: { 'accept-language': 'en-GB,en;q=0.9' } }));
    expect(services.services[1]).toMatchObject({ id: 'long', name: 'Long', durationMinutes: 20, feeCents: 3700, onlineBookable: true });
  });

  it('offers the earliest starts with the office offset, sized for all services and persons', async () => {
    const res = await f.app.request('/api/v1/availability?services=short:2,long&office=test&from=2026-11-26&to=2026-11-26&limit=3');
    expect(res.status).toBe(200);
    const { slots } = await json(res);
    expect(slots).toEqual([
      { officeId: 'test', start: '2026-11-26T08:00:00+01:00', end: '2026-11-26T08:40:00+01:00' },
      { officeId: 'test', start: '2026-11-26T08:05:00+01:00', end: '2026-11-26T08:45:00+01:00' },
      { officeId: 'test', start: '2026-11-26T08:10:00+01:00', end: '2026-11-26T08:50:00+01:00' },
    ]);
  });

  it('books, confirms with the mailed code, and the next search no longer offers the time', async () => {
    const res = await book(f, THU_0800);
    expect(res.status).toBe(201);
    const { appointment, manageToken } = await json(res);
    expect(appointment).toMatchObject({
      reference: expect.stringMatching(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/),
      status: 'reserved',
      officeId: 'test',
      start: THU_0800,
      end: '2026-11-26T08:10:00+01:00',
      services: [{ serviceId: 'short', persons: 1 }],
    });
    expect(manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await f.database.db
      .selectFrom('appointment')
      .select('manage_token_hash')
      .where('id', '=', appointment.id)
      .executeTakeFirstOrThrow();
    expect(stored.manage_token_hash).not.toContain(manageToken);

    const mail = await f.database.db.selectFrom('outbox').selectAll().where('recipient', '=', citizen.email).executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(appointment.reference);
    expect(mail.body_text).toContain(`http://schalter.test/termin/${manageToken}`);

    const wrong = await postJson(f.app, `/api/v1/appointments/${manageToken}/confirm`, { code: '000000x' });
    expect(wrong.status).toBe(422);
    const confirmed = await postJson(f.app, `/api/v1/appointments/${manageToken}/confirm`, { code: codeFromOutbox(mail.body_text) });
    expect(confirmed.status).toBe(200);
    expect((await json(confirmed)).appointment.status).toBe('confirmed');

    const { slots } = await json(f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-26&limit=1'));
    expect(slots[0].start).toBe(THU_0810);
    const again = await book(f, THU_0800);
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('slot_unavailable');
  });

  it('cancels by manage token and gives the seats back', async () => {
    const { manageToken } = await json(book(f, '2026-11-26T09:00:00+01:00'));
    expect(await loadOf(f, '2026-11-26T09:00:00+01:00')).toBe(1);
    const res = await postJson(f.app, `/api/v1/appointments/${manageToken}/cancel`, {});
    expect((await json(res)).appointment.status).toBe('cancelled');
    expect(await loadOf(f, '2026-11-26T09:00:00+01:00')).toBe(0);
    expect(await loadOf(f, '2026-11-26T09:05:00+01:00')).toBe(0);
    const view = await json(f.app.request(`/api/v1/appointments/${manageToken}`));
    expect(view.appointment.status).toBe('cancelled');
  });

  it('moves an appointment atomically and keeps the old time when the new one is taken', async () => {
    const { manageToken } = await json(book(f, '2026-11-26T10:00:00+01:00'));
    await book(f, '2026-11-26T11:00:00+01:00', { citizen: { name: 'Other', phone: '+49 2305 1234' } });
    const blocked = await postJson(f.app, `/api/v1/appointments/${manageToken}/reschedule`, { start: '2026-11-26T11:00:00+01:00' });
    expect(blocked.status).toBe(409);
    expect(await loadOf(f, '2026-11-26T10:00:00+01:00')).toBe(1);
    const view = await json(f.app.request(`/api/v1/appointments/${manageToken}`));
    expect(view.appointment.start).toBe('2026-11-26T10:00:00+01:00');

    const moved = await postJson(f.app, `/api/v1/appointments/${manageToken}/reschedule`, {
      start: '2026-11-26T10:05:00+01:00',
      officeId: 'test',
    });
    expect(moved.status).toBe(200);
    expect((await json(moved)).appointment).toMatchObject({ start: '2026-11-26T10:05:00+01:00', end: '2026-11-26T10:15:00+01:00' });
    expect(await loadOf(f, '2026-11-26T10:00:00+01:00')).toBe(0);
    expect(await loadOf(f, '2026-11-26T10:10:00+01:00')).toBe(1);
  });

  it('lets an unconfirmed reservation lapse after 30 minutes and frees its seats', async () => {
    const start = '2026-11-27T08:00:00+01:00';
    const { manageToken, appointment } = await json(book(f, start));
    const status = async () => (await json(f.app.request(`/api/v1/appointments/${manageToken}`))).appointment.status;
    f.clock.advance(29 * 60_000);
    await expireReservations(f.ctx);
    expect(await status()).toBe('reserved');
    expect(await loadOf(f, start)).toBe(1);
    f.clock.advance(2 * 60_000);
    await expireReservations(f.ctx);
    expect(await status()).toBe('expired');
    expect(await loadOf(f, start)).toBe(0);
    const mail = await f.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('body_text', 'like', `%${appointment.reference}%`)
      .executeTakeFirstOrThrow();
    const late = await postJson(f.app, `/api/v1/appointments/${manageToken}/confirm`, { code: codeFromOutbox(mail.body_text) });
    expect(late.status).toBe(409);
    expect((await json(late)).error.code).toBe('reservation_expired');
  });

  it('an unknown manage token is a 404 with a message', async () => {
    const res = await f.app.request(`/api/v1/appointments/${'A'.repeat(43)}`);
    expect(res.status).toBe(404);
    expect((await json(res)).error).toMatchObject({ code: 'not_found', message: 'Nicht gefunden.' });
    expect((await f.app.request('/api/v1/appointments/short')).status).toBe(404);
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    const cases: { name: string; body: unknown; status: number; code: string }[] = [
      { name: 'malformed JSON', body: '{"officeId": "test",', status: 400, code: 'malformed_request' },
      {
        name: 'unknown service',
        body: { officeId: 'test', start: THU_0810, services: [{ serviceId: 'nope', persons: 1 }], citizen },
        status: 422,
        code: 'unknown_service',
      },
      {
        name: 'past start',
        body: { officeId: 'test', start: '2026-11-24T08:00:00+01:00', services: [{ serviceId: 'short' }], citizen },
        status: 422,
        code: 'start_in_past',
      },
      {
        name: '10,000 persons',
        body: { officeId: 'test', start: THU_0810, services: [{ serviceId: 'short', persons: 10000 }], citizen },
        status: 422,
        code: 'validation_failed',
      },
      {
        name: 'invalid email',
        body: { officeId: 'test', start: THU_0810, services: [{ serviceId: 'short' }], citizen: { name: 'X', email: 'not-an-email' } },
        status: 422,
        code: 'validation_failed',
      },
      {
        name: 'start not on the grid',
        body: { officeId: 'test', start: '2026-11-26T08:12:00+01:00', services: [{ serviceId: 'short' }], citizen },
        status: 422,
        code: 'start_not_on_grid',
      },
      {
        name: 'no contact',
        body: { officeId: 'test', start: THU_0810, services: [{ serviceId: 'short' }], citizen: { name: 'X' } },
        status: 422,
        code: 'contact_required',
      },
      {
        name: 'unknown office',
        body: { officeId: 'mars', start: THU_0810, services: [{ serviceId: 'short' }], citizen },
        status: 422,
        code: 'unknown_office',
      },
      {
        name: 'service not bookable online',
        body: { officeId: 'test', start: THU_0810, services: [{ serviceId: 'counter-only' }], citizen },
        status: 422,
        code: 'service_not_bookable_online',
      },
      {
        name: 'start without offset',
        body: { officeId: 'test', start: '2026-11-26T08:10:00', services: [{ serviceId: 'short' }], citizen },
        status: 422,
        code: 'validation_failed',
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const before = await appointmentCount(f);
        const res = await postJson(f.app, '/api/v1/appointments', c.body);
        expect(res.status).toBe(c.status);
        const body = await json(res);
        expect(body.error.code).toBe(c.code);
        expect(body.error.message.length).toBeGreaterThan(5);
        expect(await appointmentCount(f)).toBe(before);
      });
    }

    it('answers in English when asked', async () => {
      const res = await postJson(f.app, '/api/v1/appointments', { officeId: 'test' }, { 'accept-language': 'en' });
      const body = await json(res);
      expect(body.error.message).toBe('Some of the information is missing or invalid.');
      expect(body.error.details.fields.map((x: { path: string }) => x.path)).toEqual(
        expect.arrayContaining(['start', 'services', 'citizen']),
      );
    });

    it('a booking sent as a form, or as text without a content type, is a 415 in the error envelope', async () => {
      const before = await appointmentCount(f);
      const form = await f.app.request('/api/v1/appointments', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'officeId=test',
      });
      expect(form.status).toBe(415);
      expect(await json(form)).toEqual({ error: { code: 'unsupported_media_type', message: expect.stringContaining('application/json') } });
      const bare = await f.app.request('/api/v1/appointments/' + 'A'.repeat(43) + '/confirm', {
        method: 'POST',
        body: '{"code":"123456"}',
        headers: { 'accept-language': 'en' },
      });
      expect(bare.status).toBe(415);
      expect((await json(bare)).error).toMatchObject({
        code: 'unsupported_media_type',
        message: expect.stringContaining('not in the expected format'),
      });
      expect(await appointmentCount(f)).toBe(before);
    });

    it('rejects a bad availability query', async () => {
      const res = await f.app.request('/api/v1/availability?services=short:99999');
      expect(res.status).toBe(422);
      expect((await json(res)).error.code).toBe('too_many_persons');
      expect((await f.app.request('/api/v1/availability?services=')).status).toBe(422);
    });
  });

  it('publishes an OpenAPI 3.1 document with every public path', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/offices',
        '/services',
        '/availability',
        '/appointments',
        '/appointments/{manageToken}',
        '/appointments/{manageToken}/confirm',
        '/appointments/{manageToken}/cancel',
        '/appointments/{manageToken}/reschedule',
      ]),
    );
  });
});
