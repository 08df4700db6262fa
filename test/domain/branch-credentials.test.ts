import { describe, expect, it } from 'vitest';
import { branchActorRefusal, staffIdOfActor } from '../../src/domain/branch-credentials.ts';

describe('whom a branch may act for', () => {
  const clerk = '6f1c1f7e-8d1a-4c55-9a43-2b1f0e9d8c7b';
  const gone = '0b7e2c1d-3a4f-4e5d-8c6b-7a8f9e0d1c2b';
  const staff = new Map([
    [clerk, { disabledAt: null }],
    [gone, { disabledAt: Date.parse('2026-11-25T09:00:00Z') }],
  ]);
  const verdict = (actor: string, at = '2026-11-25T10:00:00Z') => branchActorRefusal(actor, { officeId: 'rathaus', staff, at: Date.parse(at) });

  it('its own staff and its own kiosk', () => {
    expect(verdict(`staff:${clerk}`)).toBeNull();
    expect(verdict(`staff:${clerk.toUpperCase()}`)).toBeNull();
    expect(verdict('kiosk:rathaus')).toBeNull();
    expect(verdict('kiosk:rathaus:eingang')).toBeNull();
  });

  it('nobody else: other offices, unknown people, tokens, made-up names', () => {
    expect(verdict('staff:9d9d9d9d-9d9d-4d9d-9d9d-9d9d9d9d9d9d')).toBe('not_of_office');
    expect(verdict('kiosk:nord')).toBe('unknown_actor');
    expect(verdict('kiosk:rathausnord')).toBe('unknown_actor');
    expect(verdict('token:9d9d9d9d-9d9d-4d9d-9d9d-9d9d9d9d9d9d')).toBe('unknown_actor');
    expect(verdict('system')).toBe('unknown_actor');
    expect(verdict('staff:branch')).toBe('unknown_actor');
    expect(staffIdOfActor(`staff:${clerk} `)).toBeNull();
  });

  it('an account disabled centrally counts for what it did before, not after', () => {
    expect(verdict(`staff:${gone}`, '2026-11-25T08:59:00Z')).toBeNull();
    expect(verdict(`staff:${gone}`, '2026-11-25T09:00:00Z')).toBe('disabled');
  });
});
