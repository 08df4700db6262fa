import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { PERSONAL_DATA_ROUTES } from '../../src/http/personal-data-routes.ts';
import { json, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createThreeTownFixture, OFFICE_A, OFFICE_B, TOWN_A, TOWN_B } from '../helpers/staff-towns.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #20, "staff and data stay inside their town": a clerk, a team lead and the admin of Castrop-Rauxel
// (town A) try every operation of the OpenAPI document and every staff page on Datteln's (town B)
// office and records; each is refused (403 or 404) and nothing in the database changes. A Kreis
// admin without the personal-data grant is refused every route marked as carrying personal data.
// A new route makes the tables below incomplete and this test fail until it is classified.

const UUID = '00000000-0000-4000-8000-000000000000';
const T = '2026-11-26T09:00:00+01:00';
const SERVICE_B = 'datteln-personalausweis';
const closure = { from: T, to: '2026-11-26T10:00:00+01:00', reason: 'Störung' };

/** A request per API operation that names town B (in the path or the query), valid but for the town. */
const API: Record<string, { query?: string; body?: unknown; csv?: string }> = {
  'GET /staff/offices/{officeId}/day-plan': { query: 'date=2026-11-26' },
  'GET /staff/offices/{officeId}/day-plan.csv': { query: 'date=2026-11-26' },
  'GET /staff/offices/{officeId}/availability': { query: `services=${SERVICE_B}` },
  'POST /staff/offices/{officeId}/appointments': {
    body: { start: T, services: [{ serviceId: SERVICE_B }], citizen: { name: 'Otto', phone: '0201 555' } },
  },
  'GET /staff/appointments': { query: `query=Bührmann&officeId=${OFFICE_B}` },
  'GET /staff/appointments/{id}': {},
  'POST /staff/appointments/{id}/cancel': { body: { reason: 'office' } },
  'POST /staff/appointments/{id}/reschedule': { body: { start: '2026-11-27T09:00:00+01:00' } },
  'PATCH /staff/appointments/{id}': { body: { staffNote: 'fremd', citizen: { name: 'Otto', phone: '0201 555' } } },
  'POST /staff/appointments/{id}/resend-confirmation': { body: {} },
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
  'POST /staff/offices/{officeId}/walk-ins': { body: { serviceId: SERVICE_B } },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/call': { body: { counterNumber: 1 } },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/call-again': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/served': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/no-show': { body: {} },
  'POST /staff/offices/{officeId}/tickets/{ticketId}/forward': { body: { toCounter: 2 } },
  'POST /staff/offices/{officeId}/appointments/{appointmentId}/cancel-at-counter': { body: {} },
  'POST /staff/offices/{officeId}/payments': { body: { amountCents: 3700, method: 'card' } },
  'GET /staff/offices/{officeId}/documents': {},
  'POST /staff/offices/{officeId}/documents': { body: { orderNumber: 'PA-2026-0009', kind: 'id_card', holderName: 'Anna Alt' } },
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
  // Names no town but holds them all (#20): staff of one town are refused it (403), not shown a part.
  'GET /statistics/kreis': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /statistics/kreis/export.csv': { query: 'from=2026-11-01&to=2026-11-30' },
  'GET /sync/offices/{officeId}/changes': {},
  'POST /offices/{officeId}/closures': { body: closure },
  'POST /offices/{officeId}/closures/preview': { body: closure },
  'GET /closures/{id}': {},
  'GET /offices/{officeId}/call-list': {},
  'GET /notifications': { query: `officeId=${OFFICE_B}` },
  'POST /notifications/{id}/retry': { body: {} },
  'POST /offices/{officeId}/extra-capacity': { body: { from: '2026-11-28T09:00:00+01:00', to: '2026-11-28T13:00:00+01:00', counters: 1 } },
  'GET /offices/{officeId}/work-items': {},
  'POST /offices/{officeId}/work-items/{itemId}/resolve': { body: { note: 'erledigt' } },
  'GET /offices/{officeId}/walkin-slots': { query: `serviceId=${SERVICE_B}` },
  'POST /offices/{officeId}/walkin-slots': { body: { serviceId: SERVICE_B } },
  'GET /admin/setup': { query: `municipality=${TOWN_B}` },
  'PUT /admin/setup': { query: `municipality=${TOWN_B}`, body: {} },
  'POST /admin/setup/preview': { query: `municipality=${TOWN_B}`, body: {} },
};

