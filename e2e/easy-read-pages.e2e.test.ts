import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// #24 item 1: /leichte-sprache and /gebaerdensprache of the demo town at 1280 and 375 px, with and
// without JavaScript, reached from the header of the start page: axe finds nothing, nothing scrolls
// sideways, and the Leichte-Sprache text is set in large type.

describe.skipIf(!hasChromium)('Leichte Sprache and Gebärdensprache in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 375]) {
    for (const javaScript of [true, false]) {
      it(`at ${width} px ${javaScript ? 'with' : 'without'} JavaScript: both pages from the header; no axe violation`, async () => {
        const context = await newContext(browser, { width, height: 900, javaScript });
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await page.getByRole('navigation', { name: 'Barrierefreie Angebote' }).getByRole('link', { name: 'Leichte Sprache' }).click();
        expect(new URL(page.url()).pathname).toBe('/leichte-sprache');
        await page.getByRole('heading', { level: 1, name: 'Leichte Sprache' }).waitFor();
        await page.getByRole('heading', { level: 2, name: 'So sagen Sie einen Termin ab' }).waitFor();
        const size = await page
          .getByText('Ein Termin ist eine feste Zeit.')
          .evaluate((el) =>
            parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize),
          );
        expect(size).toBeGreaterThanOrEqual(19);
        await snap(page, `leichte-sprache-${width}px${javaScript ? '' : '-nojs'}`);
        expect(await overflowsHorizontally(page)).toBe(false);
        if (javaScript) expect(await axeViolations(page)).toEqual([]);

        await page.getByRole('navigation', { name: 'Barrierefreie Angebote' }).getByRole('link', { name: 'Gebärdensprache' }).click();
        expect(new URL(page.url()).pathname).toBe('/gebaerdensprache');
        await page.getByRole('heading', { level: 2, name: 'Mit Dolmetschung zum Termin' }).waitFor();
        await snap(page, `gebaerdensprache-${width}px${javaScript ? '' : '-nojs'}`);
        expect(await overflowsHorizontally(page)).toBe(false);
        if (javaScript) expect(await axeViolations(page)).toEqual([]);
        await context.close();
      });
    }
  }

  it('in English: no axe violation', async () => {
    const context = await newContext(browser, { width: 375, height: 900, locale: 'en-GB' });
    const page = await context.newPage();
    for (const [url, heading] of [
      ['/leichte-sprache?lang=en', 'Easy Read'],
      ['/gebaerdensprache?lang=en', 'German Sign Language (DGS)'],
    ] as const) {
      await page.goto(`${server.url}${url}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await snap(page, `${url.slice(1, url.indexOf('?'))}-375px-en`);
      expect(await axeViolations(page)).toEqual([]);
    }
    await context.close();
  });
});
