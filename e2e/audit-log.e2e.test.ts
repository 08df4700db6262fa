import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableStaffAccount } from '../src/app/staff/staff-account-changes.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap, type ContextOptions } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Issue #19: an admin opens the audit log from „Verwaltung“, filters it by an action without
// JavaScript, and downloads the filtered entries as CSV. The page passes axe and reflows at 1280 and
// 320 px.

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('audit log viewer in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let totpSecret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    const { userId } = await createStaffUser(server.ctx, {
      email: 'it@stadt.example',
      displayName: 'Ines Tamm',
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
    const maria = await createStaffUser(server.ctx, {
      email: 'maria.weber@stadt.example',
      displayName: 'Maria Weber',
      role: 'clerk',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: `staff:${userId}`,
    });
    await disableStaffAccount(server.ctx, { target: { userId: maria.userId }, manager: null, actor: `staff:${userId}` });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function adminPage(options: ContextOptions): Promise<Page> {
    const context = await newContext(browser, options);
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

  it('without JavaScript: Verwaltung → Protokoll, filter by „Konto deaktiviert“, download the CSV of that filter', async () => {
    const page = await adminPage({ width: 1280, javaScript: false });
    await page.getByRole('link', { name: 'Verwaltung' }).click();
    await page.getByRole('link', { name: 'Protokoll' }).click();
    await page.waitForURL('**/staff/verwaltung/protokoll');
    expect(await page.textContent('main')).toContain('Konto angelegt');
    await page.selectOption('#aktion', { label: 'Konto deaktiviert' });
    await Promise.all([page.waitForURL(/protokoll\?.*aktion=staff_user\.disable/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
    const rows = page.locator('.staff-table tbody tr');
    expect(await rows.count()).toBe(1);
    const row = (await rows.first().textContent())!;
    expect(row).toContain('Ines Tamm (Administration)');
    expect(row).toContain('Konto Maria Weber');
    expect(row).toContain('deaktiviert: nein → ja');
    expect(row).toMatch(/Mi\., 25\.11\.2026, 08:00/);
    await snap(page, 'audit-log-filtered-1280');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Als CSV herunterladen/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^protokoll-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Zeitpunkt;Person;Aktion;Standort;Betroffen;Änderung und Angaben;in der Zweigstelle erfasst');
    expect(lines[1]).toContain(';Ines Tamm (Administration);Konto deaktiviert;;Konto Maria Weber;');
    await page.context().close();
  });

  it.each([1280, 320])('the audit log passes axe and reflows at %i px', async (width) => {
    const page = await adminPage({ width });
    const found: string[] = [];
    for (const path of ['/staff/verwaltung/protokoll', '/staff/verwaltung/protokoll?von=31.02.2026']) {
      await page.goto(`${server.url}${path}`);
      found.push(...(await axeViolations(page)).map((v) => `${path}: ${v}`));
      expect(await overflowsHorizontally(page)).toBe(false);
    }
    await page.goto(`${server.url}/staff/verwaltung/protokoll`);
    await snap(page, `audit-log-${width}`);
    expect(found).toEqual([]);
    await page.context().close();
  });
});
