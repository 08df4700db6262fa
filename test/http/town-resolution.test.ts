import { describe, expect, it } from 'vitest';
import type { TownSite } from '../../src/app/setup/read-town-site.ts';
import { townSiteUrl } from '../../src/app/setup/town-site-url.ts';
import { prefixTown, resolveTown } from '../../src/http/town-site.ts';

// The order in which a citizen request finds its town (kreis-design.md decision 4), without a server.

const town = (id: string, more: Partial<TownSite> = {}): TownSite => ({
  id,
  name: `Stadt ${id}`,
  logo: null,
  imprintUrl: null,
  privacyUrl: null,
  signLanguageVideoUrl: null,
  siteUrl: null,
  hosts: [],
  neighbours: [],
  mailFrom: `Bürgerbüro <bb@${id}.example>`,
  ...more,
});

const castrop = town('castrop', {
  siteUrl: 'https://termine.castrop.example',
  hosts: ['termine.castrop.example'],
  neighbours: ['waltrop'],
});
const waltrop = town('waltrop', { hosts: ['termine.waltrop.example', 'waltrop.kreis.example'] });
const KREIS = [castrop, waltrop];

describe('which town a request belongs to', () => {
  it('a prefix that is a town id wins over the host; staff, device and operations paths never have one', () => {
    expect(prefixTown('/waltrop/buchen', KREIS)).toBe(waltrop);
    expect(prefixTown('/waltrop', KREIS)).toBe(waltrop);
    expect(prefixTown('/buchen/termin', KREIS)).toBeUndefined();
    for (const path of [
      '/waltrop/staff',
      '/waltrop/staff/login',
      '/waltrop/kiosk/a',
      '/waltrop/display/a',
      '/waltrop/healthz',
      '/waltrop/metrics',
    ])
      expect(prefixTown(path, KREIS)).toBeUndefined();
    const resolved = resolveTown(KREIS, waltrop, 'termine.castrop.example');
    expect(resolved).toEqual({ kind: 'town', site: waltrop, prefix: '/waltrop', scope: { townId: 'waltrop', neighbours: [] } });
  });

  it('the host of a siteUrl or a hostNames entry, in any case; neighbours come with the scope', () => {
    expect(resolveTown(KREIS, undefined, 'TERMINE.Castrop.example')).toEqual({
      kind: 'town',
      site: castrop,
      prefix: '',
      scope: { townId: 'castrop', neighbours: ['waltrop'] },
    });
    expect(resolveTown(KREIS, undefined, 'waltrop.kreis.example')).toMatchObject({ kind: 'town', site: waltrop });
  });

  it('a host two towns share names neither; with several towns and nothing else the citizen chooses', () => {
    const shared = [town('a', { hosts: ['kreis.example'] }), town('b', { hosts: ['kreis.example'] })];
    expect(resolveTown(shared, undefined, 'kreis.example')).toEqual({ kind: 'choose', towns: shared });
    expect(resolveTown(KREIS, undefined, 'localhost')).toEqual({ kind: 'choose', towns: KREIS });
  });

  it('one town, or none set up yet: that one, without scope or prefix — a one-town installation as before', () => {
    expect(resolveTown([castrop], undefined, 'localhost')).toEqual({ kind: 'town', site: castrop, prefix: '', scope: null });
    expect(resolveTown([], undefined, 'localhost')).toEqual({ kind: 'town', site: null, prefix: '', scope: null });
  });
});

describe('where a town’s mail links point', () => {
  it('its siteUrl; else this server under its prefix when it serves several towns; else PUBLIC_URL', () => {
    expect(townSiteUrl('https://kreis.example', castrop, 2)).toBe('https://termine.castrop.example');
    expect(townSiteUrl('https://kreis.example', { id: 'c', siteUrl: 'https://c.example/termine/' }, 2)).toBe('https://c.example/termine');
    expect(townSiteUrl('https://kreis.example', waltrop, 2)).toBe('https://kreis.example/waltrop');
    expect(townSiteUrl('https://kreis.example', waltrop, 1)).toBe('https://kreis.example');
    expect(townSiteUrl('https://kreis.example', null, 2)).toBe('https://kreis.example');
  });
});
