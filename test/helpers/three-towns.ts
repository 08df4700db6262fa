import fs from 'node:fs';
import path from 'node:path';
import { applySetup, type SetupApplied } from '../../src/app/setup/apply-town-file.ts';
import type { AppContext } from '../../src/app/shared/context.ts';

// A Kreis of three towns (#20): examples/kreis.yaml applied to a test context, for every test that
// needs several towns on one installation (set-up, staff scope, citizen site, export per town).
//   castrop  castrop-rathaus (3 counters), castrop-habinghorst (1; wohnsitz, meldebescheinigung)
//            services castrop-personalausweis, -reisepass, -wohnsitz, -meldebescheinigung; neighbour waltrop
//   waltrop  waltrop-rathaus (2); services waltrop-personalausweis, -wohnsitz, -fuehrungszeugnis;
//            retentionDays 60; neighbours castrop, datteln
//   datteln  datteln-rathaus (2), datteln-meckinghoven (1; personalausweis, wohnsitz);
//            services datteln-personalausweis, -reisepass, -wohnsitz; host names
//            termine.datteln.example and datteln.termine.kreis.example; neighbour waltrop
// Each town's site is https://termine.<town>.example.

export const KREIS_FILE = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/kreis.yaml'), 'utf8');
export const KREIS_TOWNS = ['castrop', 'waltrop', 'datteln'] as const;
export type KreisTown = (typeof KREIS_TOWNS)[number];

export const KREIS_OFFICES: Record<KreisTown, string[]> = {
  castrop: ['castrop-habinghorst', 'castrop-rathaus'],
  waltrop: ['waltrop-rathaus'],
  datteln: ['datteln-meckinghoven', 'datteln-rathaus'],
};

/** Applies the three towns (one transaction, one setup_revision per town); works on a fresh database or beside createFixture's town. */
export async function applyThreeTowns(ctx: AppContext, actor = 'test'): Promise<SetupApplied> {
  const applied = await applySetup(ctx, KREIS_FILE, { actor });
  if (!applied.applied || applied.towns.length !== 3) throw new Error('the Kreis file was not applied to this context');
  return applied;
}

/** One town of the Kreis file as a one-town file, with `change` applied to its text (a test's edit). */
export function oneTownOfKreis(town: KreisTown, change: (text: string) => string = (t) => t): string {
  const start = KREIS_FILE.indexOf(`  - municipality:\n      id: ${town}\n`);
  const next = KREIS_FILE.indexOf('\n  - municipality:', start + 1);
  const entry = KREIS_FILE.slice(start, next === -1 ? undefined : next + 1);
  // Un-indent the list entry by four spaces: it becomes a top-level town file.
  const body = entry
    .replace(/^ {2}- /, '    ')
    .split('\n')
    .map((line) => line.replace(/^ {4}/, ''))
    .join('\n');
  return change(`version: 1\n${body}`);
}
