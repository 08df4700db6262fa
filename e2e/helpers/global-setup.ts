import { CHROMIUM, hasChromium } from './browser.ts';

export default function setup(): void {
  if (!hasChromium) console.warn(`\n  Browser tests SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install chromium\n`);
}
