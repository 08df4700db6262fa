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
const provider = {
  SCHALTER_OIDC_ISSUER: 'https://login.kreis.example/realms/stadt',
  SCHALTER_OIDC_CLIENT_ID: 'schalter',
  SCHALTER_OIDC_CLIENT_SECRET: 'geheim',
};

describe('single sign-on in the environment', () => {
  it('is off without an issuer, on with all three settings and the default groups', () => {
    expect(loadConfig({}).sso).toBeNull();
    expect(loadConfig(provider).sso).toMatchObject({
      issuer: 'https://login.kreis.example/realms/stadt',
      mapping: { groupsClaim: 'groups', roleGroups: { admin: 'schalter-admin', clerk: 'schalter-sachbearbeitung' } },
    });
  });

  it('names what is missing, and refuses it on a branch node', () => {
    expect(problemsOf({ SCHALTER_OIDC_ISSUER: provider.SCHALTER_OIDC_ISSUER })).toEqual([
      'SCHALTER_OIDC_CLIENT_ID: required for single sign-on (set all three or none)',
      'SCHALTER_OIDC_CLIENT_SECRET: required for single sign-on (set all three or none)',
    ]);
    const branch = {
      SCHALTER_ROLE: 'branch',
      SCHALTER_CENTRAL_URL: 'https://schalter.kreis.example',
      SCHALTER_OFFICE: 'rathaus',
      SCHALTER_BRANCH_ID: 'rathaus-1',
      SCHALTER_BRANCH_TOKEN: 'schb_x',
    };
    expect(problemsOf({ ...branch, ...provider })).toEqual([
      'SCHALTER_OIDC_ISSUER: a branch node logs staff in with their branch PIN; unset it',
    ]);
  });
});
