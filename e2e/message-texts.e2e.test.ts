import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Issue #19 „Texte“: an admin edits the confirmation mail without JavaScript (text → preview →
// „Speichern“) and the next booking's mail says it; the texts pages pass axe and reflow at 1280 and
// 320 px, with a refused text's error too.

const PASSWORD = 'Pferd Batterie Heftklammer';
const OWN = 'schön, dass Sie kommen! Bitte bestätigen Sie bis {deadline}:\n{confirm}\n\nIhr Code: {code}';

describe.skipIf(!hasChromium)('texts pages in a real browser', () => {
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

  it('an admin edits the confirmation mail without JavaScript, previews and saves it; the next booking’s mail uses it', async () => {
    const admin = await adminPage(1280, false);
    await admin.getByRole('link', { name: 'Verwaltung' }).click();
    await admin.getByRole('link', { name: 'Texte', exact: true }).click();
    await admin.waitForURL('**/staff/verwaltung/texte');
    await admin.getByRole('link', { name: 'Buchung bestätigen (E-Mail mit Bestätigungslink)' }).click();
    expect(await admin.inputValue('#intro-de')).toContain('wir haben einen Termin für Sie reserviert.');
    await admin.fill('#intro-de', OWN);
    await Promise.all([admin.waitForLoadState(), admin.getByRole('button', { name: 'Vorschau anzeigen' }).click()]);
    const preview = (await admin.textContent('main'))!;
    expect(preview).toContain('schön, dass Sie kommen! Bitte bestätigen Sie bis ');
    expect(await admin.inputValue('#intro-de')).toBe(OWN);
    expect(await server.ctx.db.selectFrom('message_template').selectAll().execute()).toEqual([]);
    await snap(admin, 'texts-preview-1280');
    await Promise.all([admin.waitForURL('**?ok=1'), admin.getByRole('button', { name: 'Speichern' }).click()]);
    expect(await admin.textContent('main')).toContain('Der Text ist gespeichert.');
    await admin.context().close();

    const { appointment } = await bookAppointment(server.ctx, {
      officeId: 'rathaus',
      start: Date.parse('2026-11-26T09:00:00+01:00'),
      services: [{ serviceId: 'meldebescheinigung', persons: 1 }],
      citizen: { name: 'Kim Beispiel', email: 'kim@example.org', phone: null },
      language: 'de',
      channel: 'online',
    });
    const mail = await server.ctx.db
      .selectFrom('outbox')
      .select(['subject', 'body_text'])
      .where('recipient', '=', 'kim@example.org')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe(`Bitte bestätigen Sie Ihren Termin ${appointment.reference}`);
    expect(mail.body_text.split('\n\n')[1]).toMatch(
      /^schön, dass Sie kommen! Bitte bestätigen Sie bis .+:\nhttp:\/\/.+\/bestaetigen\?code=\d{6}$/,
    );
  });

  it.each([1280, 320])('the texts pages pass axe and reflow at %i px', async (width) => {
    const admin = await adminPage(width);
    const found: string[] = [];
    const check = async (name: string) => {
      found.push(...(await axeViolations(admin)).map((v) => `${name}: ${v}`));
      expect(await overflowsHorizontally(admin), name).toBe(false);
      await snap(admin, `texts-${name}-${width}`);
    };
    await admin.goto(`${server.url}/staff/verwaltung/texte`);
    await check('list');
    await admin.goto(`${server.url}/staff/verwaltung/texte/erinnerung`);
    await check('reminder');
    await admin.fill('#sms-de', 'Termin am {date}, ohne Link.');
    await Promise.all([admin.waitForSelector('.error-summary'), admin.getByRole('button', { name: 'Speichern' }).click()]);
    expect(await admin.textContent('main')).toContain('Der Pflicht-Platzhalter {cancel} fehlt.');
    await check('refused');
    await admin.goto(`${server.url}/staff/verwaltung/texte/buchung-bestaetigen?lang=en`);
    await check('confirmation-en');
    expect(found).toEqual([]);
    await admin.context().close();
  });
});
