import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

// SCHALTER_OFFICE_NETWORKS (issue 15, item 7): the networks whose kiosks and call displays need no pairing.

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const branch = {
  SCHALTER_ROLE: 'branch',
  SCHALTER_CENTRAL_URL: 'https://schalter.kreis.example',
  SCHALTER_OFFICE: 'rathaus',
  SCHALTER_BRANCH_ID: 'rathaus-1',
  SCHALTER_BRANCH_TOKEN: 'schb_x',
};

describe('office networks in the environment', () => {
  it('take IPv4 and IPv6 networks and single addresses, separated by commas', () => {
    expect(loadConfig({ SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16, 192.168.5.7 ,fd00:20::/64,2001:db8::1' }).officeNetworks).toEqual([
      { address: '10.20.0.0', prefix: 16, family: 'ipv4' },
      { address: '192.168.5.7', prefix: 32, family: 'ipv4' },
      { address: 'fd00:20::', prefix: 64, family: 'ipv6' },
      { address: '2001:db8::1', prefix: 128, family: 'ipv6' },
    ]);
  });

  it('are none by default: a central or standalone server trusts no address', () => {
    expect(loadConfig({}).officeNetworks).toEqual([]);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', SCHALTER_ROLE: 'central' }).officeNetworks).toEqual([]);
  });

  it('are the local and private ranges on a branch node unless set; "off" leaves pairing only', () => {
    const cidrs = loadConfig(branch).officeNetworks.map((n) => `${n.address}/${n.prefix}`);
    expect(cidrs).toEqual([
      '127.0.0.0/8',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '169.254.0.0/16',
      '::1/128',
      'fc00::/7',
      'fe80::/10',
    ]);
    expect(loadConfig({ ...branch, SCHALTER_OFFICE_NETWORKS: 'off' }).officeNetworks).toEqual([]);
    expect(loadConfig({ ...branch, SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16' }).officeNetworks).toHaveLength(1);
  });

  it('name every wrong entry, together with the other settings’ problems', () => {
    expect(
      problemsOf({
        SCHALTER_OFFICE_NETWORKS: '10.0.0.0/33, rathaus, 10.1.0.0/16, fd00::/129, 1.2.3.4/8/1',
        SCHALTER_DISPLAY_CONNECTIONS: '0',
        PORT: 'x',
      }),
    ).toEqual([
      'PORT: Invalid input: expected number, received NaN',
      'SCHALTER_OFFICE_NETWORKS: "10.0.0.0/33" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)',
      'SCHALTER_OFFICE_NETWORKS: "rathaus" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)',
      'SCHALTER_OFFICE_NETWORKS: "fd00::/129" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)',
      'SCHALTER_OFFICE_NETWORKS: "1.2.3.4/8/1" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)',
      'SCHALTER_DISPLAY_CONNECTIONS: Too small: expected number to be >=1',
    ]);
    expect(problemsOf({ SCHALTER_OFFICE_NETWORKS: ' , ' })).toEqual([
      'SCHALTER_OFFICE_NETWORKS: must list networks (e.g. 10.20.0.0/16, fd00:20::/64) or be "off"',
    ]);
  });

  it('cap the call displays per office at 20 unless set', () => {
    expect(loadConfig({}).displayConnectionsPerOffice).toBe(20);
    expect(loadConfig({ SCHALTER_DISPLAY_CONNECTIONS: '50' }).displayConnectionsPerOffice).toBe(50);
  });
});
