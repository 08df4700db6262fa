import { describe, expect, it } from 'vitest';
import { runSetupCommand, type SetupCliIo } from '../../../src/cli/setup-commands.ts';

// `schalter setup …` in-process (the real process: test/cli/setup-commands.test.ts).

function terminal(files: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: SetupCliIo = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readFile: async (file) => {
      if (file in files) return files[file]!;
      throw Object.assign(new Error(`ENOENT: ${file}`), { code: file.endsWith('/') ? 'EISDIR' : 'ENOENT' });
    },
    readStdin: async () => stdin,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('schalter setup (in-process)', () => {
  it.each([
    [[], 'setup needs a command: init, check, schema, apply or export'],
    [['chek', 'stadt.yaml'], 'unknown setup command "chek" (known: init, check, schema, apply, export)'],
    [['aply', 'stadt.yaml'], 'unknown setup command "aply" (known: init, check, schema, apply, export)'],
    [['check'], 'setup check needs the town file (or - for stdin)'],
    [['check', 'a.yaml', 'b.yaml'], 'setup check takes one file'],
    [['init', 'stadt.yaml'], 'setup init takes no arguments, got "stadt.yaml"'],
    [['schema', '--json'], 'setup schema takes no arguments, got "--json"'],
    [['check', '--jsn', 'a.yaml'], "Unknown option '--jsn'"],
  ])('setup %j is wrong usage: exit 2, what is wrong, then the setup help', async (args, message) => {
    const t = terminal();
    expect(await runSetupCommand(args, t.io)).toBe(2);
    expect(t.err()).toContain(`schalter: ${message}`);
    expect(t.err()).toContain('  setup check FILE [--json]');
    expect(t.out()).toBe('');
  });

  it('check - reads the file from stdin', async () => {
    const t = terminal({}, 'municipality:\n  id: x\n');
    expect(await runSetupCommand(['check', '-'], t.io)).toBe(1);
    expect(t.out()).toContain('(stdin):2:3: municipality.name: Pflichtangabe fehlt\n    is required\n');
    expect(t.out()).toMatch(/\(stdin\): 6 Probleme \/ 6 problems\n$/);
  });

  it('check --json prints [] for a valid file and every problem for a broken one', async () => {
    const init = terminal();
    await runSetupCommand(['init'], init.io);
    const valid = terminal({ 'stadt.yaml': init.out() });
    expect(await runSetupCommand(['check', '--json', 'stadt.yaml'], valid.io)).toBe(0);
    expect(JSON.parse(valid.out())).toEqual([]);
    const broken = terminal({ 'stadt.yaml': init.out().replace('horizonDays: 14', 'horizonDays: 91') });
    expect(await runSetupCommand(['check', 'stadt.yaml', '--json'], broken.io)).toBe(1);
    expect(JSON.parse(broken.out())).toEqual([
      {
        path: 'offices[0].rules.release.horizonDays',
        line: 80,
        column: 60,
        de: 'darf höchstens 90 sein, nicht 91',
        en: 'must be at most 90, not 91',
      },
    ]);
  });

  it('a file that cannot be read: exit 1 and the reason in both languages', async () => {
    const missing = terminal();
    expect(await runSetupCommand(['check', 'fehlt.yaml'], missing.io)).toBe(1);
    expect(missing.err()).toBe('schalter: fehlt.yaml: Datei nicht gefunden / no such file\n');
    const folder = terminal();
    expect(await runSetupCommand(['check', 'examples/'], folder.io)).toBe(1);
    expect(folder.err()).toBe('schalter: examples/: ist ein Ordner, keine Datei / is a folder, not a file\n');
  });

  it('one problem is counted in the singular', async () => {
    const init = terminal();
    await runSetupCommand(['init'], init.io);
    const t = terminal({ 'stadt.yaml': init.out().replace('horizonDays: 14', 'horizonDays: 91') });
    expect(await runSetupCommand(['check', 'stadt.yaml'], t.io)).toBe(1);
    expect(t.out()).toMatch(/\nstadt\.yaml: 1 Problem \/ 1 problem\n$/);
  });
});
