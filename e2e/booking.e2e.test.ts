import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, isFocused, launch, newContext, snap, visible } from './helpers/browser.ts';
import { confirmLinkFor, startTestServer, type TestServer } from './helpers/server.ts';

// The whole booking flow in a real Chromium, once with JavaScript (ALTCHA proof of work in the
// background) and once without (plain forms, the rate-limited fallback).

describe.skipIf(!hasChromium)('booking in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectAccessible(page: Page) {
    expect(await axeViolations(page)).toEqual([]);
  }

  async function chooseServicesAndTime(page: Page, shot: string) {
    await page.goto(server.url);
    await snap(page, `${shot}-1-start`);
    await page.getByLabel('Anzahl Personen: Personalausweis beantragen').selectOption('2');
    await page.getByLabel('Anzahl Personen: Meldebescheinigung').selectOption('1');
    await page.getByRole('button', { name: 'Weiter zur Terminauswahl' }).click();
    await expect.poll(() => page.url()).toContain('/buchen/termin?services=personalausweis%3A2%2Cmeldebescheinigung');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Termin wählen');
    await snap(page, `${shot}-2-calendar`);
    await page.getByRole('link', { name: 'Donnerstag, 26. November 2026, freie Termine' }).click();
    await page.getByRole('heading', { name: 'Freie Uhrzeiten am Donnerstag, 26. November 2026' }).waitFor();
    await snap(page, `${shot}-3-day`);
  }

  async function fillDetails(page: Page, name: string, email: string) {
    await page.getByLabel('Vor- und Nachname').fill(name);
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Ich bin einverstanden').check();
  }

  it('with JavaScript: choose, book (proof of work runs on submit), see the confirmation, confirm by mail link', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await chooseServicesAndTime(page, 'js');
    await page.getByRole('link', { name: '09:00 Uhr' }).first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ihre Angaben');
    await fillDetails(page, 'Erika Mustermann', 'erika@example.org');
    await snap(page, 'js-4-details');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/buchen/angaben'));
    const started = Date.now();
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    expect((await posted).postData()).toMatch(/(^|&)altcha=[A-Za-z0-9%]+/);
    await page.getByRole('heading', { name: 'Vielen Dank für Ihre Buchung' }).waitFor();
    console.log(`proof of work and booking took ${Date.now() - started} ms`);
    await visible(page.getByText('Fast geschafft: Bitte bestätigen Sie Ihren Termin'));
    await visible(page.getByText('Do., 26.11.2026, 09:00 Uhr – 09:35 Uhr'));
    await visible(page.getByText('84,00 €'));
    await snap(page, 'js-5-booked');
    await expectAccessible(page);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Kalenderdatei (.ics) herunterladen' }).click();
    expect((await download).suggestedFilename()).toMatch(/^termin-[A-Z0-9]{3}-[A-Z0-9]{3}\.ics$/);

    await page.goto(await confirmLinkFor(server, 'erika@example.org'));
    await snap(page, 'js-6-confirm');
    await page.getByRole('button', { name: 'Termin bestätigen' }).click();
    await visible(page.getByText('Ihr Termin ist bestätigt. Wir freuen uns auf Ihren Besuch.'));
    await snap(page, 'js-7-confirmed');
    await context.close();
  });

  it('without JavaScript: the same flow works with plain forms and redirects', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await chooseServicesAndTime(page, 'nojs');
    await page.getByRole('link', { name: '10:00 Uhr' }).first().click();
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    // Nothing entered: the error summary lists every problem and links to the fields.
    expect(await page.title()).toMatch(/^Fehler: Ihre Angaben/);
    await snap(page, 'nojs-4-errors');
    await page.getByRole('link', { name: 'Bitte geben Sie Ihren Namen ein.' }).click();
    expect(await isFocused(page.getByLabel('Vor- und Nachname'))).toBe(true);
    await fillDetails(page, 'Max Mustermann', 'max@example.org');
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    await page.getByRole('heading', { name: 'Vielen Dank für Ihre Buchung' }).waitFor();
    await snap(page, 'nojs-5-booked');

    await page.goto(await confirmLinkFor(server, 'max@example.org'));
    await page.getByRole('button', { name: 'Termin bestätigen' }).click();
    await visible(page.getByText('Ihr Termin ist bestätigt.', { exact: false }));
    await visible(page.getByText('Bestätigt', { exact: true }));
    await context.close();
  });

  it('when the time is taken while the citizen types, shows the nearest alternatives and keeps the entries', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/buchen/angaben?services=wohnsitz&office=nord&start=2026-11-27T09%3A00%3A00%2B01%3A00`);
    await fillDetails(page, 'Lena Langsam', 'lena@example.org');
    await page.getByLabel('Telefonnummer').fill('0221 4710 555');
    // Meanwhile someone else books the same time through the API.
    const quick = await fetch(`${server.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 'nord',
        start: '2026-11-27T09:00:00+01:00',
        services: [{ serviceId: 'wohnsitz', persons: 1 }],
        citizen: { name: 'Schnell', phone: '0221 1' },
      }),
    });
    expect(quick.status).toBe(201);
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    await visible(page.getByText('Dieser Termin ist leider nicht mehr frei'));
    expect(await page.getByLabel('Vor- und Nachname').inputValue()).toBe('Lena Langsam');
    expect(await page.getByLabel('Telefonnummer').inputValue()).toBe('0221 4710 555');
    expect(await page.getByLabel('Ich bin einverstanden').isChecked()).toBe(true);
    await snap(page, 'taken-1-alternatives');
    await expectAccessible(page);
    await page.getByLabel('Fr., 27.11.2026, 09:10 Uhr').check();
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    await page.getByRole('heading', { name: 'Vielen Dank für Ihre Buchung' }).waitFor();
    await visible(page.getByText('Fr., 27.11.2026, 09:10 Uhr – 09:20 Uhr'));
    await context.close();
  });
});
