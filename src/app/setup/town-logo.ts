// The town's logo (#21): the file `municipality.logo` names, read next to the town file by whoever
// reads that file (the CLI, the demo seed) and checked here by its content, not its name — a PNG by
// its signature, an SVG by its root element. Pure: bytes in, the logo or what is wrong with it out.
import { createHash } from 'node:crypto';
import type { Bilingual } from './town-file-messages.ts';

export type LogoMediaType = 'image/png' | 'image/svg+xml';
export type TownLogo = { bytes: Uint8Array; mediaType: LogoMediaType };

/** A crest in the page header needs a few KB; this leaves room for a detailed PNG, not for a photo. */
export const MAX_LOGO_BYTES = 512 * 1024;

/** Where a logo problem is reported, like every other problem of the town file. */
export const LOGO_PATH = 'municipality.logo';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The logo, or what is wrong with its bytes. */
export function checkLogo(bytes: Uint8Array): { logo: TownLogo; problem?: undefined } | { logo?: undefined; problem: Bilingual } {
  if (bytes.length === 0) return { problem: { de: 'Die Logodatei ist leer', en: 'the logo file is empty' } };
  if (bytes.length > MAX_LOGO_BYTES) {
    const kb = Math.ceil(bytes.length / 1024);
    return {
      problem: {
        de: `Das Logo ist ${kb.toLocaleString('de-DE')} KB groß; erlaubt sind höchstens 512 KB`,
        en: `the logo is ${kb.toLocaleString('en-GB')} KB; at most 512 KB are allowed`,
      },
    };
  }
  if (isPng(bytes)) return { logo: { bytes, mediaType: 'image/png' } };
  const svg = svgProblem(bytes);
  if (svg === null) return { logo: { bytes, mediaType: 'image/svg+xml' } };
  return { problem: svg };
}

/** What the change diff compares: a changed image under the same file name is a change. */
export function logoDigest(logo: { bytes: Uint8Array; mediaType: string }): string {
  return `${logo.mediaType};sha256=${createHash('sha256').update(logo.bytes).digest('hex')}`;
}

/** The logo file could not be read (fs error code), with the path that was tried. */
export function unreadableLogo(name: string, tried: string, code: string | undefined): Bilingual {
  if (code === 'ENOENT')
    return {
      de: `Die Logodatei „${name}“ wurde nicht gefunden (gesucht: ${tried}); der Pfad gilt relativ zur Stadtdatei`,
      en: `the logo file "${name}" was not found (looked for ${tried}); the path is relative to the town file`,
    };
  if (code === 'EISDIR') return { de: `„${name}“ ist ein Ordner, keine Logodatei`, en: `"${name}" is a folder, not a logo file` };
  return {
    de: `Die Logodatei „${name}“ ist nicht lesbar (${code ?? 'Fehler'})`,
    en: `the logo file "${name}" cannot be read (${code ?? 'error'})`,
  };
}

/** Over the JSON API no image travels: a logo name the database has no bytes for cannot be applied there. */
export function logoNotRead(name: string): Bilingual {
  return {
    de: `Das Logo „${name}“ ist nicht eingelesen: eine neue Logodatei liest nur „schalter setup apply DATEI“ ein (die JSON-Schnittstelle überträgt keine Bilder). Lassen Sie „logo“ unverändert oder weg.`,
    en: `the logo "${name}" has not been read: only "schalter setup apply FILE" reads a new logo file (the JSON API carries no images). Keep "logo" as it is, or leave it out.`,
  };
}

function isPng(bytes: Uint8Array): boolean {
  // The signature, then the IHDR chunk every PNG starts with.
  return (
    bytes.length > 16 &&
    PNG_SIGNATURE.every((b, i) => bytes[i] === b) &&
    String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!) === 'IHDR'
  );
}

const NOT_AN_IMAGE: Bilingual = {
  de: 'Die Logodatei ist weder ein PNG- noch ein SVG-Bild',
  en: 'the logo file is neither a PNG nor an SVG image',
};

/** null: an SVG document (UTF-8, the first element is <svg>) without script. */
function svgProblem(bytes: Uint8Array): Bilingual | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return NOT_AN_IMAGE;
  }
  // Before the root element only an XML declaration, comments, a doctype and white space may come.
  const prolog = /^(?:\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE\s[^>[]*>)*/.exec(text)![0];
  if (!/^<svg[\s/>]/.test(text.slice(prolog.length))) return NOT_AN_IMAGE;
  // Shown as <img> and served with a sandboxing CSP, a script would never run; a crest has no use
  // for one, so a file with one is more likely a mistake (or worse) than a logo.
  if (/<script[\s/>]/i.test(text) || /<!ENTITY/i.test(text))
    return {
      de: 'Das SVG-Logo enthält ein Skript oder eigene Entitäten; ein Logo braucht keines von beiden',
      en: 'the SVG logo contains a script or entity declarations; a logo needs neither',
    };
  return null;
}
