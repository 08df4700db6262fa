import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the two limits in the environment', () => {
  it('take a positive whole number or off', () => {
    expect(loadConfig({ SCHALTER_CONTACT_LIMIT: '2', SCHALTER_RATE_LIMIT: 'off' })).toMatchObject({
      openAppointmentsPerContact: 2,
      rateLimitPerMinute: null,
    });
    expect(loadConfig({})).toMatchObject({ openAppointmentsPerContact: 1, rateLimitPerMinute: 300 });
  });

  it('say what each one counts when the value is wrong, both in one go', () => {
    expect(problemsOf({ SCHALTER_CONTACT_LIMIT: 'one', SCHALTER_RATE_LIMIT: '0' })).toEqual([
      'SCHALTER_RATE_LIMIT: must be a positive integer (requests per minute) or "off"',
      'SCHALTER_CONTACT_LIMIT: must be a positive integer (open appointments per person and service) or "off"',
    ]);
  });
});
