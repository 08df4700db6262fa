import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { applySetup } from '../src/app/setup/apply-town-file.ts';
import { createStaffUser } from '../src/app/staff/staff-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../src/app/staff/staff-secrets.ts';
import { EXAMPLE_TOWN } from '../test/helpers/setup-pages.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// Issue #19: a team lead of Bürgerbüro Süd changes the week plan and adds an exception that touches
// two bookings, without JavaScript (the preview names them; confirming hands them to the closure
// flow). The hours pages pass axe and reflow at 1280 and 320 px. Now is Wednesday 25 November 2026.

const PASSWORD = 'Pferd Batterie Heftklammer';

describe.skipIf(!hasChromium)('hours page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let totpSecret: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    // The browser town is this file's town as it was before its file (#20: apply changes only the town
    // the file names, and refuses ids of another town): the file takes its offices and services over.
    for (const table of ['office', 'service'] as const)
      await server.ctx.db.updateTable(table).set({ municipality_id: 'erlenbruch' }).execute();
    await applySetup(server.ctx, EXAMPLE_TOWN, { actor: 'e2e' });
    // Wednesday 9 December in Süd, 09:00 and 10:00.
    for (const [start, name] of [
      ['2026-12-09T08:00:00Z', 'Paul Wagner'],
      ['2026-12-09T09:00:00Z', 'Eva Klein'],
    ] as const) {
      await bookAppointment(server.ctx, {
        officeId: 'sued',
        start: Date.parse(start),
        services: [{ serviceId: 'abholung', persons: 1 }],
        citizen: { name, phone: '0201 123456' },
        language: 'de',
        channel: 'phone',
        source: 'phone',
        actor: 'e2e',
      });
    }
    const { userId } = await createStaffUser(server.ctx, {
      email: 'leitung@stadt.example',
      role: 'teamlead',
      officeIds: ['sued'],
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

  async function leadPage(width: number, javaScript = true): Promise<Page> {
    const context = await newContext(browser, { width, javaScript });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.fill('#email', 'leitung@stadt.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/staff/code'), page.keyboard.press('Enter')]);
    server.clock.advance(30_000);
    await page.fill('#code', totpCodeAt(totpSecret, server.clock.now()));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    return page;
  }

  it('a team lead changes the week plan and adds an exception touching two bookings, without JavaScript', async () => {
    const lead = await leadPage(1280, false);
    await lead.goto(`${server.url}/staff`);
    await lead.getByRole('link', { name: 'Verwaltung' }).click();
    await lead.getByRole('link', { name: 'Öffnungszeiten und Besetzung' }).click();
    await lead.waitForURL('**/staff/verwaltung/oeffnungszeiten');
    await lead.getByRole('link', { name: 'Bürgerbüro Süd' }).click();
    expect(await lead.textContent('main')).toContain('08:00–12:00: 2 Terminschalter');
    await snap(lead, 'hours-week-1280');

    // The week plan: Monday, Wednesday and Friday until 12:30.
    await lead.getByRole('link', { name: 'Wochenplan ändern' }).click();
    await lead.fill('#line-0-to', '12:30');
    await snap(lead, 'hours-plan-form-1280');
    await Promise.all([lead.waitForURL('**/vorschau'), lead.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    expect(await lead.textContent('main')).toContain('Kein gebuchter Termin ist betroffen.');
    await snap(lead, 'hours-plan-preview-1280');
    await Promise.all([lead.waitForURL('**?ok=gespeichert'), lead.getByRole('button', { name: 'Speichern' }).click()]);
    const week = (await lead.textContent('main'))!;
    expect(week).toContain('Der Wochenplan ist gespeichert.');
    expect(week).toContain('08:00–12:30: 2 Terminschalter');

    // The month: a click on the day, the prefilled form, the preview names both bookings.
    await lead.getByRole('link', { name: 'Monat ansehen und Ausnahmen eintragen' }).click();
    await lead.getByRole('link', { name: /Nächster Monat/ }).click();
    await snap(lead, 'hours-month-1280');
    await lead.getByRole('link', { name: 'Ausnahme am Mi., 09.12.2026 eintragen' }).click();
    expect(await lead.inputValue('#date')).toBe('09.12.2026');
    expect(await lead.inputValue('#appointment')).toBe('2');
    await lead.fill('#appointment', '0');
    await lead.fill('#grund', 'Fortbildung');
    await snap(lead, 'hours-flow-exception-1280');
    await Promise.all([lead.waitForURL('**/vorschau'), lead.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    const preview = (await lead.textContent('main'))!;
    for (const text of [
      '2 gebuchte Termine sind betroffen',
      'Paul Wagner',
      'Mi., 09.12.2026, 09:00',
      'Eva Klein',
      'Mi., 09.12.2026, 10:00',
    ]) {
      expect(preview).toContain(text);
    }
    await lead.fill('#reason', 'Fortbildung des Teams');
    await snap(lead, 'hours-flow-exception-preview-1280');
    await Promise.all([
      lead.waitForURL('**/monat?monat=2026-12&ok=ausnahme'),
      lead.getByRole('button', { name: 'Betroffene Termine absagen und Ersatz anbieten' }).click(),
    ]);
    const month = (await lead.textContent('main'))!;
    expect(month).toContain('Die Ausnahme ist gespeichert.');
    expect(month).toContain('0 statt 2 Schalter – Fortbildung');
    expect(month).toContain('Schließung: Fortbildung des Teams');
    await snap(lead, 'hours-month-saved-1280');
    const cancelled = await server.ctx.db
      .selectFrom('appointment')
      .select('citizen_name')
      .where('office_id', '=', 'sued')
      .where('status', '=', 'cancelled')
      .execute();
    expect(cancelled.map((a) => a.citizen_name).sort()).toEqual(['Eva Klein', 'Paul Wagner']);
    await lead.context().close();
  });

  it.each([1280, 320])('the hours pages pass axe and reflow at %i px', async (width) => {
    const lead = await leadPage(width);
    const found: string[] = [];
    const check = async (name: string) => {
      found.push(...(await axeViolations(lead)).map((v) => `${name}: ${v}`));
      expect(await overflowsHorizontally(lead), name).toBe(false);
      await snap(lead, `hours-${name}-${width}`);
    };
    for (const [name, p] of [
      ['list', ''],
      ['week', '/sued'],
      ['month', '/sued/monat?monat=2026-12'],
      ['plan', '/sued/wochenplan'],
    ]) {
      await lead.goto(`${server.url}/staff/verwaltung/oeffnungszeiten${p}`);
      await check(name!);
    }
    await lead.fill('#line-1-from', '25 Uhr');
    await Promise.all([lead.waitForSelector('.error-summary'), lead.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    await check('plan-errors');
    await lead.goto(`${server.url}/staff/verwaltung/oeffnungszeiten/sued/ausnahme?datum=2026-12-11`);
    await check('exception');
    await lead.fill('#appointment', '1');
    await lead.fill('#grund', 'Betriebsversammlung');
    await Promise.all([lead.waitForSelector('h1:has-text("Vorschau")'), lead.getByRole('button', { name: 'Weiter zur Vorschau' }).click()]);
    await check('exception-preview');
    expect(found).toEqual([]);
    await lead.context().close();
  });
});
