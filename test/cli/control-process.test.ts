import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, LAUNCHER_NODE_FLAGS, startServer, type ServerProcess } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/schalter.js');

// #21, docs/decisions/0011-town-file.md: `schalter user add` while `schalter serve` holds the embedded
// database's data folder. Two real processes, found through the same environment and nothing else.
describe('commands reach a running server on the embedded database', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-control-process-'));
    // The embedded database even when the suite runs against PostgreSQL: that is where the folder is locked.
    env = { SCHALTER_DATA_DIR: dataDir, DATABASE_URL: '', SCHALTER_ROLE: '', SCHALTER_DEMO: 'off' };
    server = await startServer(env);
  });
  afterAll(async () => {
    if (server) {
      server.child.kill('SIGCONT');
      await killHard(server);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** `schalter …` as an operator types it in a second terminal, with the server's environment. */
  function schalter(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [...LAUNCHER_NODE_FLAGS, BIN, ...args],
        { env: { ...process.env, ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
      );
      child.stdin!.end(stdin ?? '');
    });
  }
  const controlFile = () => path.join(dataDir, 'control.json');

  it('answers /healthz with 200 although no town is set up, and writes control.json (0600) naming itself', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(fs.statSync(controlFile()).mode & 0o777).toBe(0o600);
    const content = JSON.parse(fs.readFileSync(controlFile(), 'utf8'));
    expect(content).toMatchObject({ pid: server.child.pid, version: expect.any(String), token: expect.any(String) });
    expect(content.port).not.toBe(Number(new URL(server.url).port));
  });

  it('`schalter user add` from another process creates the account at the server; the person can log in', async () => {
    const added = await schalter(['user', 'add', '--email', 'it@stadt.example', '--role', 'admin', '--name', 'Stadt-IT']);
    expect(added.stderr).toContain(`Der Server (Prozess ${server.child.pid}) hält den Datenordner; der Befehl läuft dort.`);
    expect(added.stderr).toContain(
      'Konto angelegt / account created: it@stadt.example (admin, ganzer Kreis / whole Kreis, alle Standorte / all offices)',
    );
    expect(added.code).toBe(0);
    const password = added.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);

    const login = await fetch(`${server.url}/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'it@stadt.example', password }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/staff/passwort');

    // A refusal of the use case comes back as in-process: same message, same exit code.
    const twice = await schalter(['user', 'add', '--email', 'it@stadt.example', '--role', 'admin']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('A staff account for it@stadt.example already exists');
  });

  it('`schalter setup apply` and `setup export` run at the server; the public site shows the new town at once', async () => {
    const applied = await schalter(['setup', 'apply', path.join(ROOT, 'examples/erlenbruch.yaml')]);
    expect(applied.stderr).toContain('der Befehl läuft dort');
    expect(applied.stdout).toContain('Angewendet, Stand 1 / applied, revision 1');
    expect(applied.code).toBe(0);
    // The server's own catalogue learnt of the change: no restart, no 5-second wait.
    const { services } = (await (await fetch(`${server.url}/api/v1/services`)).json()) as { services: { id: string }[] };
    expect(services.map((service) => service.id)).toContain('hausbesuch');

    const exported = await schalter(['setup', 'export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('  - id: lindenau\n');
    const again = await schalter(['setup', 'apply', '-'], exported.stdout);
    expect(again.stdout).toBe('(stdin): keine Änderungen / no changes\n');
    expect(again.code).toBe(0);
  });

  it('the control routes are not on the public port, even with the right token', async () => {
    const { token } = JSON.parse(fs.readFileSync(controlFile(), 'utf8'));
    const response = await fetch(`${server.url}/control/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'durchs-tor@stadt.example', role: 'admin', officeIds: [] }),
    });
    expect(response.status).toBe(404);
  });

  it('a wrong token in control.json is refused (401) with a clear message, exit 1', async () => {
    const original = fs.readFileSync(controlFile(), 'utf8');
    const content = JSON.parse(original);
    fs.writeFileSync(controlFile(), JSON.stringify({ ...content, token: 'z'.repeat(43) }));
    try {
      const refused = await schalter(['token', 'list']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('lehnt den Schlüssel aus');
    } finally {
      fs.writeFileSync(controlFile(), original);
    }
  });

  it('a server that hangs (SIGSTOP) gets a clear message within seconds, exit 1', async () => {
    server.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const hung = await schalter(['user', 'list']);
      expect(hung.code).toBe(1);
      expect(hung.stderr).toContain(`Der Server (Prozess ${server.child.pid}, 127.0.0.1:`);
      expect(hung.stderr).toContain('antwortet aber nicht innerhalb von 5 s');
      expect(Date.now() - started).toBeLessThan(45_000);
    } finally {
      server.child.kill('SIGCONT');
    }
  });

  it('after the server is killed, control.json is stale and the lock free: the command opens the database itself', async () => {
    await killHard(server);
    expect(fs.existsSync(controlFile())).toBe(true);
    const listed = await schalter(['user', 'list']);
    expect(listed.stderr).not.toContain('läuft dort');
    expect(listed.code).toBe(0);
    // email, role, offices, state, second factor, last login (the login through the server above), town ("kreis": no town file here).
    expect(listed.stdout).toMatch(/^it@stadt\.example\tadmin\t-\tactive\t-\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tkreis\n$/);
  });

  it('the next start overwrites the stale file with a new token; a clean stop removes it', async () => {
    const stale = JSON.parse(fs.readFileSync(controlFile(), 'utf8'));
    server = await startServer(env);
    const fresh = JSON.parse(fs.readFileSync(controlFile(), 'utf8'));
    expect(fresh.pid).toBe(server.child.pid);
    expect(fresh.token).not.toBe(stale.token);
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(controlFile())).toBe(false);
  });
});
