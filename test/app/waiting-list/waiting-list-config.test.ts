import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';

// SCHALTER_WAITING_LIST_HOLD: how long a freed slot is held for the next person on the waiting list.

describe('SCHALTER_WAITING_LIST_HOLD', () => {
  it('defaults to two hours and takes hours or minutes', () => {
    expect(loadConfig({}).closures.waitlistHoldHours).toBe(2);
    expect(loadConfig({ SCHALTER_WAITING_LIST_HOLD: '3h' }).closures.waitlistHoldHours).toBe(3);
    expect(loadConfig({ SCHALTER_WAITING_LIST_HOLD: '90min' }).closures.waitlistHoldHours).toBe(1.5);
    expect(loadConfig({ SCHALTER_WAITING_LIST_HOLD: '45m' }).closures.waitlistHoldHours).toBe(0.75);
    expect(loadConfig({ SCHALTER_WAITING_LIST_HOLD: '4' }).closures.waitlistHoldHours).toBe(4);
  });

  it('refuses nonsense, too short and too long, naming the variable', () => {
    for (const value of ['soon', '2 days', '1m', '200h']) {
      expect(() => loadConfig({ SCHALTER_WAITING_LIST_HOLD: value })).toThrow(ConfigError);
      expect(() => loadConfig({ SCHALTER_WAITING_LIST_HOLD: value })).toThrow(/SCHALTER_WAITING_LIST_HOLD/);
    }
  });
});
