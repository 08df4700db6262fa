import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packBackup, unpackBackup } from '../../src/db/backup-archive.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { killHard, LAUNCHER_NODE_FLAGS, startServer, type ServerProcess } from '../helpers/server-process.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/schalter.js');

// Issue 23 item 5: `schalter backup FILE` while `schalter serve` holds the embedded database, and
// `schalter restore FILE` into an empty folder, run as an operator runs them: real processes, the
// server's environment and nothing else.
describe('backup and restore of the embedded database', () => {
  let root: string;
  let server: ServerProcess;
  const folder = (name: string) => path.join(root, name);
  const envFor = (dataDir: string) => ({ SCHALTER_DATA_DIR: dataDir, DATABASE_URL: '', SCHALTER_ROLE: '' });

  function schalter(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [...LAUNCHER_NODE_FLAGS, BIN, ...args],
        { env: { ...process.env, ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
      );
    });
  }

  /** What must survive: appointments, staff accounts and the journal, as rows. */
  async function contents(dataDir: string) {
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const appointments = await sql<{ id: string; status: string; starts_at: Date }>`
        SELECT id::text, status, starts_at FROM appointment ORDER BY id`.execute(database.db);
      const staff = await sql<{ email: string; role: string }>`SELECT email, role FROM staff_user ORDER BY email`.execute(database.db);
      const journal = await sql<{ seq: string }>`SELECT seq::text FROM branch_journal ORDER BY seq`.execute(database.db);
      return { appointments: appointments.rows, staff: staff.rows, journal: journal.rows };
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-backup-'));
    // The demo town: appointments, services, offices to compare.
    server = await startServer({ ...envFor(folder('live')), SCHALTER_DEMO: 'auto' }, 120_000);
  }, 130_000);
  afterAll(async () => {
    if (server) await killHard(server);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('backs up while the server runs, restores into an empty folder, and a server starts on it with the same data', async () => {
    const before = await schalter(['user', 'add', '--email', 'vorher@stadt.example', '--role', 'admin'], envFor(folder('live')));
    expect(before.code).toBe(0);
    const password = before.stdout.trim();

    const file = path.join(root, 'sicherung.tar');
    const backup = await schalter(['backup', file], envFor(folder('live')));
    expect(backup.stderr).toContain('der Befehl läuft dort');
    expect(backup.stderr).toContain('Sicherung geschrieben / backup written');
    expect(backup.code).toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.includes('.partial'))).toEqual([]);
    const { manifest } = unpackBackup(fs.readFileSync(file));
    expect(manifest).toMatchObject({ format: 'schalter-backup', formatVersion: 1, database: 'pglite', role: 'standalone', journal: null });
    expect(manifest.migrations.length).toBeGreaterThan(10);

    // After the backup: not in it.
    expect((await schalter(['user', 'add', '--email', 'nachher@stadt.example', '--role', 'admin'], envFor(folder('live')))).code).toBe(0);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));

    const restore = await schalter(['restore', file], envFor(folder('restored')));
    expect(restore.stderr).toContain('Zurückgespielt nach / restored into');
    expect(restore.code).toBe(0);
    expect(fs.readdirSync(folder('restored')).sort()).toEqual(['pglite']);

    const live = await contents(folder('live'));
    const restored = await contents(folder('restored'));
    expect(restored.appointments.length).toBeGreaterThan(50);
    expect(restored.appointments).toEqual(live.appointments);
    expect(restored.journal).toEqual(live.journal);
    expect(restored.staff.map((s) => s.email)).toContain('vorher@stadt.example');
    expect(restored.staff).toEqual(live.staff.filter((s) => s.email !== 'nachher@stadt.example'));

    // The restored folder is a working installation: the account made before the backup logs in.
    const again = await startServer(envFor(folder('restored')), 60_000);
    try {
      const login = await fetch(`${again.url}/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'vorher@stadt.example', password }),
        redirect: 'manual',
      });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/staff/passwort');
    } finally {
      await killHard(again);
    }
  }, 150_000);

  it('refuses a folder that is not empty, and a backup from a newer version, and changes nothing', async () => {
    const file = path.join(root, 'sicherung.tar');
    const full = await schalter(['restore', file], envFor(folder('live')));
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`Der Datenordner ${folder('live')} ist nicht leer`);
    expect(full.stderr).toContain('is not empty');

    const { manifest, parts } = unpackBackup(fs.readFileSync(file));
    const newer = path.join(root, 'neuer.tar');
    fs.writeFileSync(
      newer,
      packBackup(
        { ...manifest, schalterVersion: '9.0.0', migrations: [...manifest.migrations, '2099-01-01T0000-from-the-future'] },
        [...parts].map(([name, data]) => ({ name, data })),
      ),
    );
    const refused = await schalter(['restore', newer], envFor(folder('empty')));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Die Sicherung stammt von einer neueren Version von Schalter (9.0.0)');
    expect(refused.stderr).toContain('2099-01-01T0000-from-the-future');
    expect(fs.existsSync(folder('empty'))).toBe(false);

    const damaged = fs.readFileSync(file);
    const at = damaged.length - 5000;
    damaged[at] = damaged[at]! ^ 0xff;
    fs.writeFileSync(path.join(root, 'kaputt.tar'), damaged);
    const broken = await schalter(['restore', path.join(root, 'kaputt.tar')], envFor(folder('empty')));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Die Sicherung ist beschädigt');
  }, 60_000);
});
