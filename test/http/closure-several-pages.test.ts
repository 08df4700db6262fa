import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createThreeTownFixture, OFFICE_A, OFFICE_B, TOWN_A } from '../helpers/staff-towns.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #20, "the Kreis can close several towns' offices at once" (the story's failure hit all of
// them): on the staff pages a Kreis admin picks offices grouped by town — one office of Castrop, all
// of Waltrop — sees the preview, confirms once, and both towns' offices are closed with their
// appointments, summed per town. A town's admin sees only its own offices, and a form naming
// another town's office is refused with nothing closed.

const THURSDAY = '2026-11-26';

/** The hidden fields of the form that posts to `action`, as the browser would send them. */
function hiddenFields(html: string, action: string): Record<string, string[]> {
  const form = new RegExp(`<form method="post" action="${action}">([\\s\\S]*?)</form>`).exec(html)?.[1] ?? '';
  const fields: Record<string, string[]> = {};
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    if (name !== '_csrf') (fields[name!] ??= []).push(value!.replace(/&amp;/g, '&'));
  return fields;
}

describe(`closing several offices from the staff pages (${testDbKind})`, () => {
  let f: Fixture;
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
  const book = (officeId: string, service: string, time: string, name: string) =>
    bookAppointment(f.ctx, {
      officeId,
      start: Date.parse(`${THURSDAY}T${time}:00+01:00`),
      services: [{ serviceId: service, persons: 1 }],
      citizen: { name, email: `${officeId}-${time.replace(':', '')}@buerger.example` },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'test',
    });
  const openClosures = async () =>
    (await f.ctx.db.selectFrom('closure').select(['office_id']).orderBy('office_id').execute()).map((r) => r.office_id);

  beforeAll(async () => {
    f = await createThreeTownFixture();
    await materializeCapacity(f.ctx);
    await book(OFFICE_A, 'castrop-personalausweis', '09:00', 'Anna Castrop');
    await book(OFFICE_A, 'castrop-personalausweis', '10:00', 'Bernd Castrop');
    await book('waltrop-rathaus', 'waltrop-personalausweis', '09:00', 'Carla Waltrop');
    await book(OFFICE_B, 'datteln-personalausweis', '09:00', 'Dora Datteln');
  }, 120_000);
  afterAll(async () => f?.close());

  it('a Kreis admin closes an office of Castrop and all of Waltrop in one step, with a preview and a summary per town', async () => {
    const kreis = await login('kreis@kreis.example', null);
    expect((await kreis.page('/staff/schliessungen')).html).toContain('href="/staff/schliessungen/mehrere"');
    const form = await kreis.page('/staff/schliessungen/mehrere');
    expect(form.status).toBe(200);
    for (const label of ['Alle Standorte', 'Alle Standorte von Stadt Castrop', 'Alle Standorte von Stadt Datteln', 'Bürgerbüro Waltrop'])
      expect(form.html).toContain(label);

    const preview = await kreis.post('/staff/schliessungen/mehrere/vorschau', {
      standort: [OFFICE_A],
      stadt: ['waltrop'],
      zeitraum: 'day',
      datum: THURSDAY,
      grund: 'Ausfall des Rechenzentrums',
      benachrichtigen: '1',
      ersatz: '1',
    });
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain('3 Termine an 2 Standorten betroffen');
    expect(html).toContain('Do., 26.11.2026');
    expect(html).toContain('Stadt Castrop zusammen');
    expect(html).toContain('Stadt Waltrop zusammen');
    expect(html).not.toContain('Datteln');
    expect(await openClosures()).toEqual([]); // the preview changes nothing

    const commit = await kreis.post('/staff/schliessungen/mehrere', hiddenFields(html, '/staff/schliessungen/mehrere'));
    expect(commit.status).toBe(303);
    const summary = await kreis.page(commit.headers.get('location')!);
    expect(summary.status).toBe(200);
    expect(summary.html).toContain('Stadt Castrop: 2 Termine an 1 Standort');
    expect(summary.html).toContain('Stadt Waltrop: 1 Termin an 1 Standort');
    expect(summary.html).not.toContain('Anna Castrop');
    expect(await openClosures()).toEqual([OFFICE_A, 'waltrop-rathaus']);
    const cancelled = await f.ctx.db.selectFrom('closure_item').select('appointment_id').execute();
    expect(cancelled).toHaveLength(3);
    // A second click on the same button finds the closures already made.
    await kreis.post('/staff/schliessungen/mehrere', hiddenFields(html, '/staff/schliessungen/mehrere'));
    expect(await openClosures()).toEqual([OFFICE_A, 'waltrop-rathaus']);
  });

  it('a town admin sees only its town’s offices, and a forged form with another town’s office is refused', async () => {
    const town = await login('it@castrop.example', TOWN_A);
    const form = await town.page('/staff/schliessungen/mehrere');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Stadtteilbüro Habinghorst');
    expect(form.html).not.toContain('Waltrop');
    expect(form.html).not.toContain('Datteln');
    const before = await openClosures();
    const forged = { zeitraum: 'day', datum: '2026-11-27', grund: 'Störung', benachrichtigen: '1' };
    expect((await town.post('/staff/schliessungen/mehrere/vorschau', { ...forged, standort: [OFFICE_A, OFFICE_B] })).status).toBe(403);
    expect((await town.post('/staff/schliessungen/mehrere/vorschau', { ...forged, stadt: ['datteln'] })).status).toBe(403);
    const from = Date.parse('2026-11-27T00:00:00+01:00');
    const commit = await town.post('/staff/schliessungen/mehrere', {
      standort: [OFFICE_A, OFFICE_B],
      [`zeit-${OFFICE_A}`]: `${from}_${from + 86_400_000}`,
      [`zeit-${OFFICE_B}`]: `${from}_${from + 86_400_000}`,
      grund: 'Störung',
      benachrichtigen: '1',
      ersatz: '1',
    });
    expect(commit.status).toBe(403);
    expect(await openClosures()).toEqual(before);
    // The summary of the Kreis's closures is not theirs either (Waltrop's is another town's).
    const ids = (await f.ctx.db.selectFrom('closure').select('id').execute()).map((r) => r.id);
    expect((await town.get(`/staff/schliessungen/mehrere/ergebnis?schliessungen=${ids.join(',')}`)).status).toBe(404);
  });
});
