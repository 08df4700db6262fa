import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Browser tests need Debian's chromium (`apt-get install chromium`); without it they are skipped. */
export const hasChromium = fs.existsSync(CHROMIUM);
const SCREENSHOTS = path.resolve('test-results/e2e');

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // Violations of a context nobody closed are reported when the browser closes.
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    await close(options);
    reportCspViolations(unreported.get(browser));
  };
  return browser;
}

// Content-Security-Policy violations fail the test: a blocked script or style is a broken page that
// a screenshot may not show. Chromium reports each on the console; with JavaScript on, the page's
// own securitypolicyviolation event reports it too (also for what a worker was refused).
const unreported = new WeakMap<Browser, Set<string>>();
const CSP = /Content[- ]Security[- ]Policy/i;

function reportCspViolations(violations: Set<string> | undefined): void {
  if (!violations || violations.size === 0) return;
  const list = [...violations];
  violations.clear();
  throw new Error(`Content-Security-Policy violations:\n  ${list.join('\n  ')}`);
}

async function watchCsp(browser: Browser, context: BrowserContext): Promise<void> {
  const seen = unreported.get(browser) ?? new Set<string>();
  unreported.set(browser, seen);
  const mine = new Set<string>();
  context.on('console', (message) => {
    const text = message.text();
    if (!CSP.test(text)) return;
    const line = `${message.page()?.url() ?? ''}: ${text}`;
    mine.add(line);
    seen.add(line);
  });
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    for (const line of mine) seen.delete(line);
    reportCspViolations(mine);
  };
}

export type ContextOptions = { javaScript?: boolean; width?: number; height?: number; zoom?: number; locale?: string };

/** A fresh browser profile; `zoom: 2` with width 640 is what 200 % zoom makes of a 1280 px window. */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1024, height: options.height ?? 800 },
    deviceScaleFactor: options.zoom ?? 1,
    locale: options.locale ?? 'de-DE',
    acceptDownloads: true,
  });
  await watchCsp(browser, context);
  return context;
}

/** Full-page screenshot under test-results/e2e/ (kept as a CI artifact, never committed). */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * axe with the WCAG 2.x A/AA rules; returns readable violations so a failing test says what and where.
 * axe runs as page script, so scan in a context with JavaScript on (the markup is the same).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
}

/** True if the page needs horizontal scrolling (WCAG 1.4.10 reflow fails). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1')) as boolean;
}

/** Waits until the locator is visible (vitest's expect knows no locators). */
export async function visible(locator: ReturnType<Page['locator']>, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Works with JavaScript off too: :focus is matched by Playwright's own selector engine. */
export async function isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return (await locator.and(locator.page().locator(':focus')).count()) === 1;
}
