import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../src/app/booking/materialize-capacity.ts';
import { closureJobsIdle } from '../src/app/closures/closure-runner.ts';
import { refreshStatistics } from '../src/app/statistics/refresh-statistics.ts';
import { readKreisOverview } from '../src/app/statistics/statistics-kreis.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { generateMonth } from '../test/helpers/statistics-month.ts';
import { applyThreeTowns } from '../test/helpers/three-towns.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// The two Kreis pages of #20 in a real Chromium, with the three towns of examples/kreis.yaml beside
// the browser town: the Kreis overview of statistics (one row per town, de-DE figures) and closing
// several towns' offices in one step without JavaScript. Every page passes axe and reflows at 375 px.

const PASSWORD = 'Pferd Batterie Heftklammer';
const THURSDAY = '2026-11-26';

/** The innermost elements that stick out to the right: what breaks reflow. */
async function wideElements(page: Page): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
  )) as string[];
}

/** The Kreis admin as the use case sees them, to read the figures the page must show. */
const KREIS = {
  kind: 'user' as const,
  id: 'kreis',
  label: 'kreis@kreis.example',
  role: 'admin' as const,
  officeIds: [],
  municipalityId: null,
  personalData: false,
};

describe.skipIf(!hasChromium)('the Kreis pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let secret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    await applyThreeTowns(server.ctx, 'e2e');
    await materializeCapacity(server.ctx);
    await generateMonth(server.database.db, '2026-10', {
      officeId: 'castrop-rathaus',
      services: ['castrop-personalausweis', 'castrop-reisepass', 'castrop-wohnsitz'],
      perDay: 20,
      seed: 4,
    });
    await generateMonth(server.database.db, '2026-10', {
      officeId: 'waltrop-rathaus',
      services: ['waltrop-personalausweis', 'waltrop-wohnsitz', 'waltrop-fuehrungszeugnis'],
      perDay: 3,
      seed: 5,
    });
    await refreshStatistics(server.ctx);
    const book = (officeId: string, serviceId: string, time: string, name: string) =>
      bookAppointment(server.ctx, {
        officeId,
        start: Date.parse(`${THURSDAY}T${time}:00+01:00`),
        services: [{ serviceId, persons: 1 }],
        citizen: { name, email: `${officeId}-${time.replace(':', '')}@buerger.example`, phone: null },
        language: 'de',
        channel: 'phone',
      });
    await book('castrop-rathaus', 'castrop-personalausweis', '09:00', 'Anna Castrop');
    await book('castrop-habinghorst', 'castrop-wohnsitz', '09:00', 'Bernd Habinghorst');
    await book('waltrop-rathaus', 'waltrop-personalausweis', '09:00', 'Carla Waltrop');
    await book('datteln-rathaus', 'datteln-personalausweis', '09:00', 'Dora Datteln');
    const { userId } = await createStaffUser(server.ctx, {
      email: 'kreis@kreis.example',
      role: 'admin',
      officeIds: [],
      municipalityId: null,
      password: PASSWORD,
      actor: 'e2e',
    });
    secret = newTotpSecret(server.ctx.randomBytes(20));
    await server.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: secret })
      .where('id', '=', userId)
      .execute();
  });
  afterAll(async () => {
    await closureJobsIdle();
    await browser?.close();
    await server?.close();
  });

  async function login(page: Page) {
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'kreis@kreis.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
    server.clock.advance(30_000); // a TOTP step is accepted only once
    await page.fill('#code', totpCodeAt(secret, server.clock.now()));
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/code')), page.keyboard.press('Enter')]);
    // Staff of the whole Kreis work for one office at a time, like everyone else.
    await page.goto(`${server.url}/staff/standort`);
    await page.getByRole('radio', { name: 'Bürgerbüro Castrop Rathaus' }).check();
    await Promise.all([
      page.waitForURL((url) => !url.pathname.endsWith('/standort')),
      page.getByRole('button', { name: 'Auswählen' }).click(),
    ]);
  }

  /** axe runs as page script: scan a copy of the page in a context with JavaScript on, at the page's width. */
  async function scan(context: BrowserContext, page: Page, width: number): Promise<string[]> {
    const scanContext = await newContext(browser, { width });
    await scanContext.addCookies(await context.cookies());
    const scanPage = await scanContext.newPage();
    const html = await page.content();
    await scanPage.route('**/staff/scan-copy', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await scanPage.goto(`${server.url}/staff/scan-copy`);
    const found = await axeViolations(scanPage);
    await scanContext.close();
    return found;
  }

  it('the Kreis overview names every town with de-DE figures, passes axe and reflows at 375 px', async () => {
    const found: string[] = [];
    for (const width of [1280, 375]) {
      const context = await newContext(browser, { width });
      const page = await context.newPage();
      await login(page);
      await page.goto(`${server.url}/staff/statistik/kreis?von=2026-10-01&bis=2026-10-31`);
      const main = (await page.textContent('main'))!;
      for (const town of ['Stadt Castrop', 'Stadt Waltrop', 'Stadt Datteln']) expect(main).toContain(town);
      const overview = await readKreisOverview(server.ctx, KREIS, { from: '2026-10-01', to: '2026-10-31' });
      const figures = (id: string) => overview.towns.find((t) => t.municipalityId === id)!;
      expect(figures('castrop').booked).toBeGreaterThan(0);
      expect(main).toContain(figures('castrop').booked.toLocaleString('de-DE'));
      expect(main).toContain(figures('waltrop').served.toLocaleString('de-DE'));
      expect(main).toMatch(/\d+,\d\s?%/);
      // The total row adds up the rows shown (the browser town beside the Kreis has no row of its own).
      const total = await page.locator('tfoot tr').textContent();
      expect(total).toMatch(/^Kreis gesamt5/);
      expect(overview.total.booked).toBe(overview.towns.reduce((n, t) => n + t.booked, 0));
      expect(main).not.toMatch(/castrop-rathaus|waltrop-rathaus|\d+\.\d+\s?%/);
      found.push(...(await axeViolations(page)).map((v) => `${width}px: ${v}`));
      if (await overflowsHorizontally(page)) found.push(`reflow at ${width}px: ${(await wideElements(page)).join(', ')}`);
      await snap(page, `kreis-overview-${width}`);
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it('closes all of Castrop and Waltrop’s office in one step without JavaScript, every step passing axe at 1280 and 375 px', async () => {
    const found: string[] = [];
    for (const width of [1280, 375]) {
      const context = await newContext(browser, { javaScript: false, width });
      const page = await context.newPage();
      await login(page);
      const check = async (label: string) => {
        const shown = page.viewportSize()!.width;
        found.push(...(await scan(context, page, shown)).map((v) => `${label} ${shown}px: ${v}`));
        if (await overflowsHorizontally(page)) found.push(`${label} reflow at ${shown}px: ${(await wideElements(page)).join(', ')}`);
        await snap(page, `kreis-closure-${label}-${shown}`);
      };
      await page.goto(`${server.url}/staff/schliessungen`);
      await Promise.all([
        page.waitForURL('**/staff/schliessungen/mehrere'),
        page.getByRole('link', { name: 'Mehrere Standorte auf einmal schließen' }).click(),
      ]);
      await check('form');
      if (width !== 1280) {
        await context.close();
        continue; // the closures are made once; the narrow width checks the form here, the rest below
      }
      await page.getByRole('checkbox', { name: 'Alle Standorte von Stadt Castrop' }).check();
      await page.getByRole('checkbox', { name: 'Bürgerbüro Waltrop' }).check();
      await page.getByRole('radio', { name: 'Ganzer Tag' }).check();
      await page.fill('#datum', THURSDAY);
      await page.fill('#grund', 'Ausfall des Rechenzentrums');
      await Promise.all([
        page.waitForURL('**/staff/schliessungen/mehrere/vorschau'),
        page.getByRole('button', { name: 'Vorschau anzeigen' }).click(),
      ]);
      const preview = (await page.textContent('main'))!;
      expect(preview).toContain('3 Termine an 3 Standorten betroffen');
      expect(preview).toContain('Stadt Castrop zusammen');
      expect(preview).toContain('Stadt Waltrop zusammen');
      expect(preview).not.toContain('Datteln');
      await check('preview');
      // The preview at 375 px: the same page in a narrow window.
      await page.setViewportSize({ width: 375, height: 800 });
      await check('preview');
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await server.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);

      await Promise.all([
        page.waitForURL('**/staff/schliessungen/mehrere/ergebnis**'),
        // The warning says „erst mit „Jetzt schließen“ werden die Termine abgesagt“: the button reads so.
        page.getByRole('button', { name: 'Jetzt schließen (3 Standorte)', exact: true }).click(),
      ]);
      await closureJobsIdle();
      const summary = (await page.textContent('main'))!;
      expect(summary).toContain('Stadt Castrop: 2 Termine an 2 Standorten');
      expect(summary).toContain('Stadt Waltrop: 1 Termin an 1 Standort');
      expect(summary).not.toContain('Anna Castrop');
      await check('summary');
      await page.setViewportSize({ width: 375, height: 800 });
      await check('summary');
      const closed = await server.ctx.db.selectFrom('closure').select('office_id').orderBy('office_id').execute();
      expect(closed.map((c) => c.office_id)).toEqual(['castrop-habinghorst', 'castrop-rathaus', 'waltrop-rathaus']);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
