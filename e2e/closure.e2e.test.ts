import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { closureJobsIdle } from '../src/app/closures/closure-runner.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// A team lead closes the office in a real Chromium without JavaScript (#5): form -> preview ->
// commit -> progress, every step without axe violations, the form also at 320 px.

const PASSWORD = 'Pferd Batterie Heftklammer';

/** The innermost elements that stick out to the right: what breaks reflow. */
async function wideElements(page: Page): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
  )) as string[];
}

describe.skipIf(!hasChromium)('closing an office in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let secret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    await server.ctx.db
      .insertInto('counter')
      .values([1, 2].map((number) => ({ office_id: 'rathaus', number, name: `Schalter ${number}` })))
      .execute();
    const people = [
      { name: 'Erika Mail', email: 'erika@example.org', phone: null },
      { name: 'Otto Festnetz', email: null, phone: '0221 4710 555' },
    ];
    for (const [i, citizen] of people.entries()) {
      await bookAppointment(server.ctx, {
        officeId: 'rathaus',
        start: Date.parse(`2026-11-25T${10 + i}:00:00+01:00`),
        services: [{ serviceId: 'meldebescheinigung', persons: 1 }],
        citizen,
        language: 'de',
        channel: 'phone',
      });
    }
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
    await closureJobsIdle();
    await browser?.close();
    await server?.close();
  });

  async function login(page: Page) {
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'lead@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
    server.clock.advance(30_000); // a TOTP step is accepted only once
    await page.fill('#code', totpCodeAt(secret, server.clock.now()));
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/code')), page.keyboard.press('Enter')]);
  }

  it('form -> preview -> commit -> progress, without JavaScript, and every page passes axe', async () => {
    const context = await newContext(browser, { javaScript: false, width: 1280 });
    const page = await context.newPage();
    await login(page);
    const found: string[] = [];
    // axe runs as page script: scan a copy of the page in a context with JavaScript on.
    const scan = async (label: string, html?: string) => {
      const scanContext = await newContext(browser, { width: 1280 });
      await scanContext.addCookies(await context.cookies());
      const scanPage = await scanContext.newPage();
      if (html)
        await scanPage.route('**/staff/scan-copy', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
      await scanPage.goto(html ? `${server.url}/staff/scan-copy` : page.url());
      found.push(...(await axeViolations(scanPage)).map((v) => `${label}: ${v}`));
      await scanContext.close();
    };

    await page.getByRole('link', { name: 'Schließungen' }).click();
    await page.waitForURL('**/staff/schliessungen');
    await scan('form');
    await snap(page, 'closure-form');

    // A mistake first: no reason given.
    await page.getByRole('radio', { name: 'Ganzer Tag' }).check();
    await Promise.all([
      page.waitForURL('**/staff/schliessungen/vorschau'),
      page.getByRole('button', { name: 'Vorschau anzeigen' }).click(),
    ]);
    expect(await page.textContent('main')).toContain('Bitte einen Grund angeben.');
    await scan('form with errors', await page.content());
    await snap(page, 'closure-form-errors');

    await page.fill('#grund', 'Ausfall des Rechenzentrums');
    await page.getByRole('radio', { name: 'Ab jetzt bis heute 18:00 Uhr' }).check();
    await Promise.all([
      page.waitForURL('**/staff/schliessungen/vorschau'),
      page.getByRole('button', { name: 'Vorschau anzeigen' }).click(),
    ]);
    const preview = (await page.textContent('main'))!;
    expect(preview).toContain('2 Termine betroffen');
    expect(preview).toContain('per E-Mail erreichbar');
    await scan('preview', await page.content());
    await snap(page, 'closure-preview');
    expect(await server.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);

    await Promise.all([
      page.waitForURL(/\/staff\/schliessungen\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Jetzt schließen' }).click(),
    ]);
    await closureJobsIdle();
    await page.getByRole('link', { name: 'Jetzt aktualisieren' }).click();
    const progress = (await page.textContent('main'))!;
    expect(progress).toContain('Abgeschlossen');
    expect(progress).toContain('Erika Mail');
    expect(progress).toContain('Otto Festnetz');
    // Erika's mail is still queued: the page offers to refresh itself, and does so only when asked.
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await page.getByRole('link', { name: 'Automatisch aktualisieren (alle 10 Sekunden)' }).click();
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    await page.getByRole('link', { name: 'Automatische Aktualisierung beenden' }).click();
    await scan('progress');
    await snap(page, 'closure-progress');

    await page.getByRole('link', { name: 'Alle Schließungen' }).click();
    expect(await page.textContent('main')).toContain('Ausfall des Rechenzentrums');
    await page.getByRole('link', { name: 'Nachrichten', exact: true }).click();
    expect(await page.textContent('main')).toContain('Absage wegen Schließung');
    await scan('messages');
    await snap(page, 'closure-messages');

    // The municipality's wording, previewed for a sample appointment in German and English.
    // The wording is one kind of the texts pages (#19); the closure notice's first address leads there.
    await page.goto(`${server.url}/staff/vorlagen`);
    expect(await page.textContent('main')).toContain('Guten Tag Erika Mustermann');
    await scan('message texts');
    await page.fill('#intro-de', 'wegen {reason} bleibt das {office} heute geschlossen.');
    await Promise.all([
      page.waitForURL('**/staff/verwaltung/texte/schliessung'),
      page.getByRole('button', { name: 'Vorschau anzeigen' }).click(),
    ]);
    expect(await page.textContent('main')).toContain('wegen technische Störung bleibt das Bürgerbüro Rathaus heute geschlossen.');
    await scan('message texts preview', await page.content());
    await snap(page, 'closure-templates');
    expect(found).toEqual([]);
    await context.close();
  });

  it('the closure form reflows at 320 px and passes axe in English', async () => {
    const context = await newContext(browser, { width: 320, locale: 'en-GB' });
    const page = await context.newPage();
    await login(page);
    await page.goto(`${server.url}/staff/schliessungen?lang=en`);
    expect(await page.textContent('main')).toContain('From now until 18:00 today');
    const found = await axeViolations(page);
    if (await overflowsHorizontally(page)) found.push(`reflow at 320px: ${(await wideElements(page)).join(', ')}`);
    await snap(page, 'closure-form-320-en');
    await page.goto(`${server.url}/staff/vorlagen?lang=en`);
    found.push(...(await axeViolations(page)).map((v) => `templates: ${v}`));
    if (await overflowsHorizontally(page)) found.push(`templates reflow at 320px: ${(await wideElements(page)).join(', ')}`);
    await snap(page, 'closure-templates-320-en');
    expect(found).toEqual([]);
    await context.close();
  });
});
