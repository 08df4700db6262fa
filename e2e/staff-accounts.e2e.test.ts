import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Issue #19: an admin creates a clerk, the clerk logs in in a second browser, the admin deactivates
// the clerk, and the clerk's next click is refused. The accounts pages pass axe at 1280 and 320 px.

const PASSWORD = 'Pferd Batterie Heftklammer';
const CLERK_PASSWORD = 'Kaffee am Schalter um sieben';

describe.skipIf(!hasChromium)('staff accounts in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let totpSecret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    const { userId } = await createStaffUser(server.ctx, {
      email: 'it@stadt.example',
      role: 'admin',
      officeIds: [],
      password: PASSWORD,
      actor: 'e2e',
    });
    totpSecret = newTotpSecret(server.ctx.randomBytes(20));
    await server.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: totpSecret })
      .where('id', '=', userId)
      .execute();
    await createStaffUser(server.ctx, {
      email: 'leitung@stadt.example',
      role: 'teamlead',
      officeIds: ['rathaus', 'nord'],
      password: PASSWORD,
      actor: 'e2e',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function adminPage(width: number): Promise<Page> {
    const context = await newContext(browser, { width });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'it@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
    // One code per time step: each login of the test moves the clock on.
    server.clock.advance(30_000);
    await page.fill('#code', totpCodeAt(totpSecret, server.clock.now()));
    await Promise.all([page.waitForURL('**/staff/standort'), page.keyboard.press('Enter')]);
    return page;
  }

  it('admin creates a clerk, the clerk logs in elsewhere, the admin deactivates them, the clerk’s next click lands on the login page', async () => {
    const admin = await adminPage(1280);
    await admin.getByRole('link', { name: 'Verwaltung' }).click();
    await admin.waitForURL('**/staff/verwaltung/konten');
    await admin.getByRole('link', { name: 'Neues Konto anlegen' }).click();
    await admin.fill('#email', 'maria.weber@stadt.example');
    await admin.fill('#name', 'Maria Weber');
    await admin.check('#role-clerk');
    await admin.getByLabel('Bürgerbüro Rathaus').check();
    await snap(admin, 'accounts-create-form-1280');
    await Promise.all([admin.waitForSelector('.staff-one-time-password'), admin.getByRole('button', { name: 'Konto anlegen' }).click()]);
    const oneTime = (await admin.textContent('.staff-one-time-password code'))!.trim();
    await snap(admin, 'accounts-one-time-password-1280');

    const clerkContext = await newContext(browser, { width: 1280 });
    const clerk = await clerkContext.newPage();
    await clerk.goto(`${server.url}/staff/login`);
    await clerk.fill('#email', 'maria.weber@stadt.example');
    await clerk.fill('#password', oneTime);
    await Promise.all([clerk.waitForURL('**/staff/passwort'), clerk.keyboard.press('Enter')]);
    await clerk.fill('#current', oneTime);
    await clerk.fill('#new', CLERK_PASSWORD);
    await clerk.fill('#repeat', CLERK_PASSWORD);
    await Promise.all([clerk.waitForURL('**/staff/tagesplan'), clerk.getByRole('button', { name: 'Passwort speichern' }).click()]);

    await admin.goto(`${server.url}/staff/verwaltung/konten`);
    const list = (await admin.textContent('main'))!;
    expect(list).toContain('maria.weber@stadt.example');
    expect(list).toMatch(/Mi\., 25\.11\.2026, 08:0\d/);
    await admin.getByRole('link', { name: 'maria.weber@stadt.example bearbeiten' }).click();
    await snap(admin, 'accounts-detail-1280');
    await admin.getByRole('link', { name: 'Konto deaktivieren' }).click();
    await admin.waitForURL('**/deaktivieren');
    await snap(admin, 'accounts-confirm-1280');
    await Promise.all([admin.waitForURL('**?ok=deaktiviert'), admin.getByRole('button', { name: 'Ja, deaktivieren' }).click()]);
    expect(await admin.textContent('main')).toContain('ist deaktiviert; seine Sitzungen sind beendet');

    await Promise.all([clerk.waitForURL('**/staff/login?beendet'), clerk.getByRole('link', { name: 'Telefonbuchung' }).click()]);
    expect(await clerk.textContent('main')).toContain('Ihre Sitzung ist abgelaufen oder wurde beendet.');
    await snap(clerk, 'accounts-clerk-refused-1280');
    await clerk.fill('#email', 'maria.weber@stadt.example');
    await clerk.fill('#password', CLERK_PASSWORD);
    await clerk.keyboard.press('Enter');
    await clerk.waitForSelector('.error-summary');
    expect(await clerk.textContent('main')).toContain('Dieses Konto ist deaktiviert.');
    await clerkContext.close();
    await admin.context().close();
  });

  it('a team lead’s TOTP enrolment ends with ten recovery codes on a page that passes axe at 320 px', async () => {
    const context = await newContext(browser, { width: 320 });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'leitung@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/passwort'), page.keyboard.press('Enter')]);
    await page.fill('#current', PASSWORD);
    await page.fill('#new', CLERK_PASSWORD);
    await page.fill('#repeat', CLERK_PASSWORD);
    await Promise.all([page.waitForURL('**/staff/zwei-faktor'), page.getByRole('button', { name: 'Passwort speichern' }).click()]);
    const secret = (await page.textContent('.staff-key'))!.replace(/\s/g, '');
    await page.fill('#code', totpCodeAt(secret, server.clock.now()));
    await Promise.all([page.waitForSelector('.staff-recovery-codes'), page.getByRole('button', { name: 'Bestätigen' }).click()]);
    expect(await page.locator('.staff-recovery-codes li').count()).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await snap(page, 'accounts-recovery-codes-320');
    await context.close();
  });

  it('the admin resets the team lead’s second factor (a lost phone): the lead’s next login sets up a new one', async () => {
    const admin = await adminPage(1280);
    await admin.goto(`${server.url}/staff/verwaltung/konten`);
    await admin.getByRole('link', { name: 'leitung@stadt.example bearbeiten' }).click();
    await admin.getByRole('link', { name: 'Zweiten Faktor zurücksetzen' }).click();
    await snap(admin, 'accounts-reset-2fa-confirm-1280');
    await Promise.all([
      admin.waitForURL('**?ok=zwei-faktor'),
      admin.getByRole('button', { name: 'Ja, zweiten Faktor zurücksetzen' }).click(),
    ]);
    expect(await admin.textContent('main')).toContain('Der zweite Faktor ist zurückgesetzt.');
    await admin.context().close();

    const context = await newContext(browser, { width: 1280 });
    const lead = await context.newPage();
    await lead.goto(`${server.url}/staff/login`);
    await lead.fill('#email', 'leitung@stadt.example');
    await lead.fill('#password', CLERK_PASSWORD);
    // Not the code page of the lost phone's secret: enrolment of a new one.
    await Promise.all([lead.waitForURL('**/staff/zwei-faktor'), lead.keyboard.press('Enter')]);
    server.clock.advance(30_000);
    const secret = (await lead.textContent('.staff-key'))!.replace(/\s/g, '');
    await lead.fill('#code', totpCodeAt(secret, server.clock.now()));
    await Promise.all([lead.waitForSelector('.staff-recovery-codes'), lead.getByRole('button', { name: 'Bestätigen' }).click()]);
    expect(await lead.locator('.staff-recovery-codes li').count()).toBe(10);
    await context.close();
  });

  it.each([1280, 320])('the accounts pages pass axe and reflow at %i px', async (width) => {
    const admin = await adminPage(width);
    const found: string[] = [];
    for (const path of ['/staff/verwaltung/konten', '/staff/verwaltung/konten/neu']) {
      await admin.goto(`${server.url}${path}`);
      found.push(...(await axeViolations(admin)).map((v) => `${path}: ${v}`));
      expect(await overflowsHorizontally(admin)).toBe(false);
      await snap(admin, `accounts${path.replace(/\//g, '-')}-${width}`);
    }
    await admin.goto(`${server.url}/staff/verwaltung/konten`);
    await admin.getByRole('link', { name: 'leitung@stadt.example bearbeiten' }).click();
    found.push(...(await axeViolations(admin)).map((v) => `detail: ${v}`));
    expect(await overflowsHorizontally(admin)).toBe(false);
    await snap(admin, `accounts-detail-${width}`);
    await admin.getByRole('link', { name: 'Passwort zurücksetzen' }).click();
    found.push(...(await axeViolations(admin)).map((v) => `confirm: ${v}`));
    expect(found).toEqual([]);
    await admin.context().close();
  });
});
