import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAvailability } from '../src/app/booking/search-availability.ts';
import { bookAppointment } from '../src/app/booking/book-appointment.ts';
import { sweepWaitingList } from '../src/app/waiting-list/sweep-waiting-list.ts';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { bookOut, cancelBookedAt, type Wish } from '../test/helpers/book-out.ts';

// The waiting list (#5) in a real Chromium: from "no free slot" through the form to the entry page,
// leaving, and a held offer; every state without axe violations and without horizontal scrolling
// at 320 CSS px, in German and English.

describe.skipIf(!hasChromium)('waiting list in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let offered: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    // Someone else waits for an ID card on a fully booked Thursday morning; a cancellation frees a
    // slot, and the sweep offers it to him.
    const wish: Wish = {
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      officeIds: ['rathaus'],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '08:00',
      toTime: '10:00',
    };
    const booked = await bookOut(server.ctx, wish);
    const res = await fetch(`${server.url}/api/v1/waiting-list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...wish, citizen: { name: 'Otto Offer', email: 'otto@example.org' } }),
    });
    expect(res.status).toBe(201);
    offered = `/warteliste/${((await res.json()) as { token: string }).token}`;
    await cancelBookedAt(server.ctx, booked, booked[0]!.start);
    expect(await sweepWaitingList(server.ctx)).toMatchObject({ offered: 1 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function check(page: Page, name: string, problems: string[], narrow = false) {
    await snap(page, `waiting-list-${name}`);
    if (!narrow) for (const v of await axeViolations(page)) problems.push(`${name}: ${v}`);
    if (await overflowsHorizontally(page)) problems.push(`${name}: scrolls horizontally`);
  }

  async function walk(page: Page, lang: 'de' | 'en', problems: string[], narrow = false) {
    const de = lang === 'de';
    await page.goto(`${server.url}/buchen/termin?services=eheschliessung&lang=${lang}`);
    await page.getByRole('link', { name: de ? 'Auf die Warteliste setzen' : 'Join the waiting list' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(de ? 'Auf die Warteliste' : 'Join the waiting list');
    await check(page, `${lang}-form`, problems, narrow);
    await page.getByRole('button', { name: de ? 'Auf die Warteliste setzen' : 'Join the waiting list' }).click();
    await page
      .getByText(de ? 'Bitte prüfen Sie Ihre Angaben' : 'Please check')
      .first()
      .waitFor();
    await check(page, `${lang}-form-errors`, problems, narrow);
    await page.getByLabel(de ? 'Vor- und Nachname' : 'First and last name').fill('Erika Mustermann');
    await page.getByLabel(de ? 'E-Mail-Adresse' : 'Email address').fill(`erika-${lang}-${narrow ? 'n' : 'w'}@example.org`);
    await page.getByLabel(de ? 'Ich bin einverstanden' : 'I agree').check();
    await page.getByRole('button', { name: de ? 'Auf die Warteliste setzen' : 'Join the waiting list' }).click();
    await page
      .getByText(de ? /Sie sind Nr\. \d+ auf der Warteliste für Eheschließung/ : /You are number \d+ on the waiting list for/)
      .waitFor();
    await check(page, `${lang}-entry`, problems, narrow);
    await page.getByRole('link', { name: de ? 'Warteliste verlassen' : 'Leave the waiting list' }).click();
    await check(page, `${lang}-leave-question`, problems, narrow);
    await page.getByRole('button', { name: de ? 'Ja, Warteliste verlassen' : 'Yes, leave the waiting list' }).click();
    await page
      .getByRole('heading', { name: de ? 'Sie stehen nicht mehr auf der Warteliste' : 'You are no longer on the waiting list' })
      .waitFor();
    await check(page, `${lang}-left`, problems, narrow);
    await page.goto(`${server.url}${offered}`);
    await page.getByRole('button', { name: de ? 'Termin annehmen' : 'Accept appointment' }).waitFor();
    await check(page, `${lang}-offer`, problems, narrow);
    await page.getByRole('link', { name: de ? 'Termin ablehnen' : 'Decline appointment' }).click();
    await check(page, `${lang}-decline-question`, problems, narrow);
  }

  it('join, see the place in line, leave, see an offer: no axe violations, in German and English', async () => {
    const problems: string[] = [];
    const context = await newContext(browser);
    await walk(await context.newPage(), 'de', problems);
    await context.close();
    const english = await newContext(browser, { locale: 'en-GB' });
    await walk(await english.newPage(), 'en', problems);
    await english.close();
    expect(problems).toEqual([]);
  });

  it('accepting is refused with a page that says why when the person was booked for the service meanwhile (by phone; per-contact limit): no axe violations', async () => {
    const free = await searchAvailability(server.ctx, {
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      officeId: 'rathaus',
      from: '2026-11-26',
      to: '2026-12-31',
      limit: 1,
    });
    await bookAppointment(server.ctx, {
      officeId: 'rathaus',
      start: free[0]!.start,
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      citizen: { name: 'Otto Offer', email: 'otto@example.org' },
      language: 'de',
      channel: 'phone',
    });
    const problems: string[] = [];
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}${offered}`);
    await page.getByRole('button', { name: 'Termin annehmen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sie haben schon einen Termin' }).waitFor();
    await check(page, 'de-limit-reached', problems);
    await context.close();
    expect(problems).toEqual([]);
  });

  it('reflows at 320 CSS px without horizontal scrolling', async () => {
    const problems: string[] = [];
    const context = await newContext(browser, { width: 320, height: 640 });
    await walk(await context.newPage(), 'de', problems, true);
    await context.close();
    expect(problems).toEqual([]);
  });
});
