import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { saveQueueSettings } from '../src/app/shared/office-time.ts';
import { queueSubscriberCount } from '../src/app/counter/queue-events.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { axeViolations, hasChromium, launch, newContext, snap, visible } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// The day at the office in a real Chromium: the team lead pairs the kiosk and the call display ->
// kiosk check-in -> call at the counter with one key -> the display shows it live -> served; and a
// document handed out at the pickup page.

const PASSWORD = 'Pferd Batterie Heftklammer';
const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe.skipIf(!hasChromium)('the day at the office in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let reference: string;
  let leadSecret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    const { db } = server.ctx;
    await db
      .insertInto('counter')
      .values([1, 2].map((number) => ({ office_id: 'rathaus', number, name: `Schalter ${number}` })))
      .execute();
    await saveQueueSettings(db, 'rathaus', { walkinQuota: 20, walkinMinutes: 10, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    const { userId } = await createStaffUser(server.ctx, {
      email: 'clerk@stadt.example',
      role: 'clerk',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: 'e2e',
    });
    await db.updateTable('staff_user').set({ must_change_password: false }).where('id', '=', userId).execute();
    const lead = await createStaffUser(server.ctx, {
      email: 'lead@stadt.example',
      role: 'teamlead',
      officeIds: ['rathaus'],
      password: PASSWORD,
      actor: 'e2e',
    });
    leadSecret = newTotpSecret(server.ctx.randomBytes(20));
    await db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: leadSecret })
      .where('id', '=', lead.userId)
      .execute();
    const service = await db.selectFrom('office_service').select('service_id').where('office_id', '=', 'rathaus').executeTakeFirstOrThrow();
    const { appointment } = await bookAppointment(server.ctx, {
      officeId: 'rathaus',
      start: at('09:20'),
      services: [{ serviceId: service.service_id, persons: 1 }],
      citizen: { name: 'Erika Mustermann', phone: '0201 123456' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'e2e',
    });
    reference = appointment.reference;
    server.clock.set(at('09:05'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectAccessible(page: Page, label: string) {
    expect((await axeViolations(page)).map((v) => `${label}: ${v}`)).toEqual([]);
  }

  async function loggedIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'clerk@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.keyboard.press('Enter')]);
    return page;
  }

  /** The team lead creates a pairing code on /staff/geraete; returns it as shown. */
  async function pairingCode(lead: Page, name: string): Promise<string> {
    await lead.goto(`${server.url}/staff/geraete`);
    await lead.getByLabel('Name des Geräts').fill(name);
    await Promise.all([lead.waitForURL('**/staff/geraete'), lead.getByRole('button', { name: 'Kopplungscode erzeugen' }).click()]);
    return (await lead.locator('.pairing-code').textContent())!;
  }

  /** The device opens its page, gets the pairing page and enters the code. */
  async function pair(device: Page, path: string, code: string, label: string) {
    await device.goto(`${server.url}${path}`);
    await visible(device.getByRole('heading', { name: 'Gerät freigeben' }));
    await expectAccessible(device, `${label} pairing`);
    await device.getByLabel(/Kopplungscode/).fill(code.toLowerCase());
    await Promise.all([device.waitForURL(`**${path}`), device.getByRole('button', { name: 'Gerät freigeben' }).click()]);
  }

  it('the team lead pairs the kiosk and the display; kiosk check-in -> call at the counter with one key -> the display shows it -> served', async () => {
    const office = await newContext(browser, { width: 1280 });
    const lead = await office.newPage();
    await lead.goto(`${server.url}/staff/login`);
    await lead.fill('#email', 'lead@stadt.example');
    await lead.fill('#password', PASSWORD);
    await Promise.all([lead.waitForURL('**/staff/code'), lead.keyboard.press('Enter')]);
    await lead.fill('#code', totpCodeAt(leadSecret, server.clock.now()));
    await Promise.all([lead.waitForURL((url) => !url.pathname.endsWith('/code')), lead.keyboard.press('Enter')]);
    const displayCode = await pairingCode(lead, 'Anzeige Wartebereich');
    await snap(lead, 'counter-0-devices-code');
    await expectAccessible(lead, 'device page with a code');

    const tv = await newContext(browser, { width: 1280, height: 720 });
    // The browser's speech synthesis, recorded: headless Chromium has no voices to speak with.
    await tv.addInitScript(() => {
      const spoken: string[] = [];
      Object.assign(globalThis, {
        spoken,
        SpeechSynthesisUtterance: class {
          lang = '';
          voice = null;
          constructor(readonly text: string) {}
        },
      });
      Object.defineProperty(globalThis, 'speechSynthesis', {
        value: { speak: (u: { text: string }) => spoken.push(u.text), getVoices: () => [] },
      });
    });
    const display = await tv.newPage();
    const scriptErrors: string[] = [];
    display.on('pageerror', (e) => scriptErrors.push(e.message));
    await display.goto(`${server.url}/display/rathaus`);
    await visible(display.getByRole('heading', { name: 'Gerät freigeben' }));
    await snap(display, 'counter-0-display-pairing');
    await display.getByLabel(/Kopplungscode/).fill('AAAA-AAAA');
    await Promise.all([display.waitForURL('**/display/rathaus/koppeln'), display.getByRole('button', { name: 'Gerät freigeben' }).click()]);
    await visible(display.getByText('Der Kopplungscode stimmt nicht oder ist abgelaufen.').first());
    await snap(display, 'counter-0-display-pairing-wrong-code');
    await expectAccessible(display, 'pairing page with an error');
    await pair(display, '/display/rathaus', displayCode, 'display');
    await visible(display.getByText('Noch keine Aufrufe.'));
    await expect.poll(() => queueSubscriberCount('rathaus')).toBe(1);
    await snap(display, 'counter-1-display-empty');
    await expectAccessible(display, 'display');
    // Office time on the clock, from the server's clock (the test clock), not the device's.
    expect(await display.locator('#clock').textContent()).toMatch(/^\d\d:\d\d$/);
    await display.getByRole('button', { name: 'Ton einschalten' }).click();
    expect(await display.getByRole('button', { name: 'Ton ausschalten' }).getAttribute('aria-pressed')).toBe('true');

    // The team lead's notice line appears on the display at once.
    await lead.goto(`${server.url}/staff/geraete`);
    await lead.fill('#de', 'Heute ab 12 Uhr nur Abholung von Dokumenten');
    await Promise.all([lead.waitForURL('**/staff/geraete?ok=hinweis'), lead.getByRole('button', { name: 'Hinweis anzeigen' }).click()]);
    await visible(lead.getByText('Der Hinweis steht jetzt auf der Aufrufanzeige.'));
    await expectAccessible(lead, 'device page with a display notice');
    await visible(display.locator('#notice', { hasText: 'Heute ab 12 Uhr nur Abholung von Dokumenten' }));
    await snap(display, 'counter-1-display-notice');

    const kioskContext = await newContext(browser, { width: 1080, height: 1400 });
    const kiosk = await kioskContext.newPage();
    await pair(kiosk, '/kiosk/rathaus', await pairingCode(lead, 'Kiosk Eingang'), 'kiosk');
    await visible(kiosk.getByText('Ich habe einen Termin'));
    await expectAccessible(kiosk, 'kiosk');
    await lead.goto(`${server.url}/staff/geraete`);
    await visible(lead.getByRole('cell', { name: 'Kiosk Eingang' }));
    await visible(lead.getByRole('cell', { name: 'Aufrufanzeige' }));
    await snap(lead, 'counter-0-devices-list');
    await expectAccessible(lead, 'device list');
    // A QR scanner types the reference and Enter, like a keyboard.
    await kiosk.getByLabel(/Buchungsnummer/).fill(reference.toLowerCase());
    await Promise.all([kiosk.waitForURL('**/kiosk/rathaus/anmelden'), kiosk.keyboard.press('Enter')]);
    expect(await kiosk.locator('.ticket-number').textContent()).toBe('T-001');
    await visible(kiosk.getByText('Ihr Termin: 09:20 Uhr'));
    await snap(kiosk, 'counter-2-kiosk-ticket');
    await expectAccessible(kiosk, 'kiosk ticket');

    const desk = await newContext(browser);
    const clerk = await loggedIn(desk);
    await clerk.goto(`${server.url}/staff/schalter`);
    await expectAccessible(clerk, 'counter chooser');
    await Promise.all([clerk.waitForURL('**/staff/schalter/1'), clerk.getByRole('button', { name: 'Schalter 1' }).click()]);
    await visible(clerk.getByText('Keine Nummer aufgerufen.'));
    server.clock.set(at('09:19'));
    await Promise.all([clerk.waitForURL('**/staff/schalter/1'), clerk.waitForEvent('framenavigated'), clerk.keyboard.press('n')]);
    await visible(clerk.locator('.counter-current .ticket-number', { hasText: 'T-001' }));
    await visible(clerk.getByText('Erika Mustermann'));
    await snap(clerk, 'counter-3-clerk-called');
    await expectAccessible(clerk, 'counter with a called ticket');

    await visible(display.locator('#calls td', { hasText: 'T-001' }));
    expect(await display.locator('#calls tr').first().textContent()).toBe('T-0011');
    expect(await display.locator('#announce').textContent()).toBe('Nummer T-001, bitte zu Schalter 1.');
    await snap(display, 'counter-4-display-called');
    // Spoken in German after the gong, the ticket's letter and number apart: „T 1“, not „T minus 001“.
    await expect
      .poll(() => display.evaluate(() => (globalThis as unknown as { spoken: string[] }).spoken))
      .toEqual(['Nummer T 1, bitte zu Schalter 1.']);

    await Promise.all([clerk.waitForEvent('framenavigated'), clerk.keyboard.press('f')]);
    await visible(clerk.getByText('Keine Nummer aufgerufen.'));
    const row = await server.ctx.db.selectFrom('appointment').select('status').where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row.status).toBe('served');
    await visible(display.locator('#calls tr.is-done', { hasText: 'T-001' }));

    expect(scriptErrors).toEqual([]);

    // The team lead revokes the display: its stream ends, and the screen turns into the pairing page.
    await lead.goto(`${server.url}/staff/geraete`);
    await Promise.all([
      lead.waitForURL('**/staff/geraete?ok=gesperrt'),
      lead.getByRole('button', { name: 'Anzeige Wartebereich: Sperren' }).click(),
    ]);
    await visible(lead.getByText('Das Gerät ist gesperrt.'));
    await visible(display.getByRole('heading', { name: 'Gerät freigeben' }), 30_000);
    await expect.poll(() => queueSubscriberCount('rathaus'), { timeout: 10_000 }).toBe(0);
    await tv.close();
    await kioskContext.close();
    await desk.close();
    await office.close();
  });

  it('a ready ID card is handed out to an authorised person; /status shows no name', async () => {
    const desk = await newContext(browser);
    const clerk = await loggedIn(desk);
    await clerk.goto(`${server.url}/staff/abholung`);
    await clerk.fill('#reg-orderNumber', 'PA-2026-0042');
    await clerk.fill('#reg-holderName', 'Anna Müller');
    await clerk.check('#reg-ready');
    await Promise.all([clerk.waitForURL('**/staff/abholung?ok=erfasst**'), clerk.getByRole('button', { name: 'Erfassen' }).click()]);
    await visible(clerk.getByText('PA-2026-0042 wurde erfasst.'));
    await expectAccessible(clerk, 'pickup');

    const citizen = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await citizen.goto(`${server.url}/status`);
    await citizen.getByLabel('Vorgangsnummer').fill('pa-2026-0042');
    await Promise.all([citizen.waitForURL('**/status?nummer=**'), citizen.keyboard.press('Enter')]);
    await visible(citizen.getByText('Ihr Dokument ist abholbereit.'));
    expect(await citizen.content()).not.toContain('Müller');
    await snap(citizen, 'counter-5-status-ready');
    await expectAccessible(citizen, 'status');

    await clerk.getByLabel('an eine bevollmächtigte Person (Vollmacht und Ausweis geprüft)').check();
    await clerk.getByLabel('Name der bevollmächtigten Person').fill('Karl Müller');
    await Promise.all([clerk.waitForURL('**ok=ausgehaendigt**'), clerk.getByRole('button', { name: 'Aushändigen', exact: true }).click()]);
    await visible(clerk.getByText('PA-2026-0042 wurde ausgehändigt.'));
    await visible(clerk.getByText('ausgehändigt → Karl Müller'));
    await snap(clerk, 'counter-6-pickup-handed-out');
    await desk.close();
  });
});
