import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { tokenFrom } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, addToken, bearer } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { STAFF_PASSWORD } from '../helpers/staff.ts';

// Random and malformed input to every operation of the OpenAPI document and to every page route:
// invariant 5 says bad input gets a 4xx and changes nothing it should not; here we hold the server
// to the first half of that — never an answer of 500 or more — and check it is healthy afterwards.
// Seeded, so a failure names the request and the seed replays it.
// FUZZ_SEED and FUZZ_SCALE (a multiplier of the runs) search further when run by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const API_RUNS = 40 * SCALE;
const PAGE_RUNS = 20 * SCALE;

// Values that got past pattern checks before (dates that do not exist, offsets out of range), values
// that look valid, and classic trouble: injection, control characters, huge numbers and long text.
const NASTY_STRINGS = [
  '2026-11-26',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-99-99',
  '9999-12-31',
  '2026-11-26T09:00:00+01:00',
  '2026-11-26T25:00:00+01:00',
  '2026-11-26T10:61:00+01:00',
  '2026-11-26T09:00:00+25:00',
  '2026-11-26T09:00Z',
  '10:61',
  '25:00',
  '24:00',
  '08:00',
  'T25:00',
  'test',
  'nord',
  'short',
  'long',
  'counter-only',
  'short:2,long:1',
  '',
  ' ',
  '-1',
  '0',
  '1',
  '1.5',
  '1e309',
  '99999999999999999999',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'a@x, victim@y',
  'a@x.example\r\nBcc: victim@y.example',
  'bürger@example.de',
  '+49 170 1234567',
  '<script>alert(1)</script>',
  "'; DROP TABLE appointment;--",
  '\u0000',
  '\uD800',
  '../../etc/passwd',
  '%',
  '%00',
  'ÄÖÜß',
  '🙂',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

// Plausible values by field name, so that a request gets past its other fields to the one that is broken:
// a search for a real service with a date that does not exist reaches the code that parses the date.
const DATES = [
  '2026-11-26',
  '2026-11-30',
  '2026-12-04',
  '2026-02-30',
  '2026-02-29',
  '0000-00-00',
  '9999-99-99',
  '2026-13-45',
  '1900-01-01',
  '2999-12-31',
];
const INSTANTS = [
  '2026-11-26T09:00:00+01:00',
  '2026-11-26T09:00+01:00',
  '2026-11-26T25:00:00+01:00',
  '2026-11-26T10:61:00+01:00',
  '2026-11-26T09:00:00+25:00',
  '2026-02-30T09:00:00+01:00',
  '0000-00-00T00:00:00Z',
  '9999-99-99T99:99:99Z',
];
const WALL_TIMES = ['08:00', '12:00', '24:00', '25:00', '10:61', '99:99', '7:5'];
const BY_NAME: [RegExp, string[]][] = [
  [/^services$/, ['short', 'short:2,long', 'long:1', 'counter-only', 'short:0', 'short:99999']],
  [/service/i, ['short', 'long', 'counter-only', 'nirgendwas']],
  [/office/i, ['test', 'nord', 'nirgendwo']],
  [/^(start|from|to|until|since|starts?At|endsAt|datetime)$/i, [...INSTANTS, ...DATES]],
  [/date|datum|day|^von$|^bis$/i, DATES],
  [/time|zeit|uhr/i, WALL_TIMES],
  [/e-?mail/i, ['buerger@example.de', 'a@x, victim@y.example', 'a@x.example\r\nBcc: victim@y.example', 'kein-at']],
  [/phone|telefon|mobil/i, ['+49 170 1234567', '0171/123456', '+49 170 1234567\r\n', 'abc']],
  [/persons|count|limit|page|size|number|^n$/i, ['1', '2', '0', '-1', '1000000', '1.5']],
  [/code/i, ['123456', '000000', '12345', 'abcdef']],
];
const byName = (name: string): fc.Arbitrary<string> => {
  const pool = BY_NAME.find(([pattern]) => pattern.test(name))?.[1];
  return pool ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: nastyString }) : nastyString;
};
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -1, 1e21, Number.MAX_SAFE_INTEGER, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
};
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
type Operation = {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

/** Values shaped like the schema (so validation lets some through to the handlers), mixed with broken ones. */
function fromSchema(doc: OpenApi, schema: Schema | undefined, depth = 0, name = ''): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.$ref) return fromSchema(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!], depth + 1, name);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(doc, s, depth + 1, name)), anyJson);
  if (schema.allOf) return fromSchema(doc, Object.assign({}, ...schema.allOf), depth + 1, name);
  const shaped = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'object' || schema.properties) {
      const entries = Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fromSchema(doc, s, depth + 1, k)] as const);
      return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
    }
    if (type === 'array') return fc.array(fromSchema(doc, schema.items, depth + 1, name), { maxLength: 4 });
    if (type === 'integer' || type === 'number')
      return fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom(1, 1, 2, 1e9, -1e9, 0.5));
    if (type === 'boolean') return fc.boolean();
    return schema.example === undefined ? byName(name) : fc.oneof(fc.constant(schema.example), byName(name));
  })();
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

