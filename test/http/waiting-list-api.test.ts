import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { cancelAppointment } from '../../src/app/appointments/manage-appointment.ts';
import { sweepWaitingList } from '../../src/app/waiting-list/sweep-waiting-list.ts';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';

// POST /api/v1/waiting-list, GET/DELETE /api/v1/waiting-list/{token}, POST …/accept (issue #5).

const THURSDAY = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00+01:00`);
let f: Fixture;
const manage: string[] = [];

const join = (email: string, extra: Record<string, unknown> = {}) => ({
  services: [{ serviceId: 'short' }],
  officeIds: ['test'],
  earliestDate: '2026-11-26',
  latestDate: '2026-11-26',
  weekdays: [4],
  fromTime: '08:00',
  toTime: '09:00',
  citizen: { name: 'Erika Mustermann', email },
  ...extra,
});

beforeAll(async () => {
  f = await createFixture({ settings: { confirmation: 'none' } });
  for (let i = 0; i < 6; i++) {
    const r = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: THURSDAY('08:00') + i * 600_000,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: `B${i}`, email: `b${i}@example.org` },
      language: 'de',
    });
    manage.push(r.manageToken);
  }
});
afterAll(async () => f?.close());

describe('waiting list API', () => {
  let token: string;

  it('POST joins (201) with the place in line; GET shows the entry', async () => {
    const res = await postJson(f.app, '/api/v1/waiting-list', join('erika@example.org'));
    expect(res.status).toBe(201);
    const body = await json(res);
    token = body.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.entry).toMatchObject({
      state: 'waiting',
      positions: [{ serviceId: 'short', position: 1 }],
      services: [{ serviceId: 'short', persons: 1 }],
      weekdays: [4],
      offer: null,
      language: 'de',
    });
    const got = await json(f.app.request(`/api/v1/waiting-list/${token}`));
    expect(got.entry.state).toBe('waiting');
    f.clock.advance(60_000);
    const second = await json(postJson(f.app, '/api/v1/waiting-list', join('max@example.org')));
    expect(second.entry.positions).toEqual([{ serviceId: 'short', position: 2 }]);
  });

  it('bad input: 422 with every field in the caller language, 409 when already waiting, 404 for an unknown token', async () => {
    const bad = await postJson(
      f.app,
      '/api/v1/waiting-list',
      join('x@example.org', { earliestDate: '2026-12-10', latestDate: '2026-12-01', fromTime: '10:00', toTime: '09:00' }),
      { 'accept-language': 'en' },
    );
    expect(bad.status).toBe(422);
    const body = await json(bad);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toBe('Some of the information is missing or invalid.');
    expect(body.error.details.fields.map((p: { path: string }) => p.path).sort()).toEqual(['latestDate', 'toTime']);
    expect((await postJson(f.app, '/api/v1/waiting-list', join('x@example.org', { officeIds: [] }))).status).toBe(422);
    expect((await postJson(f.app, '/api/v1/waiting-list', join('x@example.org', { weekdays: [8] }))).status).toBe(422);
    expect((await postJson(f.app, '/api/v1/waiting-list', { ...join('x@example.org'), citizen: { name: 'X' } })).status).toBe(422);
    const twice = await postJson(f.app, '/api/v1/waiting-list', join('erika@example.org'));
    expect(twice.status).toBe(409);
    expect((await json(twice)).error.code).toBe('already_exists');
    expect((await f.app.request(`/api/v1/waiting-list/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await f.app.request('/api/v1/waiting-list/short')).status).toBe(422);
  });

  it('a freed slot is held for the first in line; accept books it (one POST), DELETE afterwards is refused', async () => {
    await cancelAppointment(f.ctx, manage[0]!);
    await sweepWaitingList(f.ctx);
    const offered = await json(f.app.request(`/api/v1/waiting-list/${token}`));
    expect(offered.entry.state).toBe('offered');
    expect(offered.entry.offer).toMatchObject({
      officeId: 'test',
      start: '2026-11-26T08:00:00+01:00',
      end: '2026-11-26T08:10:00+01:00',
      expiresAt: '2026-11-25T10:01:00+01:00',
    });
    const accepted = await postJson(f.app, `/api/v1/waiting-list/${token}/accept`, {});
    expect(accepted.status).toBe(200);
    const body = await json(accepted);
    expect(body.entry.state).toBe('booked');
    const appointment = await json(f.app.request(`/api/v1/appointments/${body.manageToken}`));
    expect(appointment.appointment).toMatchObject({
      status: 'confirmed',
      start: '2026-11-26T08:00:00+01:00',
      citizen: { email: 'erika@example.org' },
    });
    expect(await loadOf(f, '2026-11-26T07:00:00Z')).toBe(1);
    const del = await f.app.request(`/api/v1/waiting-list/${token}`, { method: 'DELETE' });
    expect(del.status).toBe(409);
  });

  it('DELETE leaves the list; without a held offer there is nothing to accept (409)', async () => {
    f.clock.advance(60_000);
    const third = await json(postJson(f.app, '/api/v1/waiting-list', join('third@example.org')));
    expect(third.entry.positions).toEqual([{ serviceId: 'short', position: 2 }]);
    const accepted = await postJson(f.app, `/api/v1/waiting-list/${third.token}/accept`, {});
    expect(accepted.status).toBe(409);
    const left = await f.app.request(`/api/v1/waiting-list/${third.token}`, { method: 'DELETE' });
    expect(left.status).toBe(200);
    expect((await json(left)).entry).toMatchObject({ state: 'left', positions: null });
  });

  it('the OpenAPI document describes the four operations', async () => {
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(Object.keys(doc.paths['/waiting-list'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/waiting-list/{token}']).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(doc.paths['/waiting-list/{token}/accept'])).toEqual(['post']);
    expect(doc.components.schemas.WaitingListEntry.properties.positions).toBeDefined();
    expect(doc.components.schemas.WaitingListJoinRequest.required).toContain('officeIds');
  });
});
