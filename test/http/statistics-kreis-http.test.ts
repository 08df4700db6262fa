import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatistics } from '../../src/app/statistics/refresh-statistics.ts';
import { readKreisOverview } from '../../src/app/statistics/statistics-kreis.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { json, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createThreeTownFixture, OFFICE_A, OFFICE_C, TOWN_A } from '../helpers/staff-towns.ts';
import { generateMonth, type GeneratedMonth } from '../helpers/statistics-month.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #20: the Kreis overview as a page, a CSV and an API route. Staff of the whole Kreis see one
// row per town in German formatting and no citizen; the staff of a town are refused (403) and do not
// get the link on their statistics page.

const RANGE = 'von=2026-10-01&bis=2026-10-31';

describe(`the Kreis overview over HTTP on ${testDbKind}`, () => {
  let f: Fixture;
  let months: GeneratedMonth[];
  let kreis: StaffBrowser;
  let town: StaffBrowser;
  const login = async (email: string, municipalityId: string | null) => {
    const { totpSecret } = await addStaff(f, { email, role: 'admin', officeIds: [], municipalityId });
    const b = new StaffBrowser(f, email);
    await b.post('/staff/login', { email, password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: OFFICE_A });
    return b;
  };
  beforeAll(async () => {
    f = await createThreeTownFixture();
    months = [
      await generateMonth(f.ctx.db, '2026-10', {
        officeId: OFFICE_A,
        services: ['castrop-personalausweis', 'castrop-reisepass', 'castrop-wohnsitz'],
        perDay: 5,
        seed: 4,
      }),
      await generateMonth(f.ctx.db, '2026-10', {
        officeId: OFFICE_C,
        services: ['waltrop-personalausweis', 'waltrop-wohnsitz', 'waltrop-fuehrungszeugnis'],
        perDay: 3,
        seed: 5,
      }),
    ];
    await refreshStatistics(f.ctx);
    kreis = await login('kreis@kreis.example', null);
    town = await login('it@castrop.example', TOWN_A);
  }, 120_000);
  afterAll(async () => f?.close());

  it('shows the Kreis admin a row per town in German, without a name or reference, linked from the statistics page', async () => {
    expect((await kreis.page('/staff/statistics')).html).toContain('href="/staff/statistik/kreis"');
    const { status, html } = await kreis.page(`/staff/statistik/kreis?${RANGE}`);
    expect(status).toBe(200);
    const overview = await readKreisOverview(f.ctx, { ...kreisPrincipal }, { from: '2026-10-01', to: '2026-10-31' });
    const castrop = overview.towns.find((t) => t.municipalityId === 'castrop')!;
    const rowOf = (name: string) => new RegExp(`<th scope="row">${name}</th>((?:(?!</tr>)[\\s\\S])*)</tr>`).exec(html)?.[1] ?? '';
    const cells = [...rowOf('Stadt Castrop').matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    const percent = `${(castrop.noShowRate! * 100).toFixed(1).replace('.', ',')}\u00a0%`;
    expect(cells).toEqual([
      '2',
      String(castrop.booked),
      String(castrop.served),
      String(castrop.noShow),
      percent,
      `${castrop.waitMedianMinutes} Min.`,
    ]);
    expect(rowOf('Stadt Datteln')).toContain('<td>–</td>');
    expect(html).toContain('Kreis gesamt');
    expect(html).toContain('Zahlen je Stadt: Do., 01.10.2026 bis Sa., 31.10.2026');
    const people = months.flatMap((m) => m.appointments).flatMap((a) => [a.name, a.email, a.id]);
    expect(people.filter((p) => html.includes(p))).toEqual([]);

    const csv = await kreis.get(`/staff/statistik/kreis.csv?${RANGE}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('Stadt;Standorte;Buchungen eingegangen;Bedient;Nicht erschienen;Quote nicht erschienen;Wartezeit Median (Min.)');
    expect(lines.find((l) => l.startsWith('Stadt Castrop;'))).toMatch(/^Stadt Castrop;2;\d+;\d+;\d+;0,\d+;\d+$/);
    expect(lines).toContain('Stadt Datteln;2;0;0;0;;');
  });

  it('refuses the town admin the page and the CSV (403), and shows no link', async () => {
    expect((await town.page('/staff/statistics')).html).not.toContain('/staff/statistik/kreis');
    expect((await town.get(`/staff/statistik/kreis?${RANGE}`)).status).toBe(403);
    expect((await town.get(`/staff/statistik/kreis.csv?${RANGE}`)).status).toBe(403);
  });

  it('answers the API for the Kreis (documented in OpenAPI) and refuses a town’s token', async () => {
    const kreisToken = bearer(await addToken(f, { role: 'admin', officeIds: [], municipalityId: null, name: 'kreis-api' }));
    const res = await f.app.request('/api/v1/statistics/kreis?from=2026-10-01&to=2026-10-31', { headers: kreisToken });
    expect(res.status).toBe(200);
    const body = (await json(res)) as { towns: { municipalityId: string; served: number }[]; total: { served: number } };
    expect(body.towns.map((t) => t.municipalityId)).toEqual(expect.arrayContaining(['castrop', 'waltrop', 'datteln']));
    expect(body.total.served).toBe(body.towns.reduce((s, t) => s + t.served, 0));
    const csv = await f.app.request('/api/v1/statistics/kreis/export.csv?from=2026-10-01&to=2026-10-31', {
      headers: { ...kreisToken, 'accept-language': 'de' },
    });
    expect(csv.status).toBe(200);
    const lead = bearer(await addToken(f, { role: 'teamlead', officeIds: [OFFICE_A], municipalityId: TOWN_A, name: 'castrop-lead' }));
    expect((await f.app.request('/api/v1/statistics/kreis?from=2026-10-01&to=2026-10-31', { headers: lead })).status).toBe(403);
    const doc = (await json(f.app.request('/api/v1/openapi.json'))) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/statistics/kreis', '/statistics/kreis/export.csv']));
  });
});

const kreisPrincipal = {
  kind: 'user' as const,
  id: 'kreis',
  label: 'kreis@kreis.example',
  role: 'admin' as const,
  officeIds: [],
  municipalityId: null,
  personalData: false,
};
