import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { runSetupCommand, type SetupCliIo } from '../../src/cli/setup-commands.ts';
import { runOperation } from '../../src/http/control/control-operations.ts';
import type { Database } from '../../src/db/connection.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { KREIS_FILE, oneTownOfKreis } from '../helpers/three-towns.ts';

// `schalter setup apply FILE` with a Kreis file and `setup export [--municipality ID]` (#20): the
// output names each town; exit codes as the other setup commands (0 done, 1 invalid or refused,
// 2 usage). In-process, the way the CLI runs it (io.execute).

const NOW = Date.parse('2026-12-07T08:00:00Z');

let database: Database;
let ctx: AppContext;

beforeAll(async () => {
  database = await createTestDb();
  ctx = createAppContext({
    db: database.db,
    now: () => NOW,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 14 },
  });
});
afterAll(async () => database.close());

async function setup(args: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: SetupCliIo = {
    out: (text) => (out += text),
    err: (text) => (err += text),
    readFile: async (file) => {
      if (!(file in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return files[file]!;
    },
    readStdin: async () => '',
    execute: (operation, input) => runOperation(ctx, operation, input, 'cli'),
  };
  const code = await runSetupCommand(args, io);
  return { code, out, err };
}

describe('schalter setup with a Kreis', () => {
  it('check, dry run and apply name each town; applying again changes nothing in any', async () => {
    const files = { 'kreis.yaml': KREIS_FILE };
    expect(await setup(['check', 'kreis.yaml'], files)).toEqual({ code: 0, out: 'kreis.yaml: in Ordnung / valid\n', err: '' });

    const dry = await setup(['apply', 'kreis.yaml', '--dry-run'], files);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^kreis\.yaml \[castrop\]: \d+ Änderungen \/ \d+ changes\n {2}\+ Stadt „Stadt Castrop“ neu eingerichtet\n/);
    expect(dry.out).toContain('kreis.yaml [waltrop]: ');
    expect(dry.out).toContain('kreis.yaml [datteln]: ');
    expect(dry.out).toMatch(/Probelauf: nichts geändert \/ dry run: nothing changed\n$/);
    expect(await ctx.db.selectFrom('municipality').select('id').execute()).toEqual([]);

    const applied = await setup(['apply', 'kreis.yaml'], files);
    expect(applied.code).toBe(0);
    const revisions = await ctx.db.selectFrom('setup_revision').select(['revision', 'municipality_id']).orderBy('revision').execute();
    expect(applied.out).toMatch(
      new RegExp(
        `\\nAngewendet / applied: ${revisions.map((r) => `${r.municipality_id} \\(Stand / revision ${r.revision}\\)`).join(', ')}\\n$`,
      ),
    );

    expect(await setup(['apply', 'kreis.yaml'], files)).toEqual({
      code: 0,
      out: 'kreis.yaml [castrop]: keine Änderungen / no changes\nkreis.yaml [waltrop]: keine Änderungen / no changes\nkreis.yaml [datteln]: keine Änderungen / no changes\n',
      err: '',
    });

    // One town's file: that town's output only, as before the Kreis.
    const waltrop = oneTownOfKreis('waltrop', (text) => text.replace('retentionDays: 60', 'retentionDays: 90'));
    const one = await setup(['apply', 'waltrop.yaml'], { 'waltrop.yaml': waltrop });
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^waltrop\.yaml: 1 Änderung \/ 1 change\n {2}~ Stadt „Stadt Waltrop“ geändert: Aufbewahrung \(Tage\)\n/);
    expect(one.out).toMatch(/Angewendet, Stand \d+ \/ applied, revision \d+\n$/);
  });

  it('export prints the Kreis file, or one town with --municipality; both apply as no change', async () => {
    const all = await setup(['export']);
    expect(all.code).toBe(0);
    expect(all.out).toContain('# Kreisdatei / Kreis file (schalter setup export)');
    expect(all.out).toContain('municipalities:\n  - municipality:\n      id: castrop\n');
    expect(await setup(['apply', 'all.yaml'], { 'all.yaml': all.out })).toMatchObject({
      code: 0,
      out: expect.not.stringContaining('Änderung /'),
    });

    const datteln = await setup(['export', '--municipality', 'datteln']);
    expect(datteln.code).toBe(0);
    expect(datteln.out).toContain('municipality:\n  id: datteln\n');
    expect(datteln.out).toContain('  hostNames:\n    - datteln.termine.kreis.example\n');
    expect(datteln.out).not.toContain('castrop-rathaus');
    expect(await setup(['apply', 'datteln.yaml'], { 'datteln.yaml': datteln.out })).toEqual({
      code: 0,
      out: 'datteln.yaml: keine Änderungen / no changes\n',
      err: '',
    });
  });

  it('wrong arguments: a town that is not set up exits 1, a missing or extra argument exits 2 with the help', async () => {
    const unknown = await setup(['export', '--municipality', 'herne']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('herne');
    const empty = await setup(['export', '--municipality', ' ']);
    expect([empty.code, empty.err]).toEqual([
      2,
      expect.stringMatching(/^schalter: --municipality needs the id of a town\n\n {2}setup init/),
    ]);
    const noValue = await setup(['export', '--municipality']);
    expect(noValue.code).toBe(2);
    const file = await setup(['export', 'kreis.yaml']);
    expect([file.code, file.err]).toEqual([2, expect.stringContaining('setup export takes no file, got "kreis.yaml"')]);
  });
});
