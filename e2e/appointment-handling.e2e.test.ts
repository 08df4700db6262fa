import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// #22, appointment handling, in a real Chromium: a clerk finds a caller's appointment by the search
// field, corrects the contact and the note, sends the confirmation again and cancels it with a reason
// and a confirmation step. At 1280 and 375 px every page passes axe and needs no sideways scrolling;
// the same walk works with JavaScript off (the pages are plain forms).

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('appointment handling by staff in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    const { userId } = await createStaffUser(server.ctx, {
      email: 'clerk@stadt.example',
      role: 'clerk',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: 'e2e',
    });
    await server.ctx.db.updateTable('staff_user').set({ must_change_password: false }).where('id', '=', userId).execute();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'clerk@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.keyboard.press('Enter')]);
    if (page.url().includes('/staff/standort'))
      await Promise.all([page.waitForURL('**/staff/tagesplan'), page.getByRole('button', { name: 'Auswählen' }).click()]);
    return page;
  }

  /** A phone booking with an email address, through the page, so the walk has its own appointment. */
  async function bookCaller(page: Page, name: string, email: string): Promise<string> {
    await page.goto(`${server.url}/staff/telefon?service=abholung&persons=1`);
    await page.fill('#name', name);
    await page.fill('#phone', '0221 555 01');
    await page.fill('#email', email);
    await Promise.all([
      page.waitForSelector('.staff-reference', { timeout: 10_000 }),
      page.getByRole('button', { name: 'Verbindlich buchen' }).click(),
    ]);
    return (await page.textContent('.staff-reference'))!.trim();
  }

  async function walk(page: Page, label: string, check: (step: string) => Promise<void>) {
    const reference = await bookCaller(page, `Gerda ${label}`, `gerda-${label}@example.org`);
    await page.goto(`${server.url}/staff/suche?q=${encodeURIComponent(`GERDA-${label}@example`)}`);
    expect(await page.textContent('main')).toContain('1 Termin gefunden');
    await check('search');
    await Promise.all([page.waitForURL('**/staff/termine/**'), page.click(`text=${reference}`)]);
    await check('detail');

    await Promise.all([page.waitForURL('**/bearbeiten'), page.getByRole('link', { name: 'Termin bearbeiten' }).click()]);
    await check('edit');
    await page.fill('#phone', 'keine Nummer');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Änderungen speichern' }).click()]);
    expect(await page.textContent('main')).toContain('Bitte eine Telefonnummer aus Ziffern eingeben');
    await check('edit, error');
    await page.fill('#phone', '0221 555 02');
    await page.fill('#note', 'Bringt die Vollmacht der Tochter mit.');
    await Promise.all([page.waitForURL('**?ok=geaendert'), page.getByRole('button', { name: 'Änderungen speichern' }).click()]);
    expect(await page.textContent('main')).toContain('Bringt die Vollmacht der Tochter mit.');
    await check('detail, changed');

    await Promise.all([page.waitForURL('**?ok=gesendet'), page.getByRole('button', { name: 'Bestätigung erneut senden' }).click()]);
    await check('detail, confirmation sent again');

    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Weiter zur Bestätigung' }).click()]);
    expect(await page.textContent('main')).toContain('Bitte wählen Sie einen Grund.');
    await check('cancel, no reason');
    await page.check('#reason-duplicate');
    await page.fill('#explanation', 'Ihr Termin am Freitag bleibt bestehen.');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Weiter zur Bestätigung' }).click()]);
    expect(await page.textContent('h1')).toBe(`Termin ${reference} wirklich absagen?`);
    await check('cancel, confirmation');
    await Promise.all([page.waitForURL('**?ok=storniert'), page.getByRole('button', { name: 'Ja, Termin absagen' }).click()]);
    expect(await page.textContent('main')).toContain('Der Termin wurde abgesagt.');
    await check('detail, cancelled');
    return reference;
  }

  for (const width of [1280, 375]) {
    it(`at ${width} px: search, correct, send again, cancel with a reason — axe 0, no sideways scrolling`, async () => {
      const context = await newContext(browser, { width });
      const page = await loggedIn(context);
      const found: string[] = [];
      const reference = await walk(page, `w${width}`, async (step) => {
        found.push(...(await axeViolations(page)).map((v) => `${step}: ${v}`));
        if (await overflowsHorizontally(page)) found.push(`${step}: scrolls sideways`);
        await snap(page, `appointment-handling-${step.replace(/[^a-z]+/g, '-')}-${width}`);
      });
      expect(found).toEqual([]);
      const row = await server.ctx.db
        .selectFrom('appointment')
        .select(['status', 'citizen_phone', 'staff_note'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'cancelled', citizen_phone: '0221 555 02', staff_note: 'Bringt die Vollmacht der Tochter mit.' });
      await context.close();
    });
  }

  it('the same walk works with JavaScript off', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await loggedIn(context);
    const reference = await walk(page, 'nojs', async () => {});
    const row = await server.ctx.db.selectFrom('appointment').select('status').where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    await context.close();
  });
});
