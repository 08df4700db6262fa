import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeCapacity } from '../src/app/booking/materialize-capacity.ts';
import { invalidateCatalogue } from '../src/app/shared/catalogue.ts';
import { applyThreeTowns } from '../test/helpers/three-towns.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// #20: one server, three towns of a Kreis beside the browser town. The Kreis start page lists them;
// two towns' sites under their prefix show their own name, services and offices, and a link
// followed on a town's site stays on that site. axe finds nothing at 1280 and 375 px.

describe.skipIf(!hasChromium)('each town its own site, in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    await applyThreeTowns(server.ctx);
    invalidateCatalogue(server.ctx.db);
    await materializeCapacity(server.ctx);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 375]) {
    it(`at ${width} px: the Kreis start page and the sites of Castrop and Waltrop`, async () => {
      const context = await newContext(browser, { width, height: 900 });
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { level: 1, name: 'Termine in den Städten des Kreises' }).waitFor();
      for (const town of ['Stadt Castrop', 'Stadt Waltrop', 'Stadt Datteln']) await page.getByRole('link', { name: town }).waitFor();
      await snap(page, `kreis-start-${width}px`);
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await axeViolations(page)).toEqual([]);

      for (const [id, name, own, other] of [
        ['castrop', 'Stadt Castrop', 'Meldebescheinigung', 'Führungszeugnis beantragen'],
        ['waltrop', 'Stadt Waltrop', 'Führungszeugnis beantragen', 'Meldebescheinigung'],
      ] as const) {
        await page.goto(`${server.url}/${id}/`);
        await page.getByRole('link', { name: `${name} – Terminvereinbarung` }).waitFor();
        await page.getByText(own, { exact: false }).first().waitFor();
        expect(await page.getByText(other).count()).toBe(0);
        await snap(page, `town-site-${id}-${width}px`);
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(await axeViolations(page)).toEqual([]);
        // The header's Leichte-Sprache link stays on the town's site.
        await page.getByRole('link', { name: 'Leichte Sprache' }).click();
        await page.getByRole('heading', { level: 1, name: 'Leichte Sprache' }).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/${id}/leichte-sprache`);
        await page.getByText(name).first().waitFor();
      }
      await context.close();
    });
  }
});
