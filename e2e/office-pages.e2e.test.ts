import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../src/app/setup/apply-town-file.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// #24 item 4 and #21: the office page /standorte/{office} of the demo town, read in a browser at
// 1280 and 375 px, with and without JavaScript: axe finds nothing, nothing scrolls sideways, and the
// town's crest shows in the header.

const examples = path.resolve(import.meta.dirname, '../examples');

describe.skipIf(!hasChromium)('office pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    await applySetup(server.ctx, fs.readFileSync(path.join(examples, 'musterstadt.yaml'), 'utf8'), {
      actor: 'cli',
      logo: new Uint8Array(fs.readFileSync(path.join(examples, 'musterstadt-wappen.svg'))),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 375]) {
    for (const javaScript of [true, false]) {
      it(`at ${width} px ${javaScript ? 'with' : 'without'} JavaScript: hours, accessibility, the crest; no axe violation`, async () => {
        const context = await newContext(browser, { width, height: 900, javaScript });
        const page = await context.newPage();
        await page.goto(`${server.url}/barrierefreiheit`);
        await page.getByRole('link', { name: 'Bürgerbüro Rathaus' }).click();
        expect(new URL(page.url()).pathname).toBe('/standorte/rathaus');
        await page.getByRole('heading', { level: 1, name: 'Bürgerbüro Rathaus' }).waitFor();
        await page.getByRole('table', { name: 'Öffnungszeiten in den nächsten zwei Wochen' }).waitFor();
        expect(await page.getByRole('row', { name: /^Mi\., 25\.11\.2026 \(heute\)/ }).textContent()).toContain('08:00–12:30 Uhr');
        expect(await page.getByText('Induktionsschleife für Hörgeräte').count()).toBe(1);
        const crest = page.locator('img.site-header__logo');
        await crest.waitFor();
        expect(await crest.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(true);
        await snap(page, `office-rathaus-${width}px${javaScript ? '' : '-nojs'}`);
        expect(await overflowsHorizontally(page)).toBe(false);
        if (javaScript) expect(await axeViolations(page)).toEqual([]);
        await context.close();
      });
    }
  }

  it('in English: no axe violation', async () => {
    const context = await newContext(browser, { width: 375, height: 900, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/standorte/nord?lang=en`);
    await page.getByRole('heading', { level: 2, name: 'Opening hours' }).waitFor();
    expect(await page.getByText('No accessible toilet').count()).toBe(1);
    await snap(page, 'office-nord-375px-en');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
