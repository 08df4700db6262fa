import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// `schalter setup init | check | schema` as a real process (#21): exit 0 valid, 1 invalid or
// unreadable with every problem and its place, 2 wrong usage (each usage error, stdin and --json
// in-process: test/app/setup/setup-command.test.ts). No database is opened: the data
// folder named in the environment is never created, so the commands also run beside a server.

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA_DIR = path.join(os.tmpdir(), `schalter-setup-never-${process.pid}`);
const env = { ...process.env, SCHALTER_DATA_DIR: DATA_DIR };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-setup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Result = { code: number; stdout: string; stderr: string };

async function schalter(args: string[]): Promise<Result> {
  return run('node', ['bin/schalter.js', ...args], { cwd: ROOT, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('schalter setup', () => {
  it('init prints a commented template that check accepts (exit 0)', async () => {
    const init = await schalter(['setup', 'init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^# Stadtdatei für Schalter/);
    const file = path.join(dir, 'stadt.yaml');
    fs.writeFileSync(file, init.stdout);
    const check = await schalter(['setup', 'check', file]);
    expect(check).toEqual({ code: 0, stdout: `${file}: in Ordnung / valid\n`, stderr: '' });
    expect(fs.existsSync(DATA_DIR)).toBe(false);
  });

  it('check lists every problem with file, line, column and path, German and English, and exits 1', async () => {
    const text = fs
      .readFileSync(path.join(ROOT, 'examples/musterstadt.yaml'), 'utf8')
      .replace('to: "16:00"', 'to: "25:00"')
      .replace('minutes: { first: 15 }', 'minutes: { first: 15, furhter: 5 }');
    const file = path.join(dir, 'kaputt.yaml');
    fs.writeFileSync(file, text);
    fs.copyFileSync(path.join(ROOT, 'examples/musterstadt-wappen.svg'), path.join(dir, 'musterstadt-wappen.svg'));
    const { code, stdout } = await schalter(['setup', 'check', file]);
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      `${file}:54:36: services[2].minutes.furhter: unbekannter Schlüssel „furhter“; gemeint ist wohl „further“`,
      '    unknown key "furhter"; perhaps "further"',
      `${file}:122:43: offices[0].hours[1].to: „25:00“ ist keine Uhrzeit (HH:MM, z. B. 08:00; als Ende auch 24:00)`,
      '    "25:00" is not a time of day (HH:MM, e.g. 08:00; an end may be 24:00)',
      `${file}: 2 Probleme / 2 problems`,
      '',
    ]);
  });

  it('a file that cannot be read is named with the reason (exit 1)', async () => {
    const { code, stderr } = await schalter(['setup', 'check', path.join(dir, 'fehlt.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('fehlt.yaml: Datei nicht gefunden / no such file');
  });

  it('schema prints the JSON Schema (exit 0)', async () => {
    const { code, stdout } = await schalter(['setup', 'schema']);
    expect(code).toBe(0);
    // A town file or a Kreis file (#20).
    expect(JSON.parse(stdout)).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      anyOf: [
        { type: 'object', required: ['municipality', 'services', 'offices'] },
        { type: 'object', required: ['municipalities'] },
      ],
    });
  });

  it('wrong usage says what is wrong, shows the setup help and exits 2', async () => {
    const { code, stderr } = await schalter(['setup', 'check']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^schalter: setup check needs the town file \(or - for stdin\)\n\n {2}setup init/);
  });

  it('the general help lists the setup commands', async () => {
    const { code, stdout } = await schalter(['help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/setup init[\s\S]*setup check FILE[\s\S]*setup schema/);
  });
});
