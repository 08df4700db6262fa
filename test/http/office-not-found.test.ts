import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #15, item 3: an admin may act for every office, so an office id that does not exist reached the
// database: documents, the import and payments failed on the foreign key (500), other routes
// answered 200 with nothing. Every operation of the OpenAPI document with {officeId} in its path
// is tried here with a request that would be valid for a real office.

const UUID = '00000000-0000-4000-8000-000000000000';
const T = '2026-11-26T09:00:00+01:00';
const closure = { from: T, to: '2026-11-26T10:00:00+01:00', reason: 'Störung' };

/** A request per operation, valid but for the office. A new route with {officeId} must be added here. */
const REQUESTS: Record<string, { query?: string; body?: unknown; csv?: string }> = {
  'GET /offices/{officeId}/display': {},
  'GET /staff/offices/{officeId}/day-plan': { query: 'date=2026-11-26' },
  'GET /staff/offices/{officeId}/day-plan.csv': { query: 'date=2026-11-26' },
  'GET /staff/offices/{officeId}/availability': { query: 'services=short' },
  'POST /staff/offices/{officeId}/appointments': {
    body: { start: T, services: [{ serviceId: 'short' }], citizen: { name: 'Otto', phone: '0201 555' } },
  },
  'GET /staff/offices/{officeId}/audit-log': {},
  'GET /staff/offices/{officeId}/queue': {},
  'GET /staff/offices/{officeId}/queue-settings': {},
  'PUT /staff/offices/{officeId}/queue-settings': {
    body: { walkinQuota: null, walkinMinutes: 10, checkinEarlyMinutes: 30, checkinLateMinutes: 10 },
  },
  'POST /staff/offices/{officeId}/counters/{counterNumber}/open': { body: {} },
  'POST /staff/offices/{officeId}/counters/{counterNumber}/close': { body: {} },
  'POST /staff/offices/{officeId}/counters/{counterNumber}/call-next': { body: {} },
  'POST /staff/offices/{officeId}/check-in': { body: { reference: 'K7M-4Q2' } },
  'POST /staff/offices/{officeId}/walk-ins': { body: { serviceId: 'short' } },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/call': { body: { counterNumber: 1 } },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/call-again': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/served': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/no-show': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/forward': { body: { toCounter: 2 } },
  'POST /staff/offices/{officeId}/appointments/{appointmentId}/cancel-at-counter': { body: {} },
  'POST /staff/offices/{officeId}/payments': { body: { amountCents: 3700, method: 'card' } },
  'GET /staff/offices/{officeId}/documents': {},
  'POST /staff/offices/{officeId}/documents': { body: { orderNumber: 'PA-2026-0001', kind: 'id_card', holderName: 'Anna Alt' } },
  'POST /staff/offices/{officeId}/documents/import': {
    csv: 'Vorgangsnummer;Dokument;Name;E-Mail;Telefon;Status\nPA-2026-0002;Personalausweis;Ben Ott;;;\n',
  },
  'POST /staff/offices/{officeId}/documents/{orderNumber}/ready': { body: {} },
  'POST /staff/offices/{officeId}/documents/{orderNumber}/return': { body: {} },
  'POST /staff/offices/{officeId}/documents/{orderNumber}/hand-out': { body: { recipient: 'holder' } },
  'GET /statistics/offices/{officeId}': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /statistics/offices/{officeId}/export.csv': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /statistics/offices/{officeId}/hours.csv': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /statistics/offices/{officeId}/breakdown': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /statistics/offices/{officeId}/comparison': { query: 'from=2026-11-01&to=2026-11-30' },
  'POST /offices/{officeId}/closures': { body: closure },
  'POST /offices/{officeId}/closures/preview': { body: closure },
  'GET /offices/{officeId}/call-list': {},
  'POST /offices/{officeId}/extra-capacity': { body: { from: '2026-11-28T09:00:00+01:00', to: '2026-11-28T13:00:00+01:00', counters: 1 } },
  'GET /offices/{officeId}/work-items': {},
  'POST /offices/{officeId}/work-items/{itemId}/resolve': { body: { note: 'erledigt' } },
  'GET /offices/{officeId}/walkin-slots': { query: 'serviceId=short' },
  'POST /offices/{officeId}/walkin-slots': { body: { serviceId: 'short' } },
};

const PATH_VALUES: Record<string, string> = {
  officeId: 'gibt-es-nicht',
  counterNumber: '1',
  ticketId: UUID,
  appointmentId: UUID,
  orderNumber: 'PA-2026-0001',
  itemId: '1',
};

describe(`an office id that does not exist (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Record<string, string>;
  let operations: string[];
  beforeAll(async () => {
    f = await createFixture();
    admin = bearer(await addToken(f, { role: 'admin', officeIds: [] }));
    const doc = (await json(f.app.request('/api/v1/openapi.json'))) as { paths: Record<string, Record<string, unknown>> };
    // The change feed belongs to a branch's own token; its office is the branch's (sync-routes.ts).
    operations = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{officeId}') && !path.startsWith('/sync/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
  });
  afterAll(async () => f?.close());

  it('every operation with an office in its path is in this table', () => {
    expect(operations.filter((op) => !(op in REQUESTS))).toEqual([]);
    expect(Object.keys(REQUESTS).filter((op) => !operations.includes(op))).toEqual([]);
  });

  it.each(Object.entries(REQUESTS))('%s: 404 office_not_found, and nothing is written', async (operation, request) => {
    const [method = '', template = ''] = operation.split(' ');
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name]!);
    const headers: Record<string, string> = { ...admin, 'accept-language': 'de' };
    let body: string | undefined;
    if (request.csv !== undefined) [headers['content-type'], body] = ['text/csv', request.csv];
    else if (request.body !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(request.body)];
    const res = await f.app.request(`/api/v1${path}${request.query ? `?${request.query}` : ''}`, { method, headers, body });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: { code: 'office_not_found', message: 'Diesen Standort gibt es nicht.', details: { officeId: 'gibt-es-nicht' } },
    });
    expect(await f.ctx.db.selectFrom('document_order').select('id').execute()).toEqual([]);
    expect(await f.ctx.db.selectFrom('counter_payment').select('id').execute()).toEqual([]);
  });

  it('an office filter that names no office is a 404 too, not an empty list', async () => {
    for (const path of ['/api/v1/notifications?officeId=gibt-es-nicht', '/api/v1/staff/appointments?query=Otto&officeId=gibt-es-nicht']) {
      const res = await f.app.request(path, { headers: admin });
      expect(res.status).toBe(404);
      expect((await json(res)).error.code).toBe('office_not_found');
    }
  });

  it('the same routes still serve an office that exists', async () => {
    expect((await f.app.request('/api/v1/staff/offices/test/documents', { headers: admin })).status).toBe(200);
    expect((await f.app.request('/api/v1/statistics/offices/test?from=2026-11-01&to=2026-11-30', { headers: admin })).status).toBe(200);
  });

  it('an admin choosing an office in the staff pages that does not exist gets the not-found page', async () => {
    const { totpSecret } = await addStaff(f, { email: 'it@stadt.example', role: 'admin', officeIds: [] });
    const b = new StaffBrowser(f, 'admin');
    await b.post('/staff/login', { email: 'it@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    const res = await b.post('/staff/standort', { office: 'gibt-es-nicht' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});
