import { describe, expect, it } from 'vitest';
import { accountFromClaims, type SsoMapping } from '../../src/domain/sso-claims.ts';

const mapping: SsoMapping = {
  groupsClaim: 'groups',
  roleGroups: { admin: 'schalter-admin', teamlead: 'schalter-teamleitung', clerk: 'schalter-sachbearbeitung' },
  officePrefix: 'schalter-standort-',
  townPrefix: 'schalter-stadt-',
  kreisGroup: 'schalter-kreis',
};
const kreis = {
  offices: new Map<string, string | null>([
    ['castrop-rathaus', 'castrop'],
    ['castrop-nord', 'castrop'],
    ['waltrop-rathaus', 'waltrop'],
  ]),
  municipalityIds: ['castrop', 'waltrop'],
};
const person = (groups: unknown, extra: Record<string, unknown> = {}) => ({
  sub: 'abc',
  email: 'A.Person@Stadt.example',
  name: 'A. Person',
  groups,
  ...extra,
});

describe('a Schalter account from an identity provider’s groups', () => {
  it('takes the highest role, the offices and their town', () => {
    expect(
      accountFromClaims(
        person(['schalter-sachbearbeitung', 'schalter-teamleitung', 'schalter-standort-castrop-nord', 'andere']),
        mapping,
        kreis,
      ),
    ).toEqual({
      subject: 'abc',
      email: 'a.person@stadt.example',
      displayName: 'A. Person',
      role: 'teamlead',
      officeIds: ['castrop-nord'],
      municipalityId: 'castrop',
    });
  });

  it('accepts one group given as a string, and falls back to the address for a missing name', () => {
    const account = accountFromClaims(person('schalter-admin', { name: ' ' }), mapping, {
      offices: new Map(),
      municipalityIds: ['castrop'],
    });
    expect(account).toMatchObject({ role: 'admin', displayName: 'a.person@stadt.example', municipalityId: 'castrop', officeIds: [] });
  });

  it('places a town admin by the town group, a Kreis admin by the Kreis group only', () => {
    expect(accountFromClaims(person(['schalter-admin', 'schalter-stadt-waltrop']), mapping, kreis)).toMatchObject({
      municipalityId: 'waltrop',
    });
    expect(accountFromClaims(person(['schalter-admin', 'schalter-kreis']), mapping, kreis)).toMatchObject({ municipalityId: null });
    // The Kreis group does not lift a town's admin, nor a clerk, to the whole Kreis.
    expect(accountFromClaims(person(['schalter-admin', 'schalter-kreis', 'schalter-stadt-castrop']), mapping, kreis)).toMatchObject({
      municipalityId: 'castrop',
    });
    expect(accountFromClaims(person(['schalter-admin']), mapping, kreis)).toEqual({ refused: 'no_town' });
  });

  it('refuses what it cannot place', () => {
    expect(accountFromClaims(person(['alle']), mapping, kreis)).toEqual({ refused: 'no_role' });
    expect(accountFromClaims(person(['schalter-sachbearbeitung']), mapping, kreis)).toEqual({ refused: 'no_office' });
    expect(accountFromClaims(person(['schalter-sachbearbeitung', 'schalter-standort-gibtsnicht']), mapping, kreis)).toEqual({
      refused: 'unknown_office',
    });
    expect(
      accountFromClaims(
        person(['schalter-sachbearbeitung', 'schalter-standort-castrop-nord', 'schalter-standort-waltrop-rathaus']),
        mapping,
        kreis,
      ),
    ).toEqual({ refused: 'several_towns' });
    expect(
      accountFromClaims(person(['schalter-sachbearbeitung', 'schalter-stadt-waltrop', 'schalter-standort-castrop-nord']), mapping, kreis),
    ).toEqual({ refused: 'office_of_other_town' });
    expect(accountFromClaims(person(['schalter-admin'], { email: undefined }), mapping, kreis)).toEqual({ refused: 'no_email' });
  });
});
