import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { runSetupCommand, type SetupCliIo } from '../../src/cli/setup-commands.ts';
import { runOperation } from '../../src/http/control/control-operations.ts';
import type { Database } from '../../src/db/connection.ts';
import { createTestDb } from '../helpers/test-db.ts';

// `schalter setup apply FILE [--dry-run] [--close-affected --reason TEXT]` and `setup export` (#21):
// exit 0 done (the dry run too), 1 invalid or refused, 2 usage; no questions asked. In-process on a
// test database, run the way the CLI runs it (io.execute); the real process is the same code path.

const NOW = Date.parse('2026-12-07T08:00:00Z');
const ROOT = path.resolve(import.meta.dirname, '../..');
const ERLENBRUCH = fs.readFileSync(path.join(ROOT, 'examples/erlenbruch.yaml'), 'utf8');

let database: Database;
let ctx: AppContext;
let opened = 0;

beforeAll(async () => {
  database = await createTestDb();
  ctx = createAppContext({
    db: database.db,
    now: () => NOW,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 30 },
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
    execute: (operation, input) => {
      opened++;
      return runOperation(ctx, operation, input, 'cli');
    },
  };
  const code = await runSetupCommand(args, io);
  return { code, out, err };
}

const offices = async () => (await ctx.db.selectFrom('office').select('id').orderBy('id').execute()).map((o) => o.id);

describe('schalter setup apply / export', () => {
  it('wrong arguments exit 2 with the reason and the help, before any database is opened', async () => {
    const before = opened;
    for (const args of [
      ['apply'],
      ['apply', 'a.yaml', 'b.yaml'],
      ['apply', 'a.yaml', '--close-affected'],
      ['apply', 'a.yaml', '--reason', 'Umbau'],
      ['apply', 'a.yaml', '--force'],
      ['export', 'x'],
    ]) {
      const r = await setup(args, { 'a.yaml': ERLENBRUCH });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^schalter: .+\n\n {2}setup init/);
      expect(r.out).toBe('');
    }
    expect((await setup(['apply', 'a.yaml', '--close-affected'])).err).toContain('--close-affected needs --reason TEXT');
    expect(opened).toBe(before);
  });

  it('an invalid or unreadable file exits 1 with every problem, and changes nothing', async () => {
    const broken = ERLENBRUCH.replace(
      'to: "12:00", appointmentCounters: 3, walkinCounters: 1 }',
      'to: "25:00", appointmentCounters: 3, walkinCounters: 1 }',
    );
    const r = await setup(['apply', 'stadt.yaml'], { 'stadt.yaml': broken });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^stadt\.yaml:\d+:\d+: offices\[0\]\.hours\[0\]\.to: „25:00“ ist keine Uhrzeit/);
    expect(r.out).toMatch(/stadt\.yaml: nicht angewendet \/ not applied\n$/);
    expect((await setup(['apply', 'fehlt.yaml'])).code).toBe(1);
    expect(await offices()).toEqual([]);
  });

  it('export before any town file is applied says so and exits 1', async () => {
    const r = await setup(['export']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toContain('No town is set up yet');
  });

  it('--dry-run prints the changes and changes nothing (exit 0); apply applies; the same file again: keine Änderungen', async () => {
    const dry = await setup(['apply', 'erlenbruch.yaml', '--dry-run'], { 'erlenbruch.yaml': ERLENBRUCH });
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('erlenbruch.yaml: 11 Änderungen / 11 changes\n  + Stadt „Stadt Erlenbruch“ neu eingerichtet\n');
    expect(dry.out).toContain('  + Standort „Bürgerbüro Lindenau“ neu\n      office "Bürgerbüro Lindenau" created\n');
    expect(dry.out).toMatch(/Probelauf: nichts geändert \/ dry run: nothing changed\n$/);
    expect(await offices()).toEqual([]);

    const applied = await setup(['apply', 'erlenbruch.yaml'], { 'erlenbruch.yaml': ERLENBRUCH });
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/Angewendet, Stand \d+ \/ applied, revision \d+\n$/);
    expect(await offices()).toEqual(['lindenau', 'rathaus', 'sued']);

    expect(await setup(['apply', 'erlenbruch.yaml'], { 'erlenbruch.yaml': ERLENBRUCH })).toEqual({
      code: 0,
      out: 'erlenbruch.yaml: keine Änderungen / no changes\n',
      err: '',
    });
  });

  it('export writes a town file to stdout that applies as no change', async () => {
    const exported = await setup(['export']);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('  - id: lindenau\n');
    const again = await setup(['apply', 'export.yaml'], { 'export.yaml': exported.out });
    expect(again).toEqual({ code: 0, out: 'export.yaml: keine Änderungen / no changes\n', err: '' });
  });

  it('a plan below booked load is refused with the appointments (exit 1); --close-affected --reason cancels them (exit 0)', async () => {
    const { appointment } = await bookAppointment(ctx, {
      officeId: 'lindenau',
      start: Date.parse('2026-12-08T08:00:00Z'),
      services: [{ serviceId: 'wohnsitz', persons: 1 }],
      citizen: { name: 'Erika Musterfrau', phone: '0221 4710-999' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'staff:test',
    });
    const withoutTuesday = ERLENBRUCH.replace('      - { days: [tue], from: "09:00", to: "12:00", appointmentCounters: 1 }\n', '');
    expect(withoutTuesday).not.toBe(ERLENBRUCH);
    const files = { 'stadt.yaml': withoutTuesday };

    const dry = await setup(['apply', 'stadt.yaml', '--dry-run'], files);
    expect(dry.code).toBe(0);
    const line = `  Di., 08.12.2026, 09:00  lindenau  ${appointment.reference}  Erika Musterfrau  (weniger Plätze / fewer seats)\n`;
    expect(dry.out).toContain(
      '  - Standort „Bürgerbüro Lindenau“: Öffnungszeit entfällt: Di 09:00–12:00, 1 Termin- und 0 Spontanschalter\n',
    );
    expect(dry.out).toContain(`Betroffene Termine / affected appointments: 1\n${line}`);

    const refused = await setup(['apply', 'stadt.yaml'], files);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(line);
    expect(refused.out).toContain('Abgelehnt: für 1 gebuchten Termin ist kein Platz mehr; nichts geändert.');

    const closed = await setup(['apply', 'stadt.yaml', '--close-affected', '--reason', 'Umbau des Schulhauses'], files);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain('1 Termin abgesagt; jede Person wird einmal benachrichtigt');
    const row = await ctx.db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    // Only a phone number: a clerk calls (the call list), exactly once.
    const calls = await ctx.db
      .selectFrom('call_list_entry')
      .select('appointment_id')
      .where('appointment_id', '=', appointment.id)
      .execute();
    expect(calls).toHaveLength(1);
  });
});