/** Operations that name no town: what they answer must not contain town B's offices or citizens. */
const API_WITHOUT_TOWN: Record<string, string> = {
  'GET /staff/me': 'the caller itself',
  'GET /staff/offices': 'the offices the caller works for',
  'GET /statistics/lead-times': 'lead times of the offices the caller works for',
  'POST /call-list/{id}': 'an entry by its number: town B has none to guess here; scoped like the list (call-list.ts)',
  'POST /notifications/bounces': 'addresses reported by the mail relay, matched within the caller’s offices',
  'POST /sync/branches/{branchId}/journal': 'a branch node’s own token only (not staff)',
};

describe(`staff of one town are refused another town's offices and data (${testDbKind})`, () => {
  let f: Fixture;
  let operations: string[];
  const ids: Record<string, string> = {};
  const callers: Record<string, Record<string, string>> = {};
  let kreis: Record<string, string>;

  /** Everything a refused request could have written, as one text (sessions, tokens' last use and the log of reads left out). */
  const fingerprint = async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('audit_log', 'staff_session', 'api_token', 'login_failure', 'kysely_migration', 'kysely_migration_lock')
      ORDER BY table_name`.execute(f.ctx.db);
    const parts: string[] = [];
    for (const { table_name } of rows) {
      const r = await sql<{
        h: string | null;
      }>`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${sql.table(table_name)} t`.execute(f.ctx.db);
      parts.push(`${table_name}:${r.rows[0]?.h ?? ''}`);
    }
    return parts.join('\n');
  };

  beforeAll(async () => {
    f = await createThreeTownFixture();
    const adminB = bearer(await addToken(f, { role: 'admin', officeIds: [], municipalityId: TOWN_B, name: 'datteln-it' }));
    // Town B's records: an appointment of Berta Bührmann, a ticket, a document, the mail that was sent.
    const free = (await json(
      f.app.request(`/api/v1/staff/offices/${OFFICE_B}/availability?services=${SERVICE_B}`, { headers: adminB }),
    )) as { slots?: { start: string }[] };
    const booked = await f.app.request(`/api/v1/staff/offices/${OFFICE_B}/appointments`, {
      method: 'POST',
      headers: { ...adminB, 'content-type': 'application/json' },
      body: JSON.stringify({
        start: free.slots?.[0]?.start ?? T,
        services: [{ serviceId: SERVICE_B }],
        citizen: { name: 'Berta Bührmann', email: 'berta@datteln.example', phone: '02363 555' },
      }),
    });
    ids.appointment = ((await json(booked)) as { appointment?: { id?: string } }).appointment?.id ?? UUID;
    const walkIn = await f.app.request(`/api/v1/staff/offices/${OFFICE_B}/walk-ins`, {
      method: 'POST',
      headers: { ...adminB, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: SERVICE_B }),
    });
    ids.ticket = ((await json(walkIn)) as { id?: string; ticket?: { id?: string } }).ticket?.id ?? UUID;
    await f.app.request(`/api/v1/staff/offices/${OFFICE_B}/documents`, {
      method: 'POST',
      headers: { ...adminB, 'content-type': 'application/json' },
      body: JSON.stringify({ orderNumber: 'DA-2026-0001', kind: 'id_card', holderName: 'Berta Bührmann' }),
    });
    const mail = await f.ctx.db.selectFrom('outbox').select('id').orderBy('id').executeTakeFirst();
    ids.notification = mail ? String(mail.id) : '1';

    callers.clerk = bearer(await addToken(f, { role: 'clerk', officeIds: [OFFICE_A], name: 'castrop-clerk' }));
    callers.teamlead = bearer(await addToken(f, { role: 'teamlead', officeIds: [OFFICE_A], name: 'castrop-lead' }));
    callers.townAdmin = bearer(await addToken(f, { role: 'admin', officeIds: [], municipalityId: TOWN_A, name: 'castrop-it' }));
    kreis = bearer(await addToken(f, { role: 'admin', officeIds: [], municipalityId: null, name: 'kreis-it' }));

    const doc = (await json(f.app.request('/api/v1/openapi.json'))) as { paths: Record<string, Record<string, { security?: unknown }>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security !== undefined)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
  }, 120_000);
  afterAll(async () => f?.close());

  const values = () => ({
    officeId: OFFICE_B,
    counterNumber: '1',
    ticketId: ids.ticket!,
    appointmentId: ids.appointment!,
    id: ids.appointment!,
    orderNumber: 'DA-2026-0001',
    itemId: UUID,
  });
  const send = (operation: string, request: { query?: string; body?: unknown; csv?: string }, headers: Record<string, string>) => {
    const [method = '', template = ''] = operation.split(' ');
    const v: Record<string, string> = { ...values(), ...(template.startsWith('/notifications/') ? { id: ids.notification! } : {}) };
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => v[name]!);
    const h: Record<string, string> = { ...headers, 'accept-language': 'de' };
    let body: string | undefined;
    if (request.csv !== undefined) [h['content-type'], body] = ['text/csv', request.csv];
    else if (request.body !== undefined) [h['content-type'], body] = ['application/json', JSON.stringify(request.body)];
    return f.app.request(`/api/v1${path}${request.query ? `?${request.query}` : ''}`, { method, headers: h, body });
  };

  it('every staff operation of the OpenAPI document is probed or said to name no town', () => {
    expect(operations.filter((op) => !(op in API) && !(op in API_WITHOUT_TOWN))).toEqual([]);
    expect([...Object.keys(API), ...Object.keys(API_WITHOUT_TOWN)].filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('town B’s records exist (the probes aim at something real)', () => {
    expect(ids.appointment).not.toBe(UUID);
  });

  const probes = Object.keys(API).flatMap((op) => ['clerk', 'teamlead', 'townAdmin'].map((who) => [op, who] as const));
  it(`${probes.length} probes: a clerk, a team lead and the town admin of town A are refused town B (401/403/404), nothing changes`, async () => {
    const before = await fingerprint();
    const answered: string[] = [];
    for (const [op, who] of probes) {
      const res = await send(op, API[op]!, callers[who]!);
      // 401: the change feed answers only a branch node's own token.
      if (![401, 403, 404].includes(res.status)) answered.push(`${who} ${op}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    }
    expect(answered).toEqual([]);
    expect(await fingerprint()).toBe(before);
    expect(probes.length).toBeGreaterThanOrEqual(40);
  }, 300_000);

  it('operations that name no town answer town A’s staff without town B’s offices or citizens', async () => {
    for (const who of ['clerk', 'teamlead', 'townAdmin']) {
      for (const path of [
        '/staff/me',
        '/staff/offices',
        '/statistics/lead-times',
        '/staff/appointments?query=Bührmann',
        '/notifications',
      ]) {
        const res = await f.app.request(`/api/v1${path}`, { headers: callers[who]! });
        const text = await res.text();
        expect([path, who, res.status < 500]).toEqual([path, who, true]);
        expect([path, who, text.includes(OFFICE_B) || text.includes('Bührmann')]).toEqual([path, who, false]);
      }
    }
  });

  it('the Kreis admin without the grant is refused every route carrying personal data, and sees the set-up', async () => {
    const personal = Object.keys(API)
      .filter((op) => !op.includes('/sync/'))
      .filter((op) => PERSONAL_DATA_ROUTES.has(op.split(' ')[0] + ' /api/v1' + op.split(' ')[1]!.replace(/\{(\w+)\}/g, ':$1')));
    expect(personal.length).toBeGreaterThan(20);
    const before = await fingerprint();
    for (const op of personal) {
      const res = await send(op, API[op]!, kreis);
      expect([op, res.status]).toEqual([op, 403]);
      expect(((await json(res)) as { error: { code: string } }).error.code).toBe('personal_data_not_granted');
    }
    expect(await fingerprint()).toBe(before);
    expect((await f.app.request(`/api/v1/admin/setup?municipality=${TOWN_B}`, { headers: kreis })).status).toBe(200);
    expect((await f.app.request(`/api/v1/statistics/offices/${OFFICE_B}?from=2026-11-01&to=2026-11-30`, { headers: kreis })).status).toBe(
      200,
    );
    expect((await f.app.request('/api/v1/statistics/kreis?from=2026-11-01&to=2026-11-30', { headers: kreis })).status).toBe(200);
  });

  it('every personal-data route of the list exists', () => {
    const routes = new Set(f.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect([...PERSONAL_DATA_ROUTES].filter((r) => !routes.has(r))).toEqual([]);
  });

  // The staff pages, as a person of town A logged in. Most work on the session's office, which cannot be
  // one of town B (choosing it is probed); these name an office or record in their address.
  // Not yet here: the set-up pages' GET in a Kreis answer municipality_required for every office (they
  // are not per town yet), so they are probed by their saving step only.
  it('staff pages: town A’s team lead and admin are refused town B’s office and records', async () => {
    const browsers: StaffBrowser[] = [];
    for (const [role, email] of [
      ['teamlead', 'leitung@castrop.example'],
      ['admin', 'it@castrop.example'],
    ] as const) {
      const { totpSecret } = await addStaff(f, { email, role, officeIds: role === 'admin' ? [] : [OFFICE_A], municipalityId: TOWN_A });
      const b = new StaffBrowser(f, email);
      await b.post('/staff/login', { email, password: STAFF_PASSWORD });
      await b.page('/staff/code');
      await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
      await b.page('/staff/standort');
      browsers.push(b);
    }
    const foreignAccount = (await addStaff(f, { email: 'sb@datteln.example', role: 'clerk', officeIds: [OFFICE_B] })).userId;
    const before = await fingerprint();
    const refused: string[] = [];
    for (const b of browsers) {
      await b.page('/staff/standort');
      for (const [path, fields] of [
        ['/staff/standort', { office: OFFICE_B }],
        // Closing several offices at once (#20): town B's office in a forged form.
        ['/staff/schliessungen/mehrere/vorschau', { standort: OFFICE_B, zeitraum: 'day', datum: '2026-11-27', grund: 'Störung' }],
        [`/staff/verwaltung/oeffnungszeiten/${OFFICE_B}/wochenplan/speichern`, {}],
        [`/staff/verwaltung/regeln/${OFFICE_B}/speichern`, {}],
        [`/staff/verwaltung/konten/${foreignAccount}/deaktivieren`, {}],
        [`/staff/termine/${ids.appointment}/bearbeiten`, { name: 'Otto', phone: '0201 555', note: 'fremd' }],
        // Town B's message texts (#20): neither saved nor previewed through town A's login.
        [`/staff/verwaltung/texte/schliessung?stadt=${TOWN_B}`, { 'intro-de': 'Datteln sagt ab.', aktion: 'speichern' }],
        [`/staff/verwaltung/texte/buchung-bestaetigen?stadt=${TOWN_B}`, { aktion: 'vorschau' }],
        [`/staff/termine/${ids.appointment}/absagen`, { reason: 'office' }],
        [`/staff/termine/${ids.appointment}/stornieren`, { reason: 'office', bestaetigt: 'ja' }],
        [`/staff/termine/${ids.appointment}/bestaetigung-senden`, {}],
      ] as const) {
        const res = await b.post(path, fields);
        if (res.status !== 403 && res.status !== 404) refused.push(`POST ${path}: ${res.status}`);
      }
      for (const path of [
        `/staff/termine/${ids.appointment}`,
        `/staff/termine/${ids.appointment}/bearbeiten`,
        `/staff/termine/${ids.appointment}/absagen`,
        `/staff/verwaltung/konten/${foreignAccount}`,
        `/staff/verwaltung/texte?stadt=${TOWN_B}`,
        `/staff/verwaltung/texte/erinnerung?stadt=${TOWN_B}`,
      ]) {
        const res = await b.get(path);
        if (res.status !== 403 && res.status !== 404) refused.push(`GET ${path}: ${res.status}`);
      }
    }
    expect(refused).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 300_000);
  it('the accounts page: a town admin lists only its town’s accounts, the Kreis admin every account with its town', async () => {
    const login = async (email: string, municipalityId: string | null) => {
      const { totpSecret } = await addStaff(f, { email, role: 'admin', officeIds: [], municipalityId });
      const b = new StaffBrowser(f, email);
      await b.post('/staff/login', { email, password: STAFF_PASSWORD });
      await b.page('/staff/code');
      await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
      return b;
    };
    await addStaff(f, { email: 'leitung@datteln.example', role: 'teamlead', officeIds: [OFFICE_B] });
    const townAdmin = (await (await login('it2@castrop.example', TOWN_A)).page('/staff/verwaltung/konten')).html;
    expect(townAdmin).toContain('it2@castrop.example');
    expect(townAdmin).not.toContain('leitung@datteln.example');
    expect(townAdmin).not.toContain('<th scope="col">Stadt</th>');
    const kreisAdmin = (await (await login('kreis@kreis.example', null)).page('/staff/verwaltung/konten')).html;
    expect(kreisAdmin).toContain('<th scope="col">Stadt</th>');
    const row = /<tr[^>]*>((?:(?!<\/tr>)[\s\S])*leitung@datteln\.example[\s\S]*?)<\/tr>/.exec(kreisAdmin)?.[1] ?? '';
    expect(row).toContain('<td>Teamleitung</td>');
    expect(row).toContain('<td>Stadt Datteln</td>');
    expect(/<tr[^>]*>((?:(?!<\/tr>)[\s\S])*kreis@kreis\.example[\s\S]*?)<\/tr>/.exec(kreisAdmin)?.[1]).toContain('<td>ganzer Kreis</td>');
  }, 120_000);
});
