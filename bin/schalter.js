#!/usr/bin/env -S node --max-old-space-size=1024
// The heap cap is not what the server needs (its live heap is 50-80 MB in the release storm) but
// what V8 sizes its steps between full collections by: with the default cap on a machine of 8 GB or
// more (a quarter of the RAM, 2-4 GB) it lets the heap grow to four times the live data, with 1 GB to
// at most 1.6 times (V8's MemoryController::MaxGrowingFactor). Server RSS in the storm bench:
// 228-309 MB without, 176-181 MB with, at the same CPU per request (docs/scaling.md). `npm start` and
// the tests' server processes pass the same flag; `node --max-old-space-size=N bin/schalter.js …`
// sets another (the last one counts).

// Runs the TypeScript sources without a separate build step. At each start the primary process
// bundles src/ into dist/schalter.mjs with esbuild (a fraction of a second) and runs plain
// JavaScript: without a TypeScript loader thread every process needs about 50 MB less memory and
// starts faster. Workers forked by the cluster use the primary's bundle. Where the bundle cannot be
// written (a read-only installation), the sources run through tsx as before.
import cluster from 'node:cluster';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/schalter.mjs', import.meta.url);

async function buildBundle() {
  const { build, stop } = await import('esbuild');
  const target = fileURLToPath(bundle);
  // Several processes may start at once (tests, a cluster's restarts): each builds in a folder of its
  // own and renames the files into place, so nobody ever loads a half-written bundle.
  const folder = fileURLToPath(new URL(`../dist/.build-${process.pid}/`, import.meta.url));
  const temporary = `${folder}schalter.mjs`;
  await build({
    entryPoints: [fileURLToPath(new URL('../src/cli.ts', import.meta.url))],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'error',
  });
  // esbuild keeps its service process (about 50 MB) alive for further builds; there are none.
  await stop();
  fs.renameSync(`${temporary}.map`, `${target}.map`);
  fs.renameSync(temporary, target);
  fs.rmSync(folder, { recursive: true, force: true });
}

let runBundle = cluster.isWorker && fs.existsSync(bundle);
if (!runBundle && process.env.SCHALTER_NO_BUNDLE !== '1') {
  try {
    await buildBundle();
    runBundle = true;
  } catch (error) {
    if (process.env.SCHALTER_DEBUG) console.error('bundle not built, running through tsx:', error);
  }
}
if (runBundle) {
  process.setSourceMapsEnabled(true);
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
