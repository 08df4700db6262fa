import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, newContext, snap } from './helpers/browser.ts';
import { focused, tabTo, type Focused } from './helpers/keyboard.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Booking with the keyboard alone (WCAG 2.1.1), in a sensible order (2.4.3), always seeing where
// the focus is (2.4.7), starting with the skip link (2.4.1).

describe.skipIf(!hasChromium)('keyboard only', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('books an appointment with Tab, arrow keys, Space and Enter, and focus is always visible', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const stops: Focused[] = [];
    await page.goto(server.url);

    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.name).toBe('Zum Inhalt springen');
    expect((await page.getByRole('link', { name: 'Zum Inhalt springen' }).boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await snap(page, 'kbd-1-skip-link');
    stops.push(skip);
    await page.keyboard.press('Enter');

    stops.push(...(await tabTo(page, 'Anzahl Personen: Personalausweis beantragen')));
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#anliegen-personalausweis').inputValue()).toBe('1');
    await snap(page, 'kbd-2-service');
    stops.push(...(await tabTo(page, 'Weiter zur Terminauswahl')));
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Termin wählen' }).waitFor();
    stops.push(...(await tabTo(page, 'Diesen Termin wählen')));
    await snap(page, 'kbd-3-earliest');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Ihre Angaben' }).waitFor();
    stops.push(...(await tabTo(page, 'Vor- und Nachname')));
    await page.keyboard.type('Karla Tastatur');
    stops.push(...(await tabTo(page, 'E-Mail-Adresse')));
    await page.keyboard.type('karla@example.org');
    stops.push(...(await tabTo(page, 'Ich bin einverstanden')));
    await page.keyboard.press('Space');
    await snap(page, 'kbd-4-details');
    stops.push(...(await tabTo(page, 'Termin buchen')));
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Vielen Dank für Ihre Buchung' }).waitFor({ timeout: 30_000 });
    await snap(page, 'kbd-5-booked');
    expect(stops.filter((s) => !s.indicator).map((s) => `${s.tag}: ${s.name}`)).toEqual([]);
    await context.close();
  });
});
