import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAvailability } from '../../src/app/booking/search-availability.ts';
import { demandByPeriod, snapshotWaitingList } from '../../src/app/statistics/statistics-demand.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { joinWaitingList, leaveWaitingList, type JoinRequest } from '../../src/app/waiting-list/waiting-list.ts';
import { bookOut } from '../helpers/book-out.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, bearer } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #8, "Demand vs capacity": citizen searches that found nothing, and the waiting-list length
// per service — in the statistics JSON, the CSV and on /staff/statistics.

const wish = (email: string, serviceId: string, officeIds = ['test']): JoinRequest => ({
  services: [{ serviceId, persons: 1 }],
  officeIds,
  earliestDate: '2026-11-27',
  latestDate: '2026-11-27',
  weekdays: [5],
  fromTime: '08:00',
  toTime: '09:00',
  citizen: { name: 'W', email },
  language: 'de',
});

describe(`demand figures on ${testDbKind}`, () => {
  let f: Fixture;
  let lead: string;
  beforeAll(async () => {
    f = await createFixture();
    await addOfficeNord(f);
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
  });
  afterAll(async () => f?.close());

  const report = async (query = 'from=2026-11-20&to=2026-11-30') =>
    json(f.app.request(`/api/v1/statistics/offices/test?${query}`, { headers: bearer(lead) }));

  it('counts citizen searches through the API that found nothing (the booking page: waiting-list-pages.test.ts), not internal ones or searches that found something', async () => {
    // Sunday: the test office is closed, nothing is free.
    const empty = await json(f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-29&to=2026-11-29'));
    expect(empty.slots).toEqual([]);
    await f.app.request('/api/v1/availability?services=short,long&office=test&from=2026-11-29&to=2026-11-29');
    const found = await json(f.app.request('/api/v1/availability?services=short&office=test&limit=1'));
    expect(found.slots).toHaveLength(1);
    await searchAvailability(f.ctx, {
      services: [{ serviceId: 'short', persons: 1 }],
      officeId: 'test',
      from: '2026-11-29',
      to: '2026-11-29',
    });
    const body = await report();
    expect(body.demand.searchMisses).toEqual([
      { day: '2026-11-25', serviceId: 'long', misses: 1 },
      { day: '2026-11-25', serviceId: 'short', misses: 2 },
    ]);
  });

  it('misses add up across flushes and are counted on the day of the search', async () => {
    f.clock.advance(24 * 3_600_000);
    await f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-29&to=2026-11-29');
    await f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-29&to=2026-11-29');
    const body = await report();
    expect(body.demand.searchMisses.filter((m: { serviceId: string }) => m.serviceId === 'short')).toEqual([
      { day: '2026-11-25', serviceId: 'short', misses: 2 },
      { day: '2026-11-26', serviceId: 'short', misses: 2 },
    ]);
  });

  it('shows the waiting list now per service (only entries naming the office, still in line) and its daily history', async () => {
    // Friday morning is full at both offices: joining is refused while a suitable time is free.
    await bookOut(f.ctx, wish('x@example.org', 'short', ['test', 'nord']));
    await joinWaitingList(f.ctx, wish('a@example.org', 'short'));
    await joinWaitingList(f.ctx, wish('b@example.org', 'short', ['test', 'nord']));
    await joinWaitingList(f.ctx, wish('c@example.org', 'long'));
    await joinWaitingList(f.ctx, wish('d@example.org', 'short', ['nord']));
    const gone = await joinWaitingList(f.ctx, wish('e@example.org', 'long'));
    await leaveWaitingList(f.ctx, gone.token);
    await snapshotWaitingList(f.ctx);
    const body = await report();
    expect(body.demand.waitingNow).toEqual([
      { serviceId: 'long', waiting: 1 },
      { serviceId: 'short', waiting: 2 },
    ]);
    expect(body.demand.waitingHistory).toEqual([
      { day: '2026-11-26', serviceId: 'long', waiting: 1 },
      { day: '2026-11-26', serviceId: 'short', waiting: 2 },
    ]);
    const short = await report('from=2026-11-20&to=2026-11-30&serviceId=short');
    expect(short.demand.waitingNow).toEqual([{ serviceId: 'short', waiting: 2 }]);
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(Object.keys(doc.components.schemas.StatisticsReport.properties.demand.properties)).toEqual([
      'waitingNow',
      'waitingHistory',
      'searchMisses',
    ]);
  });

  it('a day on which the list emptied is recorded as 0, not left out', async () => {
    f.clock.advance(24 * 3_600_000);
    const rows = await f.ctx.db.selectFrom('waiting_list_entry').select('id').where('state', '=', 'waiting').execute();
    await f.ctx.db
      .updateTable('waiting_list_entry')
      .set({ state: 'left' })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    await snapshotWaitingList(f.ctx); // 27th: nobody
    const body = await report();
    expect(body.demand.waitingHistory.filter((h: { day: string }) => h.day === '2026-11-27')).toEqual([
      { day: '2026-11-27', serviceId: 'long', waiting: 0 },
      { day: '2026-11-27', serviceId: 'short', waiting: 0 },
    ]);
  });

  it('groups by week: misses summed, the waiting list as on the last measured day', () => {
    const byWeek = demandByPeriod(
      {
        waitingNow: [],
        waitingHistory: [
          { day: '2026-11-24', serviceId: 's', waiting: 5 },
          { day: '2026-11-26', serviceId: 's', waiting: 3 },
          { day: '2026-11-26', serviceId: 't', waiting: 1 },
          { day: '2026-12-01', serviceId: 's', waiting: 7 },
        ],
        searchMisses: [
          { day: '2026-11-23', serviceId: 's', misses: 2 },
          { day: '2026-11-29', serviceId: 't', misses: 4 },
        ],
      },
      'week',
    );
    expect(Object.fromEntries(byWeek)).toEqual({ '2026-11-23': { misses: 6, waiting: 4 }, '2026-11-30': { misses: 0, waiting: 7 } });
  });

  it('the CSV carries both figures per period', async () => {
    const res = await f.app.request('/api/v1/statistics/offices/test/export.csv?from=2026-11-25&to=2026-11-27', { headers: bearer(lead) });
    const lines = (await res.text()).replace('\uFEFF', '').split('\r\n');
    expect(lines[0]).toMatch(
      /;Suchen ohne Treffer;Warteliste;Termine an den Tagen;Termine abgesagt;Ankünfte vor Ort;Ankünfte spontan;Aufgerufen binnen 15 Min\.;Aufgerufen binnen 30 Min\.$/,
    );
    const misses = lines[0]!.split(';').indexOf('Suchen ohne Treffer');
    const row = (day: string) =>
      lines
        .find((l) => l.startsWith(`${day};`))!
        .split(';')
        .slice(misses);
    expect(row('2026-11-25').slice(0, 2)).toEqual(['3', '']);
    expect(row('2026-11-26').slice(0, 2)).toEqual(['2', '3']);
    expect(row('2026-11-27').slice(0, 2)).toEqual(['0', '0']);
  });

  it('shows the demand section on /staff/statistics with a chart and tables', async () => {
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    await b.post('/staff/login', { email, password: 'Pferd Batterie Heftklammer' });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    const { status, html } = await b.page('/staff/statistics?von=2026-11-20&bis=2026-11-30');
    expect(status).toBe(200);
    expect(html).toContain('<h2 id="stat-demand" class="kern-heading-medium">Nachfrage ohne Termin</h2>');
    expect(html).toContain('Zurzeit steht niemand für diesen Standort auf der Warteliste.');
    expect(html).toMatch(/<svg[^>]*aria-labelledby="chart-demand-title chart-demand-desc"/);
    expect(html).toContain('<caption class="kern-title">Suchen ohne Treffer und Warteliste</caption>');
    expect(html).toMatch(/<th scope="row">Do\., 26\.11\.2026<\/th><td>2<\/td><td>3<\/td>/);
  });
});
