import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// The staff pages at the counter: zero axe violations, usable with the keyboard alone, and the
// phone booking works in a real browser without JavaScript.

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('staff pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    for (const [email, role] of [
      ['clerk@stadt.example', 'clerk'],
      ['lead@stadt.example', 'teamlead'],
    ] as const) {
      const { userId } = await createStaffUser(server.ctx, {
        email,
        role,
        officeIds: ['rathaus', 'nord'],
        password: PASSWORD,
        actor: 'e2e',
      });
      if (role === 'clerk')
        await server.ctx.db.updateTable('staff_user').set({ must_change_password: false }).where('id', '=', userId).execute();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(context: BrowserContext, email: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.keyboard.press('Enter')]);
    return page;
  }

  it('a clerk books a caller with the keyboard alone, JavaScript off, and every page passes axe', async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await loggedIn(context, 'clerk@stadt.example');
    const violations: string[] = [];
    const scan = async (label: string) => {
      const scanContext = await newContext(browser);
      await scanContext.addCookies(await context.cookies());
      const scanPage = await scanContext.newPage();
      await scanPage.goto(page.url());
      violations.push(...(await axeViolations(scanPage)).map((v) => `${label}: ${v}`));
      await scanContext.close();
    };
    expect(page.url()).toContain('/staff/standort');
    await scan('office chooser');
    await page.getByRole('button', { name: 'Auswählen' }).focus();
    await Promise.all([page.waitForURL('**/staff/tagesplan', { timeout: 10_000 }), page.keyboard.press('Enter')]);
    expect(page.url()).toContain('/staff/tagesplan');
    await scan('day plan');

    await page.goto(`${server.url}/staff/telefon`);
    await scan('phone booking, empty');
    await page.selectOption('#service', 'abholung');
    await Promise.all([
      page.waitForURL('**/staff/telefon?**', { timeout: 10_000 }),
      page.getByRole('button', { name: 'Freie Zeiten suchen' }).click(),
    ]);
    await scan('phone booking, slots');
    await page.fill('#name', 'Otto Anrufer');
    await page.fill('#phone', '0221 555 01');
    await page.focus('#phone');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.staff-reference', { timeout: 10_000 });
    const reference = (await page.textContent('.staff-reference'))!.trim();
    expect(reference).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    // Scanning a POST result would re-submit it; the day plan now shows the booking instead.
    await page.goto(`${server.url}/staff/tagesplan?q=${reference}`);
    expect(await page.textContent('main')).toContain('Otto Anrufer');
    await Promise.all([page.waitForURL('**/staff/termine/**'), page.click(`text=${reference}`)]);
    await scan('appointment detail');
    await page.goto(`${server.url}/staff/suche?q=Otto`);
    await scan('search');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the login, password and TOTP enrolment pages pass axe and reflow at 320 px', async () => {
    const context = await newContext(browser, { width: 320 });
    const page = await loggedIn(context, 'lead@stadt.example');
    expect(page.url()).toContain('/staff/passwort');
    const found = [...(await axeViolations(page))];
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.fill('#current', PASSWORD);
    await page.fill('#new', 'Kaffee am Schalter um sieben');
    await page.fill('#repeat', 'Kaffee am Schalter um sieben');
    await Promise.all([
      page.waitForURL('**/staff/zwei-faktor', { timeout: 10_000 }),
      page.getByRole('button', { name: 'Passwort speichern' }).click(),
    ]);
    expect(page.url()).toContain('/staff/zwei-faktor');
    found.push(...(await axeViolations(page)));
    expect(await overflowsHorizontally(page)).toBe(false);
    const fresh = await (await newContext(browser, { width: 320 })).newPage();
    await fresh.goto(`${server.url}/staff/login`);
    found.push(...(await axeViolations(fresh)));
    expect(await overflowsHorizontally(fresh)).toBe(false);
    expect(found).toEqual([]);
    await context.close();
  });
});
