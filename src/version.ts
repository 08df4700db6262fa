import fs from 'node:fs';

/**
 * The version of this installation, from package.json. The sources (src/version.ts, run through tsx)
 * and the launcher's bundle (dist/schalter.mjs) both sit one folder below package.json, so one
 * relative path serves both. A CLI and a running server of different versions refuse to talk
 * (docs/decisions/0011-town-file.md): after an upgrade the server must be restarted first.
 */
export const SCHALTER_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
