import { describe, expect, it } from 'vitest';
import {
  actorOf,
  canAccessOffice,
  hasRole,
  loginStage,
  canAccessTown,
  isKreisAdmin,
  officeScope,
  passwordProblems,
  seesPersonalData,
  requiresSecondFactor,
  type Principal,
} from '../../src/domain/staff-access.ts';

const clerkOfMitte: Principal = {
  kind: 'user',
  id: 'u1',
  label: 'clerk@stadt.example',
  role: 'clerk',
  officeIds: ['mitte'],
  municipalityId: null,
  personalData: true,
};
const admin: Principal = {
  kind: 'user',
  id: 'u2',
  label: 'admin@stadt.example',
  role: 'admin',
  officeIds: [],
  municipalityId: null,
  personalData: true,
};

describe('staff roles and office scoping', () => {
  it('a clerk of Mitte works for Mitte and not for Nord', () => {
    expect(canAccessOffice(clerkOfMitte, 'mitte')).toBe(true);
    expect(canAccessOffice(clerkOfMitte, 'nord')).toBe(false);
    expect(officeScope(clerkOfMitte)).toEqual(['mitte']);
  });

  it('an admin works for every office without being assigned to any', () => {
    expect(canAccessOffice(admin, 'nord')).toBe(true);
    expect(officeScope(admin)).toBeNull();
  });

  it('roles are ordered clerk < teamlead < admin', () => {
    expect(hasRole({ role: 'clerk' }, 'teamlead')).toBe(false);
    expect(hasRole({ role: 'teamlead' }, 'clerk')).toBe(true);
    expect(hasRole({ role: 'teamlead' }, 'admin')).toBe(false);
    expect(hasRole({ role: 'admin' }, 'teamlead')).toBe(true);
  });

  it('people act as staff:<id>, integrations as token:<id>', () => {
    expect(actorOf(clerkOfMitte)).toBe('staff:u1');
    expect(actorOf({ kind: 'token', id: 't1' })).toBe('token:t1');
  });
});

describe('town scope (issue #20)', () => {
  // A town admin carries the offices of its town (read when the request is authenticated).
  const townAdmin: Principal = { ...admin, id: 'u3', municipalityId: 'castrop', officeIds: ['mitte', 'nord'] };
  const kreisAdmin: Principal = { ...admin, id: 'u4', municipalityId: null, personalData: false };
  const clerkOfCastrop: Principal = { ...clerkOfMitte, municipalityId: 'castrop' };

  it('a town admin works for the offices of its town only, a Kreis admin for all', () => {
    expect(canAccessOffice(townAdmin, 'nord')).toBe(true);
    expect(canAccessOffice(townAdmin, 'datteln-markt')).toBe(false);
    expect(officeScope(townAdmin)).toEqual(['mitte', 'nord']);
    expect(isKreisAdmin(townAdmin)).toBe(false);
    expect(canAccessOffice(kreisAdmin, 'datteln-markt')).toBe(true);
    expect(officeScope(kreisAdmin)).toBeNull();
    expect(isKreisAdmin(kreisAdmin)).toBe(true);
  });

  it('a clerk of no town is no Kreis admin: their offices stay their scope', () => {
    expect(isKreisAdmin(clerkOfMitte)).toBe(false);
    expect(officeScope({ ...clerkOfMitte, role: 'teamlead' })).toEqual(['mitte']);
  });

  it('what belongs to a town is its own staff’s and the Kreis admin’s; what belongs to none only the Kreis admin’s', () => {
    expect(canAccessTown(clerkOfCastrop, 'castrop')).toBe(true);
    expect(canAccessTown(clerkOfCastrop, 'datteln')).toBe(false);
    expect(canAccessTown(clerkOfCastrop, null)).toBe(false);
    expect(canAccessTown(kreisAdmin, 'datteln')).toBe(true);
    expect(canAccessTown(kreisAdmin, null)).toBe(true);
  });

  it('personal data: what the principal was given when it was read', () => {
    expect(seesPersonalData(kreisAdmin)).toBe(false);
    expect(seesPersonalData({ ...kreisAdmin, personalData: true })).toBe(true);
    expect(seesPersonalData(townAdmin)).toBe(true);
  });
});

describe('login stages', () => {
  const base = { mustChangePassword: false, totpEnrolled: false, totpVerified: false };

  it('team leads and admins need a second factor, clerks do not', () => {
    expect(requiresSecondFactor('clerk')).toBe(false);
    expect(requiresSecondFactor('teamlead')).toBe(true);
    expect(requiresSecondFactor('admin')).toBe(true);
  });

  it('a new team lead first replaces the one-time password, then enrols TOTP, then works', () => {
    expect(loginStage({ ...base, role: 'teamlead', mustChangePassword: true })).toBe('password_change');
    expect(loginStage({ ...base, role: 'teamlead' })).toBe('totp_enrol');
    expect(loginStage({ ...base, role: 'teamlead', totpEnrolled: true, totpVerified: true })).toBe('active');
  });

  it('an enrolled account types its code before anything else, even before a password change', () => {
    expect(loginStage({ ...base, role: 'admin', totpEnrolled: true, mustChangePassword: true })).toBe('totp_verify');
    expect(loginStage({ ...base, role: 'clerk', totpEnrolled: true })).toBe('totp_verify');
  });

  it('a clerk with a changed password is active at once', () => {
    expect(loginStage({ ...base, role: 'clerk' })).toBe('active');
  });
});

describe('password rules', () => {
  it('asks for 12 characters and refuses the email name and the old password', () => {
    expect(passwordProblems('kurz', { email: 'e.muster@stadt.example' })).toEqual(['too_short']);
    expect(passwordProblems('e.muster-2026-sommer', { email: 'e.muster@stadt.example' })).toEqual(['contains_email']);
    expect(passwordProblems('Pferd Batterie Heftklammer', { email: 'x@stadt.example', previous: 'Pferd Batterie Heftklammer' })).toEqual([
      'unchanged',
    ]);
    expect(passwordProblems('Pferd Batterie Heftklammer', { email: 'e.muster@stadt.example' })).toEqual([]);
  });
});
