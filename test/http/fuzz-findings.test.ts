import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addCounters } from '../helpers/counter.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// What test/http/fuzz.test.ts found once the hardening issue's own items were fixed, each pinned down
// here so that it stays fixed whatever seed the fuzzer runs with. Every one was a 500 before.
describe(`inputs the fuzzer found, on ${testDbKind}`, () => {
  let f: Fixture;
  let token: string;
  let staff: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    token = await addToken(f, { role: 'admin', officeIds: ['test'] });
    const admin = await addStaff(f, { email: 'admin@stadt.example', role: 'admin', officeIds: ['test'] });
    staff = new StaffBrowser(f, 'findings');
    await staff.post('/staff/login', { email: admin.email, password: STAFF_PASSWORD });
    await staff.page('/staff/code');
    await staff.post('/staff/code', { code: totpCodeAt(admin.totpSecret!, f.clock.now()) });
    await staff.page('/staff/standort');
    await staff.post('/staff/standort', { office: 'test' });
  });
  afterAll(async () => f?.close());

  it('a NUL character in a query or a body is refused with 400 before it reaches the database', async () => {
    const query = await f.app.request('/api/v1/staff/offices/test/day-plan?date=2026-11-26&query=%00', { headers: bearer(token) });
    expect(query.status).toBe(400);
    expect((await json(query)).error.code).toBe('invalid_characters');
    const body = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: '2026-11-26T09:00:00+01:00',
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'A\u0000B', email: 'a@example.de' },
    });
    expect(body.status).toBe(400);
    const page = await staff.get('/staff/suche?q=%00');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('unzulässiges Steuerzeichen');
  });

  it('a search for no persons (services=short:0) is a 422 naming the field, on every channel', async () => {
    for (const res of [
      await f.app.request('/api/v1/staff/offices/test/availability?services=short:0&from=2026-12-03&to=2026-12-03', {
        headers: bearer(token),
      }),
      await f.app.request('/api/v1/availability?services=short:0&office=test&from=2026-12-03&to=2026-12-03'),
    ]) {
      expect(res.status).toBe(422);
      expect((await json(res)).error.details.fields[0].path).toBe('persons');
    }
  });

  it('a CSV download for a service id with characters a header cannot carry still downloads', async () => {
    const res = await staff.get('/staff/statistics.csv?dienstleistung=x%F0%9F%99%82');
    expect(res.status).toBeLessThan(500);
  });

  it('a counter page that is not a number is not found, and a form value no command can take is a 422 page', async () => {
    expect((await staff.post('/staff/schalter/abc/oeffnen', {})).status).toBe(404);
    await staff.page('/staff/schalter/1');
    expect((await staff.post('/staff/schalter/1/oeffnen', {})).status).toBe(303);
    const res = await staff.post('/staff/schalter/1/erledigt', { ticket: 'kein-ticket' });
    expect(res.status).toBe(422);
  });

  it('a walk-in slot for 1.5 persons is refused with the form, not with a database error', async () => {
    await staff.page('/staff/spontantermin');
    const res = await staff.post('/staff/spontantermin', { service: 'short', persons: '1.5' });
    expect(res.status).toBe(422);
  });
});
