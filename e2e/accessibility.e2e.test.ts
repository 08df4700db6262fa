import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, launch, newContext, overflowsHorizontally, snap } from './helpers/browser.ts';
import { confirmLinkFor, startTestServer, type TestServer } from './helpers/server.ts';

// Every citizen page in every state a citizen can meet: zero axe violations (WCAG 2.1/2.2 A+AA),
// no horizontal scrolling at 320 CSS px (WCAG 1.4.10) and at 200 % zoom (WCAG 1.4.4).

type Step = { name: string; open(page: Page, round: number): Promise<void> };

describe.skipIf(!hasChromium)('accessibility of every page', () => {
  let server: TestServer;
  let browser: Browser;
  let manage: string;
  let cancelled: string;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launch()]);
    manage = await book('2026-11-30T08:00:00+01:00', 'a11y@example.org');
    cancelled = await book('2026-11-30T08:30:00+01:00', 'a11y-cancelled@example.org');
    await fetch(`${cancelled.replace('/termin/', '/api/v1/appointments/')}/cancel`, { method: 'POST' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function book(start: string, email: string, officeId = 'rathaus'): Promise<string> {
    const res = await fetch(`${server.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId,
        start,
        services: [{ serviceId: 'personalausweis', persons: 2 }],
        citizen: { name: 'Erika Mustermann', email },
        language: 'de',
      }),
    });
    expect(res.status).toBe(201);
    return `${server.url}/termin/${((await res.json()) as { manageToken: string }).manageToken}`;
  }

  const go = (path: () => string) => async (page: Page) => {
    await page.goto(path().startsWith('http') ? path() : `${server.url}${path()}`);
  };
  const details = '/buchen/angaben?services=personalausweis&office=nord&start=';
  const steps: Step[] = [
    { name: 'start', open: go(() => '/') },
    { name: 'start-errors', open: go(() => '/buchen?p_personalausweis=0') },
    { name: 'calendar', open: go(() => '/buchen/termin?services=personalausweis%3A2%2Cwohnsitz') },
    { name: 'calendar-month', open: go(() => '/buchen/termin?services=personalausweis&office=alle&month=2026-12') },
    { name: 'no-slots', open: go(() => '/buchen/termin?services=eheschliessung') },
    { name: 'details', open: go(() => `${details}2026-12-01T08%3A00%3A00%2B01%3A00`) },
    {
      name: 'details-errors',
      open: async (page) => {
        await go(() => `${details}2026-12-01T08%3A00%3A00%2B01%3A00`)(page);
        await page.getByLabel('E-Mail-Adresse').fill('nicht-gueltig');
        await page.getByRole('button', { name: 'Termin buchen' }).click();
        await page.getByText('Bitte prüfen Sie Ihre Angaben').waitFor();
      },
    },
    {
      name: 'details-taken',
      open: async (page, round) => {
        const start = `2026-12-02T${String(8 + round).padStart(2, '0')}:00:00+01:00`;
        await go(() => `${details}${encodeURIComponent(start)}`)(page);
        await page.getByLabel('Vor- und Nachname').fill('Lena Langsam');
        await page.getByLabel('Telefonnummer').fill('0221 4710 555');
        await page.getByLabel('Ich bin einverstanden').check();
        await book(start, `taken-${round}@example.org`, 'nord');
        await page.getByRole('button', { name: 'Termin buchen' }).click();
        await page.getByText('Dieser Termin ist leider nicht mehr frei').waitFor();
      },
    },
    { name: 'booked', open: go(() => `${manage}/gebucht`) },
    { name: 'manage', open: go(() => manage) },
    { name: 'manage-cancelled', open: go(() => `${cancelled}?erfolg=abgesagt`) },
    {
      name: 'confirm',
      open: async (page) => {
        await page.goto(await confirmLinkFor(server, 'a11y@example.org'));
      },
    },
    {
      name: 'confirm-wrong-code',
      open: async (page) => {
        await go(() => `${manage}/bestaetigen`)(page);
        await page.getByLabel('Bestätigungscode').fill('123');
        await page.getByRole('button', { name: 'Termin bestätigen' }).click();
        await page.getByText('Bitte prüfen Sie Ihre Angaben').waitFor();
      },
    },
    { name: 'cancel-question', open: go(() => `${manage}/absagen`) },
    { name: 'cancel-closed', open: go(() => `${cancelled}/absagen`) },
    { name: 'move-calendar', open: go(() => `${manage}/verschieben`) },
    { name: 'move-confirm', open: go(() => `${manage}/verschieben/bestaetigen?office=nord&start=2026-12-03T09%3A00%3A00%2B01%3A00`) },
    { name: 'accessibility-statement', open: go(() => '/barrierefreiheit') },
    { name: 'not-found', open: go(() => '/termin/gibt-es-nicht') },
    { name: 'link-request', open: go(() => '/termin-link') },
    {
      name: 'link-request-invalid',
      open: async (page) => {
        await go(() => '/termin-link')(page);
        await page.getByLabel('E-Mail-Adresse oder Handynummer').fill('erika(at)example');
        await page.getByRole('button', { name: 'Link zusenden' }).click();
        await page.getByText('Bitte prüfen Sie Ihre Angaben').waitFor();
      },
    },
  ];

  async function scanAll(context: BrowserContext, prefix: string, round: number, options: { axe: boolean } = { axe: true }) {
    const page = await context.newPage();
    const problems: string[] = [];
    for (const step of steps) {
      await step.open(page, round);
      await snap(page, `${prefix}-${step.name}`);
      if (options.axe) for (const v of await axeViolations(page)) problems.push(`${step.name}: ${v}`);
      if (await overflowsHorizontally(page)) problems.push(`${step.name}: scrolls horizontally`);
    }
    await page.close();
    return problems;
  }

  it('has no axe violations on any page, in German', async () => {
    const context = await newContext(browser);
    expect(await scanAll(context, 'a11y-de', 0)).toEqual([]);
    await context.close();
  });

  it('has no axe violations on any page, in English', async () => {
    const context = await newContext(browser, { locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/?lang=en`);
    await page.close();
    const english = steps.filter((s) =>
      ['start', 'calendar', 'no-slots', 'details', 'booked', 'manage', 'move-confirm', 'accessibility-statement'].includes(s.name),
    );
    const problems: string[] = [];
    const tab = await context.newPage();
    for (const step of english) {
      await step.open(tab, 0);
      expect(await tab.getAttribute('html', 'lang')).toBe('en');
      await snap(tab, `a11y-en-${step.name}`);
      for (const v of await axeViolations(tab)) problems.push(`${step.name}: ${v}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reflows at 320 CSS px without horizontal scrolling', async () => {
    const context = await newContext(browser, { width: 320, height: 640 });
    expect(await scanAll(context, 'a11y-320px', 1)).toEqual([]);
    await context.close();
  });

  it('works at 200 % zoom (a 1280 px window showing 640 CSS px)', async () => {
    const context = await newContext(browser, { width: 640, height: 400, zoom: 2 });
    // Same markup and the same CSS breakpoints as 640 px: the reflow is what zoom can break.
    expect(await scanAll(context, 'a11y-zoom200', 2, { axe: false })).toEqual([]);
    await context.close();
  });
});
