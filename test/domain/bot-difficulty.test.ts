import { describe, expect, it } from 'vitest';
import { botCheckDifficulty } from '../../src/domain/bot-difficulty.ts';

describe('proof-of-work difficulty under load', () => {
  it('stays at the phone-friendly 1000-2000 tries in an ordinary hour', () => {
    expect(botCheckDifficulty({ bookingsPerMinute: 10, calmPerMinute: 20 }).counter).toEqual([1000, 2000]);
  });
  it('doubles in steps as a release storm grows, and stops at eight times', () => {
    expect(botCheckDifficulty({ bookingsPerMinute: 30, calmPerMinute: 20 }).counter).toEqual([2000, 4000]);
    expect(botCheckDifficulty({ bookingsPerMinute: 70, calmPerMinute: 20 }).counter).toEqual([4000, 8000]);
    expect(botCheckDifficulty({ bookingsPerMinute: 100_000, calmPerMinute: 20 }).counter).toEqual([8000, 16000]);
  });
});
