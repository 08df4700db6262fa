import type { Page } from 'playwright-core';

export type Focused = { tag: string; name: string; indicator: boolean };

// Runs in the page (JavaScript on). Names the focused element as a screen reader would roughly say
// it, and tells whether anything shows where focus is: an outline or a box shadow, on the element
// or on the ::before box KERN draws checkboxes and radios with.
const DESCRIBE_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '', indicator: false };
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
  const name = (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('value') || '').trim().replace(/\\s+/g, ' ');
  const shows = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
  return { tag: el.tagName.toLowerCase(), name, indicator: Boolean(shows(getComputedStyle(el)) || shows(getComputedStyle(el, '::before'))) };
})()`;

export async function focused(page: Page): Promise<Focused> {
  return (await page.evaluate(DESCRIBE_FOCUS)) as Focused;
}

/** Presses Tab until the focused element's name contains `name`; returns every stop on the way. */
export async function tabTo(page: Page, name: string, max = 60): Promise<Focused[]> {
  const stops: Focused[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    stops.push(now);
    if (now.name.includes(name)) return stops;
  }
  throw new Error(`"${name}" not reached with ${max} tabs; stops: ${stops.map((s) => `${s.tag}:${s.name}`).join(' | ')}`);
}
