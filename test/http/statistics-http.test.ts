import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotLeadTimes } from '../../src/app/statistics/lead-times.ts';
import { refreshStatistics } from '../../src/app/statistics/refresh-statistics.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, bearer } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { generateMonth } from '../helpers/statistics-month.ts';
import { testDbKind } from '../helpers/test-db.ts';

describe(`statistics API and pages on ${testDbKind}`, () => {
  let f: Fixture;
  let lead: string;
  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 4 });
    await addOfficeNord(f);
    await generateMonth(f.ctx.db, '2026-11', { perDay: 8 });
    await refreshStatistics(f.ctx);
    await snapshotLeadTimes(f.ctx);
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
  });
  afterAll(async () => f.close());

  it('gives team leads the figures of their office as JSON, documented in OpenAPI', async () => {
    const res = await f.app.request('/api/v1/statistics/offices/test?from=2026-11-01&to=2026-11-30&period=week', { headers: bearer(lead) });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.total.booked).toBeGreaterThan(0);
    expect(body.total.appointmentsDue).toBeGreaterThan(0);
    expect(body.total).toHaveProperty('appointmentsCancelled');
    expect(body.total.arrivals).toBeGreaterThan(0);
    expect(body.byWeekdayHour[0]).toMatchObject({ weekday: 1, days: expect.any(Number), arrivalsPerDay: expect.any(Number) });
    expect(body.periods[0].period).toBe('2026-10-26');
    expect(body.planning.map((p: { serviceId: string }) => p.serviceId)).toEqual(['long', 'short']);
    const doc = await json(f.app.request('/api/v1/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/statistics/offices/{officeId}',
        '/statistics/offices/{officeId}/export.csv',
        '/statistics/offices/{officeId}/hours.csv',
        '/statistics/offices/{officeId}/breakdown',
        '/statistics/offices/{officeId}/comparison',
        '/statistics/lead-times',
      ]),
    );
  });

  it('refuses clerks (403), hides other offices (404) and checks the dates (422)', async () => {
    const clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    expect((await f.app.request('/api/v1/statistics/offices/test?from=2026-11-01&to=2026-11-30', { headers: bearer(clerk) })).status).toBe(
      403,
    );
    expect((await f.app.request('/api/v1/statistics/offices/nord?from=2026-11-01&to=2026-11-30', { headers: bearer(lead) })).status).toBe(
      404,
    );
    expect((await f.app.request('/api/v1/statistics/offices/test?from=2026-11-30&to=2026-11-01', { headers: bearer(lead) })).status).toBe(
      422,
    );
    expect((await f.app.request('/api/v1/statistics/offices/test?from=2026-11-01&to=2026-11-30')).status).toBe(401);
    // Per-clerk figures (#17 item 3) are for team leads and admins only.
    const breakdown = '/api/v1/statistics/offices/test/breakdown?from=2026-11-01&to=2026-11-30';
    expect((await f.app.request(breakdown, { headers: bearer(clerk) })).status).toBe(403);
    const ok = await f.app.request(breakdown, { headers: bearer(lead) });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ perCounter: expect.any(Array), perClerk: expect.any(Array), minTicketsPerClerk: 20 });
  });

  it('exports a CSV for Excel and lists the lead times of the caller’s offices', async () => {
    const csv = await f.app.request('/api/v1/statistics/offices/test/export.csv?from=2026-11-02&to=2026-11-06', { headers: bearer(lead) });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads UTF-8
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toMatch(/^Zeitraum;Buchungen eingegangen;Bedient/);
    expect(lines.filter((l) => /^2026-11-0\d;/.test(l))).toHaveLength(5);
    // Arrivals and served by weekday and hour (#17 item 2): one row per weekday and hour, as the JSON has it.
    const hours = await f.app.request('/api/v1/statistics/offices/test/hours.csv?from=2026-11-02&to=2026-11-06', { headers: bearer(lead) });
    const hourLines = (await hours.text()).replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(hourLines[0]).toBe(
      'Wochentag;Stunde;Öffnungstage;Ankünfte vor Ort;Ankünfte spontan;Bedient (Termine);Bedient (spontan);Ankünfte je Tag;Bedient je Tag',
    );
    const report = await json(f.app.request('/api/v1/statistics/offices/test?from=2026-11-02&to=2026-11-06', { headers: bearer(lead) }));
    expect(hourLines).toHaveLength(report.byWeekdayHour.length + 1);
    const monday9 = report.byWeekdayHour.find((c: { weekday: number; hour: number }) => c.weekday === 1 && c.hour === 9);
    expect(hourLines).toContain(
      [
        'Montag',
        '09:00–10:00',
        1,
        monday9.arrivals,
        monday9.walkinArrivals,
        monday9.served,
        monday9.walkinsServed,
        String(monday9.arrivalsPerDay).replace('.', ','),
        String(monday9.servedPerDay).replace('.', ','),
      ].join(';'),
    );
    expect(report.byHour.reduce((s: number, h: { arrivals: number }) => s + h.arrivals, 0)).toBe(report.total.arrivals);
    const clerkToken = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    expect(
      (await f.app.request('/api/v1/statistics/offices/test/hours.csv?from=2026-11-02&to=2026-11-06', { headers: bearer(clerkToken) }))
        .status,
    ).toBe(403);
    const leads = await json(f.app.request('/api/v1/statistics/lead-times', { headers: bearer(lead) }));
    expect(leads.leadTimes.map((l: { officeId: string }) => l.officeId)).toEqual(['test', 'test']);
    expect(leads.leadTimes[0]).toMatchObject({ serviceId: 'long', leadDays: 0 });
  });

  it('shows the statistics page with the headline, accessible charts and a table beside each', async () => {
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    await b.post('/staff/login', { email, password: 'Pferd Batterie Heftklammer' });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    const { status, html } = await b.page('/staff/statistics?von=2026-11-01&bis=2026-11-30');
    expect(status).toBe(200);
    expect(html).toContain('Lang: nächster Termin heute');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-volume-title chart-volume-desc"/);
    expect(html).toContain('<title id="chart-volume-title">Termine im Zeitraum</title>');
    expect(html.match(/<table/g)!.length).toBeGreaterThanOrEqual(3);
    // Arrivals and served by hour (#17 item 2): a chart with its table, and the averages per weekday.
    expect(html).toContain('<title id="chart-hours-title">Ankünfte und Bediente nach Uhrzeit</title>');
    expect(html).toContain('Ankünfte je Stunde nach Wochentag (Durchschnitt je Öffnungstag)');
    expect(html).toMatch(/<th scope="col">Montag \(\d+ Tage\)<\/th>/);
    expect(html).toContain('<th scope="row">09–10 Uhr</th>');
    // Trends and service level (#17 item 4): this week against the week before and a year before.
    expect(html).toContain('Diese Woche im Vergleich');
    expect(html).toContain('<th scope="row">Aufgerufen binnen 15 Min.</th>');
    // „Bis“ is Monday 30 November: that Monday, the Monday before, and the Monday 52 weeks before.
    expect(html).toMatch(/Diese Woche<br\/?><span class="kern-body--small">Mo\., 30\.11\.2026<\/span>/);
    expect(html).toContain('Mo., 23.11.2026');
    expect(html).toContain('Mo., 01.12.2025');
    // Per counter and per clerk (#17 item 3), with what the figures are for and the minimum group size.
    expect(html).toContain('Nach Schalter und Mitarbeitenden');
    expect(html).toContain('<caption class="kern-title">Je Standort und gesamt</caption>');
    expect(html).toContain('<th scope="row">Gesamt</th>');
    expect(html).toContain('Zahlen je Mitarbeiterin und Mitarbeiter sind ausgeschaltet.');
    expect(html).toContain('href="/staff/statistics"');
    const csv = await b.get('/staff/statistics.csv?von=2026-11-01&bis=2026-11-30&zeitraum=week');
    expect(csv.headers.get('content-disposition')).toContain('statistik-test-alle-2026-11-01-2026-11-30.csv');
    const hoursCsv = await b.get('/staff/statistics-stunden.csv?von=2026-11-01&bis=2026-11-30');
    expect(hoursCsv.headers.get('content-disposition')).toContain('statistik-stunden-test-alle-2026-11-01-2026-11-30.csv');
    expect(await hoursCsv.text()).toContain('Wochentag;Stunde;Öffnungstage');
    expect((await b.page('/staff/statistics?von=2026-12-01&bis=2026-11-01')).status).toBe(422);
  });

  it('keeps clerks out of the statistics page and its link', async () => {
    const { email } = await addStaff(f, { email: 'clerk@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-2');
    await b.post('/staff/login', { email, password: 'Pferd Batterie Heftklammer' });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    expect((await b.page('/staff/tagesplan')).html).not.toContain('/staff/statistics');
    expect((await b.page('/staff/statistics')).status).toBe(403);
  });
});
