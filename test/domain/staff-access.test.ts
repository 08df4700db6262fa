import { describe, expect, it } from 'vitest';
import {
  actorOf,
  canAccessOffice,
  hasRole,
  loginStage,
  officeScope,
  passwordProblems,
  requiresSecondFactor,
  type Principal,
} from '../../src/domain/staff-access.ts';

const clerkOfMitte: Principal = { kind: 'user', id: 'u1', label: 'clerk@stadt.example', role: 'clerk', officeIds: ['mitte'] };
const admin: Principal = { kind: 'user', id: 'u2', label: 'admin@stadt.example', role: 'admin', officeIds: [] };

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
