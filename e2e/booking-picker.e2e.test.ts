import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, isFocused, launch, newContext, overflowsHorizontally, snap, visible } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// #24 item 5, fewer taps: choosing an office shows its times at once where JavaScript runs (the
// button stays for everyone else), „any office“ folds its times by office, and a day's times come
// in rows by hour, so the page stays short on a phone.

const PICK = '/buchen/termin?services=personalausweis&day=2026-11-26';

describe.skipIf(!hasChromium)('the time picker in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('with JavaScript: another office shows its times without a page load; focus stays on the choice', async () => {
    const context = await newContext(browser, { width: 375, height: 800 });
    const page = await context.newPage();
    await page.goto(`${server.url}${PICK}`);
    expect(await page.getByRole('button', { name: 'Standort übernehmen' }).count()).toBe(0);
    // Marks this document: it is gone if the browser loads a new page.
    await page.evaluate('window.samePage = true');
    await page.getByLabel('Stadtteilbüro Nord').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('office')).toBe('nord');
    await visible(page.getByText(/Uhr im Stadtteilbüro Nord$/));
    await expect.poll(() => page.locator('#zeiten-status').textContent()).toBe('Freie Termine im Stadtteilbüro Nord');
    expect(await page.evaluate('window.samePage === true')).toBe(true);
    expect(await isFocused(page.getByLabel('Stadtteilbüro Nord'))).toBe(true);
    // One office: its times in rows by hour, no folds.
    expect(await page.locator('details.time-office').count()).toBe(0);
    await visible(page.getByRole('list', { name: /^\d+ Uhr$/ }));
    await snap(page, 'picker-nord-375px');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await context.close();
  });

  it('„any office“ folds the times by office, the earliest open; a whole day fits a phone', async () => {
    const context = await newContext(browser, { width: 375, height: 800 });
    const page = await context.newPage();
    await page.goto(`${server.url}${PICK}&office=alle`);
    const folds = page.locator('details.time-office');
    expect(await folds.count()).toBe(2);
    expect(await folds.evaluateAll((all) => all.map((d) => (d as unknown as { open: boolean }).open))).toEqual([true, false]);
    expect(await folds.nth(1).locator('summary').textContent()).toMatch(/^\S.*: \d+ freie Zeiten von \d\d:\d\d bis \d\d:\d\d Uhr$/);
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    expect(height).toBeLessThan(3000);
    await snap(page, 'picker-any-375px');
    expect(await axeViolations(page)).toEqual([]);
    // The second office's times are one tap away, and a time keeps its full name for screen readers.
    await folds.nth(1).locator('summary').click();
    await visible(folds.nth(1).getByRole('link', { name: '08:00 Uhr' }));
    await context.close();
  });

  it('without JavaScript: the button takes the office, as before', async () => {
    const context = await newContext(browser, { width: 1280, height: 900, javaScript: false });
    const page = await context.newPage();
    await page.goto(`${server.url}${PICK}`);
    await page.getByLabel('Stadtteilbüro Nord').check();
    await page.getByRole('button', { name: 'Standort übernehmen' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('office')).toBe('nord');
    await visible(page.getByText(/Uhr im Stadtteilbüro Nord$/));
    await snap(page, 'picker-nord-1280px-nojs');
    await context.close();
  });
});
