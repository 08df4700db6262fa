import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Hono } from 'hono';
import { webFile } from '../../web-dir.ts';

// Stylesheet and the two small scripts of the office devices and the counter, from our own origin
// under a content hash (cached for a year; a new version has a new URL).

type Asset = { url: string; body: Buffer; type: string };

function load(file: string, ext: 'css' | 'js'): Asset {
  const body = fs.readFileSync(webFile(file));
  const name = file.replace(/\.(css|js)$/, '');
  return {
    url: `/office-static/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`,
    body,
    type: ext === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
  };
}

const assets = {
  css: load('office.css', 'css'),
  display: load('display.js', 'js'),
  counterKeys: load('counter-keys.js', 'js'),
  kiosk: load('kiosk.js', 'js'),
};

export const OFFICE_ASSETS = {
  css: assets.css.url,
  display: assets.display.url,
  counterKeys: assets.counterKeys.url,
  kiosk: assets.kiosk.url,
};

export function officeAssetRoutes() {
  const routes = new Hono();
  const byUrl = new Map(Object.values(assets).map((a) => [a.url, a]));
  routes.get('/office-static/*', (c) => {
    const asset = byUrl.get(c.req.path);
    if (!asset) return c.text('Not found', 404);
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(new Uint8Array(asset.body));
  });
  return routes;
}
