import { describe, expect, it } from 'vitest';
import { branchActorRefusal, branchPinProblems, staffIdOfActor } from '../../src/domain/branch-credentials.ts';
import { loginStage, passwordProblems } from '../../src/domain/staff-access.ts';

describe('branch PIN rules', () => {
  it('takes 6 to 10 digits and refuses the first PINs anyone tries', () => {
    expect(branchPinProblems('480317')).toEqual([]);
    expect(branchPinProblems('4803179521')).toEqual([]);
    expect(branchPinProblems('48031')).toEqual(['too_short']);
    expect(branchPinProblems('48031795210')).toEqual(['too_long']);
    expect(branchPinProblems('48a317')).toEqual(['not_digits']);
    expect(branchPinProblems('')).toEqual(['too_short']);
    for (const simple of ['111111', '123456', '987654', '890123', '0000000'])
      expect(branchPinProblems(simple), simple).toEqual(['too_simple']);
  });

  it('is never a valid central password, so a PIN seen at the branch opens nothing centrally', () => {
    for (const pin of ['480317', '4803179521']) expect(passwordProblems(pin, { email: 'x@stadt.example' })).toContain('too_short');
  });
});

describe('login stages with a branch PIN', () => {
  const base = { mustChangePassword: false, totpEnrolled: false, totpVerified: false };
  it('someone of an office with a branch chooses a PIN after password and second factor, before work', () => {
    expect(loginStage({ ...base, role: 'clerk', mustChangePassword: true, needsBranchPin: true })).toBe('password_change');
    expect(loginStage({ ...base, role: 'teamlead', needsBranchPin: true })).toBe('totp_enrol');
    expect(loginStage({ ...base, role: 'teamlead', totpEnrolled: true, totpVerified: true, needsBranchPin: true })).toBe('branch_pin');
    expect(loginStage({ ...base, role: 'clerk', needsBranchPin: true })).toBe('branch_pin');
    expect(loginStage({ ...base, role: 'clerk', needsBranchPin: false })).toBe('active');
  });

  it('at the branch node the PIN is the whole login, also for a team lead', () => {
    expect(loginStage({ ...base, role: 'teamlead', atBranch: true })).toBe('active');
    expect(loginStage({ ...base, role: 'teamlead', atBranch: false })).toBe('totp_enrol');
  });
});

describe('whom a branch may act for', () => {
  const clerk = '6f1c1f7e-8d1a-4c55-9a43-2b1f0e9d8c7b';
  const gone = '0b7e2c1d-3a4f-4e5d-8c6b-7a8f9e0d1c2b';
  const staff = new Map([
    [clerk, { disabledAt: null }],
    [gone, { disabledAt: Date.parse('2026-11-25T09:00:00Z') }],
  ]);
  const printer = '5c4b3a29-1807-4f6e-9d8c-7b6a5f4e3d2c';
  const revoked = '6d5c4b3a-2918-4f07-8e9d-8c7b6a5f4e3d';
  const tokens = new Map([
    [printer, { revokedAt: null }],
    [revoked, { revokedAt: Date.parse('2026-11-25T09:00:00Z') }],
  ]);
  const verdict = (actor: string, at = '2026-11-25T10:00:00Z') =>
    branchActorRefusal(actor, { officeId: 'rathaus', staff, tokens, at: Date.parse(at) });

  it('its own staff and its own kiosk', () => {
    expect(verdict(`staff:${clerk}`)).toBeNull();
    expect(verdict(`staff:${clerk.toUpperCase()}`)).toBeNull();
    expect(verdict('kiosk:rathaus')).toBeNull();
    expect(verdict('kiosk:rathaus:eingang')).toBeNull();
  });

  it('the API tokens scoped to the office (issue #18 item 4), until they are revoked', () => {
    expect(verdict(`token:${printer}`)).toBeNull();
    expect(verdict(`token:${revoked}`, '2026-11-25T08:59:00Z')).toBeNull();
    expect(verdict(`token:${revoked}`, '2026-11-25T09:00:00Z')).toBe('disabled');
    expect(verdict(`staff:${printer}`)).toBe('not_of_office');
  });

  it('nobody else: other offices, unknown people and tokens, made-up names', () => {
    expect(verdict('staff:9d9d9d9d-9d9d-4d9d-9d9d-9d9d9d9d9d9d')).toBe('not_of_office');
    expect(verdict('kiosk:nord')).toBe('unknown_actor');
    expect(verdict('kiosk:rathausnord')).toBe('unknown_actor');
    expect(verdict('token:9d9d9d9d-9d9d-4d9d-9d9d-9d9d9d9d9d9d')).toBe('not_of_office');
    expect(verdict(`token:${clerk}`)).toBe('not_of_office');
    expect(verdict('token:printer')).toBe('unknown_actor');
    expect(verdict('system')).toBe('unknown_actor');
    expect(verdict('staff:branch')).toBe('unknown_actor');
    expect(staffIdOfActor(`staff:${clerk} `)).toBeNull();
  });

  it('an account disabled centrally counts for what it did before, not after', () => {
    expect(verdict(`staff:${gone}`, '2026-11-25T08:59:00Z')).toBeNull();
    expect(verdict(`staff:${gone}`, '2026-11-25T09:00:00Z')).toBe('disabled');
  });
});
