import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDayWithCallList } from '../helpers/closure-call-list.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Invariant 3 for people without email or SMS: they stand on the call list until a clerk reached
// them or left a voicemail; "not reached" keeps them there.

describe(`call list API (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: string;

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    await addOfficeNord(f);
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    await closeDayWithCallList(f, [
      { name: 'P0', phone: '0221 4710 100' },
      { name: 'P1', phone: '0151 2345 6789' },
      { name: 'P2', email: 'mail@example.org' },
    ]);
  });
  afterAll(async () => f?.close());

  const list = async (query = '') =>
    (await json(f.app.request(`/api/v1/offices/test/call-list${query}`, { headers: bearer(clerk) }))).entries;

  it('lists everyone without email or SMS with name, phone and the slot held for them', async () => {
    const entries = await list();
    expect(entries).toHaveLength(2); // no SMS gateway: the mobile number is phoned too
    expect(entries.map((e: { phone: string }) => e.phone).sort()).toEqual(['0151 2345 6789', '0221 4710 100']);
    expect(entries[0]).toMatchObject({ state: 'open', reason: 'no_channel', name: 'P0', held: { officeId: 'test', offerState: 'held' } });
    expect(entries[0].held.start).toMatch(/^2026-11-27T/);
    expect(await auditRows(f, 'call_list.read')).not.toHaveLength(0);
  });

  it('"not reached" keeps a person on the list; "reached" takes them off; nothing is deleted', async () => {
    const [first] = await list();
    const notReached = await postJson(f.app, `/api/v1/call-list/${first.id}`, { outcome: 'not_reached', note: 'besetzt' }, bearer(clerk));
    const body = await json(notReached);
    expect(body, JSON.stringify(body)).toEqual({ state: 'open', appointmentId: null });
    expect((await list()).find((e: { id: string }) => e.id === first.id)).toMatchObject({
      attempts: 1,
      lastOutcome: 'not_reached',
      note: 'besetzt',
    });

    expect(await json(postJson(f.app, `/api/v1/call-list/${first.id}`, { outcome: 'reached' }, bearer(clerk)))).toEqual({
      state: 'reached',
      appointmentId: null,
    });
    expect(await list()).toHaveLength(1);
    expect(await list('?all=true')).toHaveLength(2);
  });

  it("the clerk's page lists whom to call and records a voicemail with one form", async () => {
    await addStaff(f, { email: 'anruf@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-calls');
    await b.post('/staff/login', { email: 'anruf@stadt.example', password: STAFF_PASSWORD });
    const [entry] = await list();
    const page = await b.page('/staff/anrufliste');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Anrufliste');
    expect(page.html).toContain(entry.phone);
    expect(page.html).toContain(`action="/staff/anrufliste/${entry.id}"`);
    const res = await b.post(`/staff/anrufliste/${entry.id}`, { outcome: 'voicemail', note: 'AB besprochen' });
    expect(res.status).toBe(303);
    expect(await list()).toHaveLength(0);
    expect((await list('?all=true')).find((e: { id: string }) => e.id === entry.id)).toMatchObject({
      state: 'voicemail',
      note: 'AB besprochen',
    });
  });

  it("another office's clerk sees nothing and changes nothing; bad outcomes are refused", async () => {
    const nordClerk = await addToken(f, { role: 'clerk', officeIds: ['nord'] });
    expect((await f.app.request('/api/v1/offices/test/call-list', { headers: bearer(nordClerk) })).status).toBe(404);
    const [entry] = await list('?all=true');
    expect((await postJson(f.app, `/api/v1/call-list/${entry.id}`, { outcome: 'reached' }, bearer(nordClerk))).status).toBe(404);
    expect((await postJson(f.app, `/api/v1/call-list/${entry.id}`, { outcome: 'maybe' }, bearer(clerk))).status).toBe(422);
  });
});
