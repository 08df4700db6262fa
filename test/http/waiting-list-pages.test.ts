import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seatsChanged } from '../../src/app/booking/availability-cache.ts';
import { flushSearchMisses } from '../../src/app/statistics/statistics-demand.ts';
import { sweepWaitingList } from '../../src/app/waiting-list/sweep-waiting-list.ts';
import { bookOut } from '../helpers/book-out.ts';
import { createFixture, loadOf, type Fixture } from '../helpers/fixture.ts';
import { contains, html, postForm } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The waiting list in the browser (#5): from "no free slot" to the form, the entry page with the
// place in line, leaving (confirmation + POST), and a held offer accepted with one POST.

describe(`waiting-list pages on ${testDbKind}`, () => {
  let f: Fixture;

  // Every seat taken out of service (as a closure does) or given back; the search cache forgets at once.
  const closeAllSeats = async (closed: boolean) => {
    await f.ctx.db
      .updateTable('capacity_unit')
      .set({ closed: closed ? sql`capacity` : 0 })
      .where('office_id', '=', 'test')
      .execute();
    seatsChanged(f.ctx.db, 'test', 0, Number.MAX_SAFE_INTEGER);
  };
  const form = (extra: Record<string, string> = {}) => ({
    services: 'short',
    standort: 'test',
    von: '2026-11-26',
    bis: '2026-12-31',
    tag: '4',
    tageszeit: 'vormittags',
    name: 'Erika Mustermann',
    email: 'erika@example.org',
    phone: '',
    terms: 'ja',
    ...extra,
  });
  // Without JavaScript (no proof of work) each address may join a few times an hour: one client per person here.
  const join = async (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await postForm(f.app, '/warteliste/eintragen', fields, { 'x-test-client': fields.email ?? '', ...headers });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/warteliste\/[A-Za-z0-9_-]{43}\?erfolg=eingetragen$/);
    return location.split('?')[0]!;
  };

  beforeAll(async () => {
    f = await createFixture({ settings: { confirmation: 'none' } });
    // Nothing bookable: every search ends at "no free slot".
    await closeAllSeats(true);
  });
  afterAll(async () => f?.close());

  it('"no free slot" offers the waiting list with the chosen services and office', async () => {
    const page = await html(f.app.request('/buchen/termin?services=short'));
    contains(
      page,
      'Zurzeit sind keine Termine frei',
      'Auf die Warteliste setzen',
      'href="/warteliste/eintragen?services=short&amp;office=test"',
    );
    // The empty search counts as unmet demand (#8), once per page view.
    await flushSearchMisses(f.ctx.db);
    expect(await f.ctx.db.selectFrom('stat_search_miss').select(['office_id', 'service_id', 'day', 'misses']).execute()).toEqual([
      { office_id: 'test', service_id: 'short', day: '2026-11-25', misses: 1 },
    ]);
  });

  it('the form shows the services, offices, weekdays and time of day, dates defaulting to the next 60 days', async () => {
    const page = await html(f.app.request('/warteliste/eintragen?services=short&office=test'));
    contains(
      page,
      '<h1 class="kern-heading-large">Auf die Warteliste</h1>',
      'Kurz (1 Person)',
      'Testamt, Teststraße 1',
      'value="2026-11-25"',
      'value="2027-01-24"',
      'Donnerstag',
      'Vormittags (bis 12 Uhr)',
      'Sie haben dann 2 Stunden Zeit',
    );
    expect((await f.app.request('/warteliste/eintragen?services=nonsense')).status).toBe(303);
  });

  it('bad input is shown on the fields (422), nothing is stored', async () => {
    const res = await postForm(
      f.app,
      '/warteliste/eintragen',
      form({ tag: '', email: '', von: '2026-12-31', bis: '2026-12-01', terms: '' }),
    );
    expect(res.status).toBe(422);
    const page = await res.text();
    contains(
      page,
      'Bitte wählen Sie mindestens einen Wochentag.',
      'Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.',
      'Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu.',
    );
    const dates = await postForm(f.app, '/warteliste/eintragen', form({ von: '2026-12-31', bis: '2026-12-01' }), {
      'x-test-client': 'dates',
    });
    expect(dates.status).toBe(422);
    contains(await dates.text(), 'Das Datum „Spätestens am“ darf nicht vor „Frühestens am“ liegen.');
    const landline = await postForm(f.app, '/warteliste/eintragen', form({ email: '', phone: '0221 4710123' }), {
      'x-test-client': 'landline',
    });
    expect(landline.status).toBe(422);
    contains(await landline.text(), 'Über diese Telefonnummer können wir Sie nicht schnell genug benachrichtigen.');
    expect(await f.ctx.db.selectFrom('waiting_list_entry').select('id').execute()).toEqual([]);
  });

  let erika: string;
  let max: string;
  it('joining leads to the entry page: "Sie sind Nr. 1 …"; the next person is Nr. 2; twice is refused (409)', async () => {
    erika = await join(form());
    const page = await html(f.app.request(`${erika}?erfolg=eingetragen`));
    contains(
      page,
      'Sie stehen jetzt auf der Warteliste.',
      'Sie sind Nr. 1 auf der Warteliste für Kurz.',
      'Donnerstag',
      'Vormittags (bis 12 Uhr)',
      'Warteliste verlassen',
    );
    f.clock.advance(60_000);
    max = await join(form({ email: 'max@example.org', name: 'Max' }), { cookie: 'lang=en' });
    contains(await html(f.app.request(max, { headers: { cookie: 'lang=en' } })), 'You are number 2 on the waiting list for Short.');
    const twice = await postForm(f.app, '/warteliste/eintragen', form(), { 'x-test-client': 'twice' });
    expect(twice.status).toBe(409);
    contains(await twice.text(), 'Sie stehen für dieses Anliegen schon auf der Warteliste.');
  });

  it('leaving asks first (GET changes nothing), then POST leaves and the page says so', async () => {
    f.clock.advance(60_000);
    const cara = await join(form({ email: 'cara@example.org', name: 'Cara' }));
    const confirm = await html(f.app.request(`${cara}/verlassen`));
    contains(confirm, 'Warteliste verlassen?', 'Ja, Warteliste verlassen');
    contains(await html(f.app.request(cara)), 'Sie sind Nr. 3');
    const res = await postForm(f.app, `${cara}/verlassen`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${cara}?erfolg=verlassen`);
    contains(await html(f.app.request(cara)), 'Sie stehen nicht mehr auf der Warteliste');
    // Leaving again is harmless.
    expect((await postForm(f.app, `${cara}/verlassen`, {})).status).toBe(303);
  });

  it('once seats are free again the first in line is offered one; accepting is one POST to the booked page', async () => {
    await closeAllSeats(false);
    expect((await sweepWaitingList(f.ctx)).offered).toBeGreaterThanOrEqual(1);
    const page = await html(f.app.request(erika));
    contains(page, 'Ein Termin ist für Sie reserviert', 'Do., 26.11.2026, 08:00 Uhr', 'Termin annehmen', 'Termin ablehnen');
    const res = await postForm(f.app, `${erika}/annehmen`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/termin\/[A-Za-z0-9_-]{43}\/gebucht$/);
    contains(await html(f.app.request(erika)), 'Sie haben den Termin angenommen');
    const again = await postForm(f.app, `${erika}/annehmen`, {});
    expect(again.headers.get('location')).toBe(erika);
  });

  it('declining a held offer asks first, then gives the seat back', async () => {
    // Max (second in line) was offered the next slot by the same sweep.
    contains(
      await html(f.app.request(max, { headers: { cookie: 'lang=en' } })),
      'An appointment is reserved for you',
      'Thu, 26 Nov 2026, 8:10 AM',
    );
    const confirm = await html(f.app.request(`${max}/verlassen`));
    contains(confirm, 'Termin ablehnen?', 'Der Termin geht an die nächste Person auf der Warteliste');
    expect(await loadOf(f, '2026-11-26T07:10:00Z')).toBe(1);
    const res = await postForm(f.app, `${max}/verlassen`, {});
    expect(res.headers.get('location')).toBe(`${max}?erfolg=verlassen`);
    expect(await loadOf(f, '2026-11-26T07:10:00Z')).toBe(0);
    contains(await html(f.app.request(max)), 'Sie stehen nicht mehr auf der Warteliste');
    expect((await postForm(f.app, `${max}/annehmen`, {})).status).toBe(409);
  });

  it('without the proof of work one address joins at most five times an hour (429), the form says why', async () => {
    // Thursday mornings are booked out again, so nothing suitable is free while they join.
    await bookOut(f.ctx, {
      services: [{ serviceId: 'short', persons: 1 }],
      officeIds: ['test'],
      earliestDate: '2026-11-26',
      latestDate: '2026-12-31',
      weekdays: [4],
      fromTime: '00:00',
      toTime: '12:00',
    });
    const headers = { 'x-test-client': 'one-address' };
    for (let i = 0; i < 5; i++)
      expect((await postForm(f.app, '/warteliste/eintragen', form({ email: `spam${i}@example.org` }), headers)).status).toBe(303);
    const sixth = await postForm(f.app, '/warteliste/eintragen', form({ email: 'spam5@example.org' }), headers);
    expect(sixth.status).toBe(429);
    contains(await sixth.text(), 'altcha-widget', 'Von Ihrem Anschluss kamen in der letzten Stunde viele Buchungen ohne JavaScript.');
    const forged = await postForm(
      f.app,
      '/warteliste/eintragen',
      { ...form({ email: 'forged@example.org' }), altcha: Buffer.from('{"challenge":{},"solution":{}}').toString('base64') },
      headers,
    );
    expect(forged.status).toBe(422);
    expect(
      await f.ctx.db
        .selectFrom('waiting_list_entry')
        .select('id')
        .where('citizen_email', 'in', ['spam5@example.org', 'forged@example.org'])
        .execute(),
    ).toEqual([]);
  });

  it('unknown or malformed links get an explaining page (404)', async () => {
    const res = await f.app.request(`/warteliste/${'A'.repeat(43)}`);
    expect(res.status).toBe(404);
    contains(await res.text(), 'Eintrag nicht gefunden');
    expect((await f.app.request('/warteliste/kaputt')).status).toBe(404);
  });
});
