import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { describe, expect, it } from 'vitest';
import { createBotCheck } from '../../src/http/pages/bot-check.ts';
import { fixedClock } from '../helpers/fixture.ts';

// The secret counter is what the browser has to find; solving reveals it, so the test measures the
// work a challenge demands, not a field the server merely claims.
async function triesFor(check: ReturnType<typeof createBotCheck>): Promise<number> {
  const solution = await solveChallenge({ challenge: await check.challenge(), deriveKey });
  return solution!.counter;
}

describe('bot check under load', () => {
  it('asks for more proof of work while challenges pour in, and relaxes a minute after the storm', async () => {
    const clock = fixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const check = createBotCheck({ hmacKey: 'k'.repeat(32), cost: 1, counter: [5, 10], calmPerMinute: 10, now: clock.now });
    const calm = await triesFor(check);
    expect(calm).toBeGreaterThanOrEqual(5);
    expect(calm).toBeLessThanOrEqual(10);

    for (let i = 0; i < 14; i++) await check.challenge(); // 16 in the minute with the next: 1.6 x calm
    const busy = await triesFor(check);
    expect(busy).toBeGreaterThanOrEqual(10);
    expect(busy).toBeLessThanOrEqual(20);

    for (let i = 0; i < 200; i++) await check.challenge(); // a storm: capped at eight times
    const storm = await triesFor(check);
    expect(storm).toBeGreaterThanOrEqual(40);
    expect(storm).toBeLessThanOrEqual(80);

    clock.advance(70_000);
    const after = await triesFor(check);
    expect(after).toBeLessThanOrEqual(10);
  });
});
