import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { hashPassword, newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { formatHlc } from '../src/domain/hlc.ts';
import { applyJournalEntries, enrollBranch } from '../src/sync/central-apply.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newEntityId } from '../src/app/shared/ids.ts';

// The pages of issue #6 in a real browser (they use no script of their own): a clerk gives a
// walk-in a slot from the branch lease; a team lead settles a Klärfall with a note. Zero axe
// violations, no sideways scrolling at 320 px, German and English.

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('branch lease pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let leadSecret: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    const { branchId } = await enrollBranch(server.ctx, { officeId: 'rathaus', actor: 'e2e' });
    const clerk = await createStaffUser(server.ctx, {
      email: 'clerk@stadt.example',
      role: 'clerk',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: 'e2e',
    });
    // The office has a branch node: both have chosen their branch PIN already (docs/decisions/0009).
    const branchPinHash = await hashPassword('480317');
    await server.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, branch_pin_hash: branchPinHash })
      .where('id', '=', clerk.userId)
      .execute();
    const lead = await createStaffUser(server.ctx, {
      email: 'lead@stadt.example',
      role: 'teamlead',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: 'e2e',
    });
    leadSecret = newTotpSecret(server.ctx.randomBytes(20));
    await server.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: leadSecret, branch_pin_hash: branchPinHash })
      .where('id', '=', lead.userId)
      .execute();
    // A Klärfall: the branch handed out a document the central server does not know as ready.
    const command = {
      type: 'document.hand_out' as const,
      officeId: 'rathaus',
      payload: { orderNumber: 'PA-0815', recipient: 'holder' as const },
      actor: `staff:${clerk.userId}`,
      at: '2026-11-25T08:15:00+01:00',
    };
    await applyJournalEntries(server.ctx, { id: branchId, officeId: 'rathaus', name: 'Zweigstelle' }, [
      { opId: newEntityId(server.ctx), branchId, seq: 1, hlc: formatHlc({ wall: Date.parse(command.at), counter: 0 }), command },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(context: BrowserContext, email: string, totp: string | null): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login'), { timeout: 15_000 }), page.keyboard.press('Enter')]);
    if (totp) {
      await page.fill('input[name="code"]', totpCodeAt(totp, server.clock.now()));
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/code'), { timeout: 15_000 }), page.keyboard.press('Enter')]);
    }
    if (page.url().endsWith('/staff/standort')) {
      await Promise.all([
        page.waitForURL((url) => !url.pathname.endsWith('/standort'), { timeout: 15_000 }),
        page.getByRole('button', { name: 'Auswählen' }).click(),
      ]);
    }
    return page;
  }

  it('a clerk gives a walk-in slot; the pages pass axe and reflow at 320 px', async () => {
    const context = await newContext(browser, { width: 320 });
    const page = await loggedIn(context, 'clerk@stadt.example', null);
    const found: string[] = [];
    await page.goto(`${server.url}/staff/spontantermin`);
    found.push(...(await axeViolations(page)).map((v) => `empty: ${v}`));
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.selectOption('#slot-service', 'meldebescheinigung');
    await Promise.all([
      page.waitForURL('**/staff/spontantermin?**', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Freie Zeiten zeigen' }).click(),
    ]);
    expect(await page.textContent('main')).toContain('Freie Zeiten heute');
    found.push(...(await axeViolations(page)).map((v) => `times: ${v}`));
    expect(await overflowsHorizontally(page)).toBe(false);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Termin vergeben' }).click()]);
    expect(await page.textContent('main')).toMatch(/Heute um \d\d:\d\d Uhr, Buchungsnummer [A-Z0-9]{3}-[A-Z0-9]{3}/);
    found.push(...(await axeViolations(page)).map((v) => `slip: ${v}`));
    await page.goto(`${server.url}/staff/spontantermin?lang=en`);
    expect(await page.textContent('h1')).toBe('Slot for a walk-in');
    found.push(...(await axeViolations(page)).map((v) => `english: ${v}`));
    expect(found).toEqual([]);
    await context.close();
  });

  it('a team lead settles a Klärfall with a note; the page passes axe and reflows at 320 px', async () => {
    const context = await newContext(browser, { width: 320 });
    const page = await loggedIn(context, 'lead@stadt.example', leadSecret);
    await page.goto(`${server.url}/staff/klaerfaelle`);
    expect(await page.textContent('main')).toContain('Dokument PA-0815 ausgegeben');
    const found = (await axeViolations(page)).map((v) => `list: ${v}`);
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.getByLabel('Notiz: was wurde getan?').fill('Ausweis war fertig; Status zentral nachgetragen');
    await Promise.all([
      page.waitForURL('**/staff/klaerfaelle?ok=1', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Als erledigt markieren' }).click(),
    ]);
    expect(await page.textContent('main')).toContain('Der Klärfall ist erledigt.');
    found.push(...(await axeViolations(page)).map((v) => `done: ${v}`));
    await page.goto(`${server.url}/staff/klaerfaelle?alle=1&lang=en`);
    expect(await page.textContent('main')).toContain('Ausweis war fertig; Status zentral nachgetragen');
    found.push(...(await axeViolations(page)).map((v) => `resolved, english: ${v}`));
    expect(found).toEqual([]);
    await context.close();
  });
});
