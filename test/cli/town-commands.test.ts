import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { runExportCommand, runImportCommand } from '../../src/cli/town-commands.ts';
import type { Config } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { lockDataDir } from '../../src/db/data-dir-lock.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { unpackTownArchive } from '../../src/db/town-archive.ts';
import { exportTown } from '../../src/db/town-export.ts';
import { startControlListener } from '../../src/http/control/control-listener.ts';
import { SCHALTER_VERSION } from '../../src/version.ts';

// `schalter export` and `schalter import` as an operator runs them on the embedded database (in this
// process; the round trip of every table is test/db/town-export.test.ts): arguments, exit codes,
// progress, the export taken by the server that holds the folder, and the refusals.
describe('schalter export and import on the embedded database', () => {
  let root: string;
  const folder = (name: string) => path.join(root, name);
  const configFor = (dataDir: string) => ({ dataDir, databaseUrl: undefined, role: 'standalone', branch: null }) as unknown as Config;
  const call = async (command: typeof runExportCommand, args: string[], dataDir = folder('live')) => {
    let err = '';
    const code = await command(args, configFor(dataDir), { err: (text) => (err += text) });
    return { code, err };
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-town-'));
    fs.mkdirSync(path.join(folder('live'), 'pglite'), { recursive: true });
    const database = await openDatabase({ dataDir: path.join(folder('live'), 'pglite') });
    try {
      await migrateToLatest(database.db);
      await database.db
        .insertInto('municipality')
        .values({
          id: 'erlenbruch',
          name: 'Erlenbruch',
          mail_from: 'termine@erlenbruch.example',
          imprint_url: 'https://e.example/i',
          privacy_url: 'https://e.example/d',
        })
        .execute();
      await database.db
        .insertInto('office')
        .values({ id: 'rathaus', name: 'Rathaus', address: 'Markt 1', municipality_id: 'erlenbruch' })
        .execute();
      await database.db
        .insertInto('staff_user')
        .values({
          email: 'leitung@erlenbruch.example',
          display_name: 'Leitung',
          role: 'teamlead',
          password_hash: 'x',
          municipality_id: 'erlenbruch',
        })
        .execute();
      const user = await database.db.selectFrom('staff_user').select('id').executeTakeFirstOrThrow();
      await database.db.insertInto('staff_user_office').values({ user_id: user.id, office_id: 'rathaus' }).execute();
    } finally {
      await database.close();
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('wrong arguments: exit 2 with the usage', async () => {
    for (const args of [
      [folder('a.tar')],
      ['--municipality', 'erlenbruch'],
      ['--municipality', 'erlenbruch', 'a', 'b'],
      ['--office', 'x', 'a'],
    ]) {
      const { code, err } = await call(runExportCommand, args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toContain('export --municipality ID FILE');
    }
    expect((await call(runImportCommand, [])).code).toBe(2);
    expect((await call(runImportCommand, ['a', 'b'])).code).toBe(2);
  });

  it('exports with no server running, a line per table, and imports into an empty folder', async () => {
    const file = folder('erlenbruch.tar');
    const exported = await call(runExportCommand, ['--municipality', 'erlenbruch', file]);
    expect(exported.err).toContain('  office: 1 Zeile / row');
    expect(exported.err).toContain('  staff_user: 1 Zeile / row');
    expect(exported.err).toContain(`Stadt erlenbruch exportiert / town exported: ${file}`);
    expect(exported.code).toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.includes('.partial'))).toEqual([]);

    const imported = await call(runImportCommand, [file], folder('neu'));
    expect(imported.err).toContain('Export der Stadt Erlenbruch (erlenbruch) vom ');
    expect(imported.err).toContain('  staff_user: 1 Zeile / row');
    expect(imported.err).toContain('Stadt erlenbruch eingelesen / town imported.');
    expect(imported.code).toBe(0);

    const again = await call(runImportCommand, [file], folder('neu'));
    expect(again.code).toBe(1);
    expect(again.err).toContain('Der Import wird abgelehnt');
    expect(again.err).toContain('Standort / office: rathaus');
    expect(again.err).toContain('Mitarbeiterkonto (E-Mail) / staff account (email): leitung@erlenbruch.example');
  });

  it('an unknown town, a missing or damaged file and a missing database: exit 1 with a sentence', async () => {
    const unknown = await call(runExportCommand, ['--municipality', 'nirgendwo', folder('x.tar')]);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.err).toContain('Eine Stadt „nirgendwo“ gibt es in dieser Installation nicht (vorhanden: erlenbruch)');
    expect(fs.existsSync(folder('x.tar'))).toBe(false);
    const noDatabase = await call(runExportCommand, ['--municipality', 'erlenbruch', folder('y.tar')], folder('tippfehler'));
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.err).toContain('gibt es keine Datenbank');
    expect(fs.existsSync(folder('tippfehler'))).toBe(false);
    const missing = await call(runImportCommand, [folder('gibt-es-nicht.tar')], folder('leer'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('ist nicht lesbar / cannot be read (ENOENT)');
    fs.writeFileSync(folder('kaputt.tar'), 'kein tar');
    const damaged = await call(runImportCommand, [folder('kaputt.tar')], folder('leer'));
    expect(damaged.code).toBe(1);
    expect(damaged.err).toContain('Die Datei ist kein Export einer Stadt von schalter export');
  });

  it('while a server holds the folder, the server takes the export; import is refused until it stops', async () => {
    const unlock = await lockDataDir(folder('live'));
    const database = await openDatabase({ dataDir: path.join(folder('live'), 'pglite') });
    const ctx = createAppContext({
      db: database.db,
      now: () => Date.now(),
      randomBytes: (n) => Buffer.alloc(n, 7),
      settings: { publicUrl: 'http://schalter.test', confirmation: 'email', reservationMinutes: 30, capacityDays: 21 },
    });
    const listener = await startControlListener({
      ctx,
      dataDir: folder('live'),
      version: SCHALTER_VERSION,
      log: () => {},
      townExport: async (id) => (await exportTown(database.db, id)).file,
    });
    try {
      const file = folder('laufend.tar');
      const exported = await call(runExportCommand, ['--municipality', 'erlenbruch', file]);
      expect(exported.err).toContain('hält den Datenordner; der Befehl läuft dort');
      expect(exported.err).toContain('  office: 1 Zeile / row');
      expect(exported.code).toBe(0);
      expect(unpackTownArchive(fs.readFileSync(file)).manifest.municipality).toEqual({ id: 'erlenbruch', name: 'Erlenbruch' });

      const refused = await call(runImportCommand, [file]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('Stoppen Sie ihn für den Import');
    } finally {
      await listener.stop();
      await database.close();
      unlock();
    }
  });
});
