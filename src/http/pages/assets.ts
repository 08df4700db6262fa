import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { webFile } from '../../web-dir.ts';
import type { UiLanguage } from '../language.ts';

// Everything a page loads comes from our own origin (no CDN: no third party learns who books what,
// and the pages keep working when the outside world is unreachable). A page is one HTML document,
// one CSS file and the fonts it uses; the booking form adds the ALTCHA widget script, the time
// picker a small script of ours.
// The Content-Security-Policy (security-headers.ts) allows nothing inline: ALTCHA's default bundle
// injects a <style> element and starts its proof-of-work worker from a blob: URL, so we serve its
// 'external' build instead, its CSS inside our stylesheet and its PBKDF2 worker as a file of ours.

type Asset = { body: Buffer; gzip: Buffer | null; type: string };

export type AssetUrls = { css: string; altcha: string; altchaGerman: string; altchaWorkers: string; picker: string };

const require = createRequire(import.meta.url);
const IMMUTABLE = 'public, max-age=31536000, immutable';

function packageDir(name: string, entry: string): string {
  // Walk up from a resolvable entry to the folder holding the package.json of `name`.
  let dir = path.dirname(require.resolve(entry));
  while (
    !fs.existsSync(path.join(dir, 'package.json')) ||
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package folder of ${name}`);
    dir = parent;
  }
  return dir;
}

function hashed(prefix: string, body: Buffer, ext: string): string {
  return `/static/${prefix}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

function compressible(body: Buffer, type: string): Asset {
  return { body, type, gzip: gzipSync(body, { level: 9 }) };
}

type Built = { urls: AssetUrls; files: Map<string, Asset>; fontDir: string; fontPrefix: string };
let built: Built | null = null;

/** Built once per process: the combined stylesheet and the widget scripts, each under a content hash. */
function build(): Built {
  if (built) return built;
  const kernDir = packageDir('@kern-ux/native', '@kern-ux/native/package.json');
  const kernVersion = JSON.parse(fs.readFileSync(path.join(kernDir, 'package.json'), 'utf8')).version as string;
  const fontPrefix = `/static/kern-${kernVersion}/fonts/`;
  const fontCss = fs
    .readFileSync(path.join(kernDir, 'dist/fonts/fira-sans.css'), 'utf8')
    .replace(/url\("\.\/fira-sans\//g, `url("${fontPrefix}fira-sans/`);
  const siteCss = fs.readFileSync(webFile('site.css'), 'utf8');
  const altchaDir = packageDir('altcha', 'altcha');
  // The widget's CSS last, where its own <style> element stood (appended to the head).
  const altchaCss = fs.readFileSync(path.join(altchaDir, 'dist/external/altcha.css'), 'utf8');
  const css = Buffer.from(
    [fontCss, fs.readFileSync(path.join(kernDir, 'dist/kern.min.css'), 'utf8'), siteCss, altchaCss].join('\n'),
    'utf8',
  );

  const altcha = fs.readFileSync(path.join(altchaDir, 'dist/external/altcha.min.js'));
  const altchaGerman = fs.readFileSync(path.join(altchaDir, 'dist/i18n/de.js'));
  const pbkdf2Worker = fs.readFileSync(path.join(altchaDir, 'dist/workers/pbkdf2.js'));
  const pbkdf2WorkerUrl = hashed('altcha-pbkdf2', pbkdf2Worker, 'js');
  // The external build knows no algorithm until one is registered; bot-check.ts issues PBKDF2/SHA-256.
  const altchaWorkers = Buffer.from(
    `globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(${JSON.stringify(pbkdf2WorkerUrl)}));\n`,
  );

  // The time picker's office choice without a page load (booking-slot-picker.tsx).
  const picker = fs.readFileSync(webFile('booking-picker.js'));

  const urls: AssetUrls = {
    css: hashed('schalter', css, 'css'),
    altcha: hashed('altcha', altcha, 'js'),
    altchaGerman: hashed('altcha-de', altchaGerman, 'js'),
    altchaWorkers: hashed('altcha-workers', altchaWorkers, 'js'),
    picker: hashed('booking-picker', picker, 'js'),
  };
  const files = new Map<string, Asset>([
    [urls.css, compressible(css, 'text/css; charset=utf-8')],
    [urls.altcha, compressible(altcha, 'text/javascript; charset=utf-8')],
    [urls.altchaGerman, compressible(altchaGerman, 'text/javascript; charset=utf-8')],
    [urls.altchaWorkers, compressible(altchaWorkers, 'text/javascript; charset=utf-8')],
    [pbkdf2WorkerUrl, compressible(pbkdf2Worker, 'text/javascript; charset=utf-8')],
    [urls.picker, compressible(picker, 'text/javascript; charset=utf-8')],
  ]);
  built = { urls, files, fontDir: path.join(kernDir, 'dist/fonts'), fontPrefix };
  return built;
}

export function assetUrls(): AssetUrls {
  return build().urls;
}

/** The bot check's scripts for a page in `lang`, in the order they must run (module scripts keep it). */
export function altchaScripts(urls: AssetUrls, lang: UiLanguage): string[] {
  return [...(lang === 'de' ? [urls.altchaGerman] : []), urls.altcha, urls.altchaWorkers];
}

/** GET /static/… with year-long caching: every URL changes when its content does. */
export function staticAssetRoutes() {
  const { files, fontDir, fontPrefix } = build();
  const routes = new Hono();
  routes.get('/static/*', (c) => {
    const asset = files.get(c.req.path);
    if (asset) {
      c.header('Content-Type', asset.type);
      c.header('Cache-Control', IMMUTABLE);
      c.header('Vary', 'Accept-Encoding');
      if (asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
        c.header('Content-Encoding', 'gzip');
        return c.body(new Uint8Array(asset.gzip));
      }
      return c.body(new Uint8Array(asset.body));
    }
    if (c.req.path.startsWith(fontPrefix)) {
      const relative = c.req.path.slice(fontPrefix.length);
      // Only plain font file names inside the font folder; nothing else of node_modules is served.
      if (/^[a-z-]+\/[A-Za-z0-9-]+\.woff2$/.test(relative)) {
        const file = path.join(fontDir, relative);
        if (fs.existsSync(file)) {
          c.header('Content-Type', 'font/woff2');
          c.header('Cache-Control', IMMUTABLE);
          return c.body(new Uint8Array(fs.readFileSync(file)));
        }
      }
    }
    return c.text('Not found', 404);
  });
  return routes;
}
