import { describe, expect, it } from 'vitest';
import { runSetupCommand, type SetupCliIo } from '../../../src/cli/setup-commands.ts';
import { TOWN_FILE_TEMPLATE } from '../../../src/app/setup/town-file-template.ts';
import { checkLogo, logoDigest, MAX_LOGO_BYTES } from '../../../src/app/setup/town-logo.ts';

// The logo `municipality.logo` names (#21): checked by its content, and reported like every other
// problem of the town file, at its path, German and English.

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = Uint8Array.from(
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4840000000049454e44ae426082',
    'hex',
  ),
);
const SVG =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- Wappen -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n';

describe('checkLogo', () => {
  it('knows a PNG by its signature and an SVG by its root element, whatever the file is called', () => {
    expect(checkLogo(PNG).logo?.mediaType).toBe('image/png');
    expect(checkLogo(bytes(SVG)).logo?.mediaType).toBe('image/svg+xml');
    expect(checkLogo(bytes('\ufeff<svg viewBox="0 0 1 1"/>')).logo?.mediaType).toBe('image/svg+xml');
  });

  it.each([
    [
      'a JPEG',
      Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]),
      'Die Logodatei ist weder ein PNG- noch ein SVG-Bild',
    ],
    ['HTML', bytes('<!doctype html><html><svg></svg></html>'), 'Die Logodatei ist weder ein PNG- noch ein SVG-Bild'],
    ['a PNG signature alone', PNG.slice(0, 8), 'Die Logodatei ist weder ein PNG- noch ein SVG-Bild'],
    ['an empty file', new Uint8Array(0), 'Die Logodatei ist leer'],
    [
      'an SVG with a script',
      bytes('<svg><script>alert(1)</script></svg>'),
      'Das SVG-Logo enthält ein Skript oder eigene Entitäten; ein Logo braucht keines von beiden',
    ],
    ['too large a file', new Uint8Array(MAX_LOGO_BYTES + 1), 'Das Logo ist 513 KB groß; erlaubt sind höchstens 512 KB'],
  ])('refuses %s', (_, input, de) => {
    expect(checkLogo(input).problem?.de).toBe(de);
    expect(checkLogo(input).problem?.en).toMatch(/^[a-z]/);
  });

  it('a new image under the same name has another digest', () => {
    const a = checkLogo(bytes(SVG)).logo!;
    const b = checkLogo(bytes(SVG.replace('width="10"', 'width="9"'))).logo!;
    expect(logoDigest(a)).toMatch(/^image\/svg\+xml;sha256=[0-9a-f]{64}$/);
    expect(logoDigest(a)).not.toBe(logoDigest(b));
  });
});

describe('schalter setup check with a logo', () => {
  const town = TOWN_FILE_TEMPLATE.replace(/ {2}# logo: wappen\.svg +/, '  logo: bilder/wappen.svg ');

  function terminal(files: Record<string, Uint8Array>) {
    const out: string[] = [];
    const io: SetupCliIo = {
      out: (t) => void out.push(t),
      err: (t) => void out.push(t),
      readFile: async () => town,
      readBytes: async (file) => {
        if (file in files) return files[file]!;
        throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      },
      readStdin: async () => town,
    };
    return { io, out: () => out.join('') };
  }

  it('reads the logo relative to the town file', async () => {
    const t = terminal({ '/srv/stadt/bilder/wappen.svg': bytes(SVG) });
    expect(town).toContain('\n  logo: bilder/wappen.svg # SVG oder PNG bis 512 KB, relativ zu dieser Datei\n');
    expect(await runSetupCommand(['check', '/srv/stadt/stadt.yaml'], t.io)).toBe(0);
    expect(t.out()).toBe('/srv/stadt/stadt.yaml: in Ordnung / valid\n');
  });

  it('a missing logo is a problem at municipality.logo, with line and column, in both languages', async () => {
    const t = terminal({});
    expect(await runSetupCommand(['check', '/srv/stadt/stadt.yaml'], t.io)).toBe(1);
    const line = town.split('\n').findIndex((l) => l.includes('logo: bilder/wappen.svg')) + 1;
    expect(t.out()).toBe(
      `/srv/stadt/stadt.yaml:${line}:9: municipality.logo: Die Logodatei „bilder/wappen.svg“ wurde nicht gefunden (gesucht: /srv/stadt/bilder/wappen.svg); der Pfad gilt relativ zur Stadtdatei\n` +
        '    the logo file "bilder/wappen.svg" was not found (looked for /srv/stadt/bilder/wappen.svg); the path is relative to the town file\n' +
        '/srv/stadt/stadt.yaml: 1 Problem / 1 problem\n',
    );
  });

  it('a file that is no image is refused by apply before any database is opened', async () => {
    const t = terminal({ '/srv/stadt/bilder/wappen.svg': bytes('GIF89a') });
    expect(await runSetupCommand(['apply', '/srv/stadt/stadt.yaml'], t.io)).toBe(1);
    expect(t.out()).toContain('municipality.logo: Die Logodatei ist weder ein PNG- noch ein SVG-Bild\n');
    expect(t.out()).toContain('nicht angewendet / not applied');
  });
});
