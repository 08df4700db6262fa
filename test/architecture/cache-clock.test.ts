import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Caches age by the context's injected clock (ctx.elapsed) and are wired to a database by the app's
// composition root (src/app/app-context.ts), not at import (issue #16 item 4). A cache that read
// performance.now again would make tests replace a global and race real seconds; one wired at import
// would hide which databases it serves.

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROOT_FILE = 'src/app/app-context.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry.name) ? [rel] : [];
  });
}

function occurrences(pattern: RegExp, files: string[]): string[] {
  return files.flatMap((file) => {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    return lines.flatMap((line, i) => (pattern.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${file}:${i + 1}`] : []));
  });
}

describe('caches read the injected clock and are wired in one place', () => {
  const app = sourceFiles('src/app');

  it(`no module in src/app but ${ROOT_FILE} reads performance.now`, () => {
    expect(
      occurrences(
        /\bperformance\.now\b/,
        app.filter((f) => f !== ROOT_FILE),
      ),
    ).toEqual([]);
  });

  it(`only ${ROOT_FILE} wires a database's availability cache`, () => {
    expect(
      occurrences(
        /\bwatchCapacityChanges\(/,
        sourceFiles('src').filter((f) => f !== ROOT_FILE && f !== 'src/app/booking/availability-cache.ts'),
      ),
    ).toEqual([]);
    expect(
      occurrences(
        /\bonCapacityCommitted\(/,
        sourceFiles('src').filter((f) => f !== 'src/db/transaction.ts' && f !== 'src/app/booking/availability-cache.ts'),
      ),
    ).toEqual([]);
  });
});
