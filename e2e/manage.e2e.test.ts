import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, newContext, snap, visible } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Moving and cancelling from the manage link, in a browser, with and without JavaScript.

describe.skipIf(!hasChromium)('managing an appointment in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function book(start: string, email: string): Promise<string> {
    const res = await fetch(`${server.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 'rathaus',
        start,
        services: [{ serviceId: 'personalausweis', persons: 1 }],
        citizen: { name: 'Erika Mustermann', email },
        language: 'de',
      }),
    });
    expect(res.status).toBe(201);
    return `${server.url}/termin/${((await res.json()) as { manageToken: string }).manageToken}`;
  }

  async function statusOf(page: Page): Promise<string | null> {
    return page.locator('dt:text-is("Status") + dd').textContent();
  }

  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'js' : 'nojs';
    const [newTime, newEnd] = javaScript ? ['10:30', '10:45'] : ['11:00', '11:15'];

    it(`moves an appointment to another day and time (${mode})`, async () => {
      const manage = await book(javaScript ? '2026-11-26T08:00:00+01:00' : '2026-11-26T08:30:00+01:00', `move-${mode}@example.org`);
      const context = await newContext(browser, { javaScript });
      const page = await context.newPage();
      await page.goto(manage);
      await snap(page, `move-${mode}-1-manage`);
      await page.getByRole('link', { name: 'Termin verschieben' }).click();
      await page.getByRole('heading', { level: 1, name: 'Termin verschieben' }).waitFor();
      await page.getByRole('link', { name: 'Montag, 30. November 2026, freie Termine' }).click();
      await page.getByRole('heading', { name: 'Freie Uhrzeiten am Montag, 30. November 2026' }).waitFor();
      await snap(page, `move-${mode}-2-picker`);
      await page
        .getByRole('link', { name: `${newTime} Uhr` })
        .first()
        .click();
      await page.getByRole('heading', { name: 'Neuen Termin bestätigen' }).waitFor();
      await visible(page.getByText(`Mo., 30.11.2026, ${newTime} Uhr – ${newEnd} Uhr, Bürgerbüro Rathaus`));
      await snap(page, `move-${mode}-3-confirm`);
      await page.getByRole('button', { name: 'Termin verschieben' }).click();
      await visible(page.getByText('Ihr Termin wurde verschoben.'));
      await visible(page.getByText(`Mo., 30.11.2026, ${newTime} Uhr – ${newEnd} Uhr`));
      await snap(page, `move-${mode}-4-moved`);
      await context.close();
    });

    it(`cancels only after the confirmation step (${mode})`, async () => {
      const manage = await book(javaScript ? '2026-11-27T08:00:00+01:00' : '2026-11-27T08:30:00+01:00', `cancel-${mode}@example.org`);
      const context = await newContext(browser, { javaScript });
      const page = await context.newPage();
      await page.goto(manage);
      await page.getByRole('link', { name: 'Termin absagen' }).click();
      await page.getByRole('heading', { name: 'Möchten Sie diesen Termin wirklich absagen?' }).waitFor();
      await snap(page, `cancel-${mode}-1-question`);
      await page.getByRole('link', { name: 'Nein, Termin behalten' }).click();
      expect(await statusOf(page)).toBe('Reserviert – noch nicht bestätigt');
      await page.getByRole('link', { name: 'Termin absagen' }).click();
      await page.getByRole('button', { name: 'Ja, Termin absagen' }).click();
      await visible(page.getByText('Ihr Termin wurde abgesagt.'));
      expect(await statusOf(page)).toBe('Abgesagt');
      await visible(page.getByRole('link', { name: 'Neuen Termin buchen' }));
      await snap(page, `cancel-${mode}-2-cancelled`);
      await context.close();
    });
  }
});
