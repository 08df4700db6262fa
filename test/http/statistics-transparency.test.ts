import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatistics } from '../../src/app/statistics/refresh-statistics.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { generateMonth, type GeneratedMonth } from '../helpers/statistics-month.ts';
import { testDbKind } from '../helpers/test-db.ts';

describe(`public transparency page on ${testDbKind}`, () => {
  let f: Fixture;
  let month: GeneratedMonth;
  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 4 });
    month = await generateMonth(f.ctx.db, '2026-11', { perDay: 12 });
    await refreshStatistics(f.ctx);
  });
  afterAll(async () => f.close());

  it('shows the lead time per service and the typical wait by weekday and hour, cached and without personal data', async () => {
    const res = await f.app.request('/transparenz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const html = await res.text();
    expect(html).toContain('<h2 id="office-test" class="kern-heading-medium">Testamt</h2>');
    expect(html).toMatch(/<th scope="row">Kurz<\/th><td>heute<\/td>/);
    expect(html).toMatch(/Am kürzesten ist die Wartezeit (montags|dienstags|mittwochs|donnerstags|freitags) \d+–\d+ Uhr\./);
    expect(html).toContain('<th scope="col">Donnerstag</th>');
    for (const a of month.appointments.slice(0, 50)) {
      expect(html).not.toContain(a.name);
      expect(html).not.toContain(a.email);
    }
    expect(html).not.toContain('Neue Termine werden');
  });

  it('speaks English and publishes the weekly release time when the office wants it', async () => {
    const app = createHttpApp({
      ctx: f.ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: () => {},
      pages: { publishReleaseTime: true },
    });
    const html = await (await app.request('/transparenz', { headers: { 'accept-language': 'en' } })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Waiting times at the citizen office');
    expect(html).toContain('New appointments are released every Monday at 07:00 for the next 14 days.');
  });
});
