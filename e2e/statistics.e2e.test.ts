import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotLeadTimes } from '../src/app/statistics/lead-times.ts';
import { refreshStatistics } from '../src/app/statistics/refresh-statistics.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { generateMonth } from '../test/helpers/statistics-month.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** What sticks out at 320 px, so a failing reflow check says where. */
async function wideElements(page: Page): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
  )) as string[];
}

// The statistics page of a team lead and the public transparency page: zero axe violations,
// charts with text alternatives, reflow at 320 px (#8).

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('statistics and transparency pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let secret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ publishReleaseTime: true }), launch()]);
    await generateMonth(server.database.db, '2026-11', {
      perDay: 10,
      officeId: 'rathaus',
      services: ['personalausweis', 'wohnsitz', 'meldebescheinigung'],
    });
    await refreshStatistics(server.ctx);
    await snapshotLeadTimes(server.ctx);
    const { userId } = await createStaffUser(server.ctx, {
      email: 'lead@stadt.example',
      role: 'teamlead',
      officeIds: ['rathaus'],
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
    await browser?.close();
    await server?.close();
  });

  it('the statistics page passes axe at desktop width, 375 and 320 px, charts carry title and description', async () => {
    const found: string[] = [];
    for (const width of [1280, 375, 320]) {
      const context = await newContext(browser, { width });
      const page = await context.newPage();
      await page.goto(`${server.url}/staff/login`);
      await page.fill('#email', 'lead@stadt.example');
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
      server.clock.advance(30_000); // a TOTP step is accepted only once
      await page.fill('#code', totpCodeAt(secret, server.clock.now()));
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/code')), page.keyboard.press('Enter')]);
      await page.goto(`${server.url}/staff/standort`);
      await Promise.all([page.waitForURL('**/staff/tagesplan'), page.getByRole('button', { name: 'Auswählen' }).first().click()]);
      await page.goto(`${server.url}/staff/statistics?von=2026-11-01&bis=2026-11-25`);
      expect(await page.textContent('main')).toContain('Personalausweis beantragen: nächster Termin');
      expect(await page.locator('svg[role="img"] > title').count()).toBeGreaterThanOrEqual(2);
      // Arrivals and served by hour (#17 item 2): the chart, its table and the averages per weekday.
      expect(await page.locator('#chart-hours-title').textContent()).toBe('Ankünfte und Bediente nach Uhrzeit');
      expect(await page.getByRole('table', { name: 'Ankünfte je Stunde nach Wochentag (Durchschnitt je Öffnungstag)' }).count()).toBe(1);
      // Trends (#17 item 4): this week, the week before and a year before, with the service level.
      expect(await page.getByRole('table', { name: 'Kennzahlen dieser Woche, der Vorwoche und der Vorjahreswoche' }).count()).toBe(1);
      expect(await page.getByRole('heading', { name: 'Nach Schalter und Mitarbeitenden' }).count()).toBe(1);
      found.push(...(await axeViolations(page)).map((v) => `${width}px: ${v}`));
      if (width < 400 && (await overflowsHorizontally(page))) found.push(`reflow at ${width}px: ${(await wideElements(page)).join(', ')}`);
      await snap(page, `statistics-${width}`);
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it('the transparency page passes axe in German and English and at 320 px', async () => {
    const found: string[] = [];
    for (const [width, locale] of [
      [1280, 'de-DE'],
      [320, 'en-GB'],
    ] as const) {
      const context = await newContext(browser, { width, locale });
      const page = await context.newPage();
      await page.goto(`${server.url}/transparenz`);
      expect(await page.textContent('main')).toMatch(locale === 'de-DE' ? /Am kürzesten ist die Wartezeit/ : /The wait is shortest on/);
      found.push(...(await axeViolations(page)).map((v) => `${locale} ${width}px: ${v}`));
      if (width === 320 && (await overflowsHorizontally(page))) found.push(`reflow at 320px: ${(await wideElements(page)).join(', ')}`);
      await snap(page, `transparency-${locale}-${width}`);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