/** A lone surrogate cannot be percent-encoded; a browser would send U+FFFD in its place. */
function encodePathSegment(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

const rawBody = fc.oneof(
  fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":', '\u0000', 'a=b&c=d', '{"__proto__":{"x":1}}'),
  fc.string({ maxLength: 200 }),
);

describe(`fuzz: random and malformed input to every operation and page on ${testDbKind}`, () => {
  let f: Fixture;
  let doc: OpenApi;
  let adminToken: string;
  let manageToken: string;
  let staff: StaffBrowser;
  const failures: string[] = [];

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addOfficeNord(f);
    adminToken = await addToken(f, { role: 'admin', officeIds: ['test', 'nord'] });
    doc = (await json(f.app.request('/api/v1/openapi.json'))) as OpenApi;
    const booked = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      services: [{ serviceId: 'short', persons: 1 }],
      start: '2026-11-26T09:00:00+01:00',
      citizen: { name: 'Fuzz Test', email: 'fuzz@example.de' },
      language: 'de',
    });
    manageToken = ((await booked.json()) as { manageToken: string }).manageToken;
    expect(manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const admin = await addStaff(f, { email: 'admin@stadt.example', role: 'admin', officeIds: ['test', 'nord'] });
    staff = new StaffBrowser(f, 'fuzz-staff');
    await staff.post('/staff/login', { email: admin.email, password: STAFF_PASSWORD });
    await staff.page('/staff/code');
    await staff.post('/staff/code', { code: totpCodeAt(admin.totpSecret!, f.clock.now()) });
    await staff.page('/staff/standort');
    await staff.post('/staff/standort', { office: 'test' });
    expect((await staff.page('/staff/tagesplan')).status).toBe(200);
  });
  afterAll(async () => f?.close());

  const pathValue = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...valuesForParam(name)) },
      { weight: 1, arbitrary: nastyString.map(encodePathSegment) },
    );
  function valuesForParam(name: string): string[] {
    if (/token/i.test(name)) return [manageToken, 'A'.repeat(43)];
    if (/office/i.test(name)) return ['test', 'nord', 'nirgendwo'];
    if (/counter|^n$/i.test(name)) return ['1', '2', '99'];
    return ['1', '00000000-0000-0000-0000-000000000000', 'x'];
  }

  async function check(label: string, res: Response) {
    if (res.status >= 500) failures.push(`${label} -> ${res.status} ${(await res.text()).slice(0, 300)}`);
    else await res.body?.cancel();
  }

  it('every operation of the OpenAPI document answers random input with less than 500', async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(50);
    for (const { path, method, op } of operations) {
      const params = op.parameters ?? [];
      const jsonSchema = op.requestBody?.content['application/json']?.schema;
      const request = fc.record({
        path: fc.tuple(
          ...params.filter((p) => p.in === 'path').map((p) => pathValue(p.name).map((v) => [p.name, v] as const)),
          fc.constant(null),
        ),
        query: fc.tuple(
          ...params
            .filter((p) => p.in === 'query')
            .map((p) =>
              fc.option(
                fromSchema(doc, p.schema, 0, p.name).map((v) => [p.name, String(v)] as const),
                { nil: null, freq: 4 },
              ),
            ),
          fc.constant(null),
        ),
        body: fc.oneof(
          { weight: 3, arbitrary: fromSchema(doc, jsonSchema).map((v) => JSON.stringify(v) ?? 'null') },
          { weight: 1, arbitrary: rawBody },
        ),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
        ),
        auth: fc.constantFrom(true, true, true, false),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let url = `/api/v1${path}`;
          for (const entry of r.path) if (entry) url = url.replace(`{${entry[0]}}`, entry[1]);
          const query = new URLSearchParams(
            r.query.filter((q): q is readonly [string, string] => q !== null).map(([k, v]): [string, string] => [k, v]),
          );
          if (query.size > 0) url += `?${query}`;
          const upper = method.toUpperCase();
          const hasBody = upper !== 'GET' && upper !== 'DELETE';
          const headers: Record<string, string> = {
            'x-test-client': 'fuzz',
            ...(r.auth ? bearer(adminToken) : {}),
            ...(hasBody ? { 'content-type': r.contentType } : {}),
          };
          const res = await f.app.request(url, { method: upper, headers, ...(hasBody ? { body: r.body } : {}) });
          await check(`${upper} ${url} body=${hasBody ? r.body.slice(0, 200) : '-'}`, res);
        }),
        { seed: SEED, numRuns: API_RUNS },
      );
    }
    expect(failures).toEqual([]);
  });

  it('every page route answers random queries and form posts with less than 500', async () => {
    const routes = [
      ...new Set(
        f.app.routes
          .filter((r) => (r.method === 'GET' || r.method === 'POST') && !r.path.includes('*'))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].filter((r) => !r.includes(' /api/') && !r.endsWith('/events') && r !== 'POST /staff/logout' && !r.includes('/static/'));
    expect(routes.length).toBeGreaterThan(80);
    const fieldNames = await formFieldNames(routes.filter((r) => r.startsWith('GET ') && !r.includes(':')).map((r) => r.slice(4)));
    const fields = fc
      .uniqueArray(fc.constantFrom(...fieldNames), { maxLength: 10 })
      .chain((keys) =>
        fc
          .tuple(...keys.map((k) => byName(k).map((v) => [k, v] as const)), fc.constant(null))
          .map((pairs) => Object.fromEntries(pairs.filter((p) => p !== null))),
      );
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const names = [...pattern.matchAll(/:(\w+)(\{[^}]*\})?/g)].map((m) => ({ whole: m[0], name: m[1]! }));
      const request = fc.record({
        params: fc.tuple(...names.map((n) => pathValue(n.name).map((v) => [n.whole, v] as const)), fc.constant(null)),
        fields,
        asStaff: fc.constantFrom(true, true, false),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let path = pattern;
          for (const entry of r.params) if (entry) path = path.replace(entry[0], entry[1]);
          const label = `${method} ${path} ${JSON.stringify(r.fields).slice(0, 300)}`;
          if (method === 'GET') {
            const url = `${path}?${new URLSearchParams(r.fields)}`;
            await check(label, r.asStaff ? await staff.get(url) : await f.app.request(url, { headers: { 'x-test-client': 'fuzz' } }));
          } else if (r.asStaff) {
            await check(label, await staff.post(path, r.fields));
          } else {
            const body = new URLSearchParams(r.fields).toString();
            await check(
              label,
              await f.app.request(path, {
                method: 'POST',
                headers: { 'x-test-client': 'fuzz', 'content-type': 'application/x-www-form-urlencoded' },
                body,
              }),
            );
          }
        }),
        { seed: SEED, numRuns: PAGE_RUNS },
      );
    }
    expect(failures).toEqual([]);
  });

  it('the server is healthy afterwards: health check, a search and a booking work', async () => {
    expect((await f.app.request('/healthz')).status).toBe(200);
    const search = await f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-30&to=2026-12-04');
    expect(search.status).toBe(200);
    const slots = ((await search.json()) as { slots: { start: string }[] }).slots;
    expect(slots.length).toBeGreaterThan(0);
    const booked = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      services: [{ serviceId: 'short', persons: 1 }],
      start: slots.at(-1)!.start,
      citizen: { name: 'Nach dem Fuzz', email: 'danach@example.de' },
      language: 'de',
    });
    expect(booked.status).toBe(201);
    tokenFrom(`/termin/${((await booked.json()) as { manageToken: string }).manageToken}`);
  });

  /** The names of every form field on the pages (as a citizen and as staff), so posts reach the handlers' parsing. */
  async function formFieldNames(paths: string[]): Promise<string[]> {
    const names = new Set<string>([
      'datum',
      'office',
      'services',
      'start',
      'code',
      'reference',
      'von',
      'bis',
      'reason',
      'email',
      'phone',
      'name',
    ]);
    for (const path of paths) {
      for (const html of [await (await f.app.request(path)).text(), (await staff.page(path)).html]) {
        for (const m of html.matchAll(/\sname="([^"]+)"/g)) if (m[1] !== '_csrf') names.add(m[1]!);
      }
    }
    return [...names];
  }
});
