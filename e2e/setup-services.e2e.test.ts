import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { applySetup } from '../src/app/setup/apply-town-file.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Issue #19: an admin creates a service on /staff/verwaltung/dienstleistungen (form → preview →
// „Speichern“), and the citizen start page offers it; an admin changes an office's rules on
// /staff/verwaltung/regeln the same way. These pages, the offices and the rules pages pass axe at
// 1280 and 320 px.

const PASSWORD = 'Pferd Batterie Heftklammer';
const FILE = fs.readFileSync(path.resolve(import.meta.dirname, '../examples/erlenbruch.yaml'), 'utf8');

describe.skipIf(!hasChromium)('services page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let totpSecret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    // The browser town is this file's town as it was before its file (#20: apply changes only the town
    // the file names, and refuses ids of another town): the file takes its offices and services over.
    for (const table of ['office', 'service'] as const)
      await server.ctx.db.updateTable(table).set({ municipality_id: 'erlenbruch' }).execute();
    await applySetup(server.ctx, FILE, { actor: 'e2e' });
    // Wednesday 2 December, 09:00 in Süd: the preview that takes the service off Süd names it.
    await bookAppointment(server.ctx, {
      officeId: 'sued',
      start: Date.parse('2026-12-02T08:00:00Z'),
      services: [{ serviceId: 'abholung', persons: 1 }],
      citizen: { name: 'Paul Wagner', phone: '0201 123456' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'e2e',
    });
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function adminPage(width: number, javaScript = true): Promise<Page> {
    // axe runs as page script: the scans need JavaScript on (the markup is the same).
    const context = await newContext(browser, { width, javaScript });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'it@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
    server.clock.advance(30_000);
    await page.fill('#code', totpCodeAt(totpSecret, server.clock.now()));
    await Promise.all([page.waitForURL('**/staff/standort'), page.keyboard.press('Enter')]);
    return page;
  }

  it('an admin creates a service without JavaScript; the citizen start page offers it', async () => {
    const admin = await adminPage(1280, false);
    await admin.getByRole('link', { name: 'Verwaltung' }).click();
    await admin.getByRole('link', { name: 'Dienstleistungen' }).click();
    await admin.waitForURL('**/staff/verwaltung/dienstleistungen');
    await admin.getByRole('link', { name: 'Neue Dienstleistung' }).click();
    await admin.fill('#id', 'fuehrungszeugnis');
    await admin.fill('#name-de', 'Führungszeugnis beantragen');
    await admin.fill('#name-en', 'Apply for a certificate of good conduct');
    await admin.fill('#minutes-first', '10');
    await admin.fill('#fee', '13,00');
    await admin.fill('#documents-de', 'Personalausweis oder Reisepass');
    await admin.fill('#documents-en', 'ID card or passport');
    await admin.fill('#max-persons', '1');
    await admin.getByLabel('Bürgerbüro Lindenau').uncheck();
    await snap(admin, 'services-new-1280');
    await Promise.all([admin.waitForURL('**/vorschau'), admin.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    expect(await admin.textContent('main')).toContain('Kein gebuchter Termin ist betroffen.');
    await snap(admin, 'services-preview-1280');
    await Promise.all([admin.waitForURL('**?ok=gespeichert*'), admin.getByRole('button', { name: 'Speichern' }).click()]);
    const list = (await admin.textContent('main'))!;
    expect(list).toContain('„Führungszeugnis beantragen“ ist gespeichert.');
    expect(list).toContain('13,00 €');
    await snap(admin, 'services-list-1280');
    await admin.context().close();

    const citizen = await (await newContext(browser, { width: 1280 })).newPage();
    await citizen.goto(server.url);
    expect(await citizen.textContent('main')).toContain('Führungszeugnis beantragen');
    await citizen.context().close();
  });

  it('an admin changes an office’s rules without JavaScript: Verwaltung → Regeln, form → preview → „Speichern“', async () => {
    const admin = await adminPage(1280, false);
    await admin.getByRole('link', { name: 'Verwaltung' }).click();
    await admin.getByRole('link', { name: 'Regeln', exact: true }).click();
    await admin.waitForURL('**/staff/verwaltung/regeln');
    await admin.getByRole('link', { name: 'Regeln für Bürgerbüro Süd' }).click();
    await admin.fill('#same-day-share', '12,5');
    await admin.fill('#reminder-hours', '36');
    await admin.check('#confirmation-none');
    await snap(admin, 'rules-form-1280');
    await Promise.all([admin.waitForURL('**/vorschau'), admin.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    expect(await admin.textContent('main')).toContain('Kein gebuchter Termin ist betroffen.');
    await snap(admin, 'rules-preview-1280');
    await Promise.all([admin.waitForURL('**?ok=gespeichert*'), admin.getByRole('button', { name: 'Speichern' }).click()]);
    const list = (await admin.textContent('main'))!;
    expect(list).toContain('Die Regeln für „Bürgerbüro Süd“ sind gespeichert.');
    expect(list).toContain('tagesaktuell 12,5\u00a0%, Telefon 0\u00a0%');
    expect(list).toContain('36 Stunden vorher');
    await admin.context().close();
  });

  it.each([1280, 320])('the services pages pass axe and reflow at %i px', async (width) => {
    const admin = await adminPage(width);
    const found: string[] = [];
    const check = async (name: string) => {
      found.push(...(await axeViolations(admin)).map((v) => `${name}: ${v}`));
      expect(await overflowsHorizontally(admin), name).toBe(false);
      await snap(admin, `services-${name}-${width}`);
    };
    for (const [name, p] of [
      ['offices', '/standorte'],
      ['office', '/standorte/sued'],
      ['list', '/dienstleistungen'],
      ['new', '/dienstleistungen/neu'],
      ['rules', '/regeln'],
      ['rules-office', '/regeln/lindenau'],
      ['edit', '/dienstleistungen/abholung'],
    ]) {
      await admin.goto(`${server.url}/staff/verwaltung${p}`);
      await check(name!);
    }
    // The field errors, and a preview that names an affected appointment's handling.
    await admin.fill('#minutes-first', 'zehn');
    await Promise.all([admin.waitForSelector('.error-summary'), admin.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    await check('errors');
    await admin.fill('#minutes-first', '10');
    await admin.getByLabel('Bürgerbüro Süd').uncheck();
    await Promise.all([
      admin.waitForSelector('h1:has-text("Vorschau")'),
      admin.getByRole('button', { name: 'Weiter zur Vorschau' }).click(),
    ]);
    expect(await admin.textContent('main')).toContain('Paul Wagner');
    await check('preview');
    expect(found).toEqual([]);
    await admin.context().close();
  });
});
