import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlError, sendToServer } from '../../src/cli/control-client.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { readControlFile, writeControlFile } from '../../src/http/control/control-file.ts';
import { startControlListener, type ControlListener } from '../../src/http/control/control-listener.ts';
import { addUser, applyTownFile, createToken, listTokens } from '../../src/http/control/control-operations.ts';
import { SCHALTER_VERSION } from '../../src/version.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The control listener in this process on the fixture's database, the client beside it: what
// test/cli/control-process.test.ts shows with real processes, here case by case.
describe(`control listener and client (${testDbKind})`, () => {
  let f: Fixture;
  let dataDir: string;
  let listener: ControlListener;
  const logged: string[] = [];
  beforeAll(async () => {
    f = await createFixture();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-control-'));
    listener = await startControlListener({ ctx: f.ctx, dataDir, version: SCHALTER_VERSION, log: (m) => void logged.push(m) });
  });
  afterAll(async () => {
    await listener.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await f.close();
  });

  const controlUrl = (p: string) => `http://127.0.0.1:${listener.port}/control/v1/${p}`;
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const pid = process.pid;

  it('writes control.json for the owner only (0600) with pid, port, version and a 256-bit token', () => {
    const file = path.join(dataDir, 'control.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const content = readControlFile(dataDir)!;
    expect(content).toEqual({ pid, port: listener.port, version: SCHALTER_VERSION, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(fs.readdirSync(dataDir)).toEqual(['control.json']);
  });

  it('a command through the listener creates the account; the audit names cli via control', async () => {
    const created = await sendToServer(dataDir, pid, addUser, { email: 'Neu@Stadt.example', role: 'clerk', officeIds: ['test'] });
    expect(created).toMatchObject({
      email: 'neu@stadt.example',
      oneTimePassword: expect.stringMatching(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/),
    });
    const audit = await f.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'staff_user.create')
      .where('entity_id', '=', created.userId)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('cli');
    expect(audit.details).toMatchObject({ email: 'neu@stadt.example', via: 'control' });
  });

  it('results cross as JSON (dates as ISO strings), as the in-process run renders them', async () => {
    await sendToServer(dataDir, pid, createToken, { name: 'fachverfahren', role: 'clerk', officeIds: ['test'] });
    const tokens = await sendToServer(dataDir, pid, listTokens, {});
    expect(tokens).toEqual([
      {
        id: expect.any(String),
        name: 'fachverfahren',
        role: 'clerk',
        createdAt: expect.stringMatching(/Z$/),
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
  });

  it("the use case's refusal arrives as the same DomainError (code, message, details)", async () => {
    const twice = sendToServer(dataDir, pid, addUser, { email: 'neu@stadt.example', role: 'clerk', officeIds: ['test'] });
    await expect(twice).rejects.toBeInstanceOf(DomainError);
    await expect(twice).rejects.toMatchObject({ code: 'already_exists', message: 'A staff account for neu@stadt.example already exists' });
    const unknown = sendToServer(dataDir, pid, addUser, { email: 'x@stadt.example', role: 'clerk', officeIds: ['atlantis'] });
    await expect(unknown).rejects.toMatchObject({ code: 'unknown_office', details: { officeIds: ['atlantis'] } });
  });

  it('setup apply crosses as an outcome: an invalid file comes back with every problem, line and column kept', async () => {
    const outcome = await sendToServer(dataDir, pid, applyTownFile, {
      document: 'municipality:\n  id: x\noffices:\n  - id: rathaus\n    hours:\n      - { days: [mon], from: "08:00", to: "25:00" }\n',
      dryRun: true,
    });
    expect(outcome.outcome).toBe('invalid');
    const problems = outcome.outcome === 'invalid' ? outcome.problems : [];
    expect(problems).toContainEqual(expect.objectContaining({ path: 'offices[0].hours[0].to', line: 6 }));
  });

  it('a missing or wrong token gets 401 and changes nothing', async () => {
    const body = JSON.stringify({ email: 'eindringling@stadt.example', role: 'admin', officeIds: [] });
    const none = await fetch(controlUrl('users'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    const right = readControlFile(dataDir)!.token;
    const wrong = right.slice(0, -1) + (right.endsWith('A') ? 'B' : 'A');
    const refused = await fetch(controlUrl('users'), { method: 'POST', headers: headers(wrong), body });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'control_unauthenticated' } });
    const users = await f.ctx.db.selectFrom('staff_user').select('email').where('email', '=', 'eindringling@stadt.example').execute();
    expect(users).toEqual([]);
  });

  it('the client reports a refused token clearly', async () => {
    const real = readControlFile(dataDir)!;
    writeControlFile(dataDir, { ...real, token: 'x'.repeat(43) });
    try {
      const refused = sendToServer(dataDir, pid, listTokens, {});
      await expect(refused).rejects.toBeInstanceOf(ControlError);
      await expect(refused).rejects.toThrow(/lehnt den Schlüssel .* ab.*refused the token/);
    } finally {
      writeControlFile(dataDir, real);
    }
  });

  it('a CLI of another version is refused by the server, naming both versions', async () => {
    const response = await fetch(controlUrl('tokens'), {
      headers: { ...headers(readControlFile(dataDir)!.token), 'schalter-version': '0.0.1' },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: 'version_mismatch', details: { server: SCHALTER_VERSION, cli: '0.0.1' } },
    });
  });

  it('the client refuses a server of another version before sending, naming both versions', async () => {
    const real = readControlFile(dataDir)!;
    writeControlFile(dataDir, { ...real, version: '9.9.9' });
    try {
      await expect(sendToServer(dataDir, pid, listTokens, {})).rejects.toThrow(
        `Der laufende Server hat Version 9.9.9, dieses schalter Version ${SCHALTER_VERSION}`,
      );
    } finally {
      writeControlFile(dataDir, real);
    }
  });

  it('invalid input is refused by the server as by the CLI (422 validation_failed, nothing created)', async () => {
    const response = await fetch(controlUrl('users'), {
      method: 'POST',
      headers: headers(readControlFile(dataDir)!.token),
      body: JSON.stringify({ email: 'a@b.de', role: 'boss', officeIds: [] }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ path: 'role' }] } } });
  });

  it('a control.json of another process (the holder still starting) is not used', async () => {
    await expect(sendToServer(dataDir, pid + 1, listTokens, {})).rejects.toThrow(/startet der Server gerade/);
  });

  it('the public app has no control routes, even with the right token', async () => {
    const response = await f.app.request('/control/v1/users', {
      method: 'POST',
      headers: headers(readControlFile(dataDir)!.token),
      body: JSON.stringify({ email: 'durchs-tor@stadt.example', role: 'admin', officeIds: [] }),
    });
    expect(response.status).toBe(404);
    expect(await f.ctx.db.selectFrom('staff_user').select('id').where('email', '=', 'durchs-tor@stadt.example').execute()).toEqual([]);
  });

  it('a server that takes the connection but never answers gets a clear message after the ping timeout, not a hang', async () => {
    const silentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-silent-'));
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    writeControlFile(silentDir, { pid: 4242, port, version: SCHALTER_VERSION, token: 'y'.repeat(43) });
    try {
      const started = Date.now();
      const result = sendToServer(silentDir, 4242, listTokens, {});
      await expect(result).rejects.toThrow(/\(Prozess 4242, 127\.0\.0\.1:\d+\) .*antwortet aber nicht innerhalb von 5 s/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      expect(Date.now() - started).toBeLessThan(9_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
      fs.rmSync(silentDir, { recursive: true, force: true });
    }
  });

  it('stop() removes control.json and closes the port', async () => {
    const stopDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-stop-'));
    const second = await startControlListener({ ctx: f.ctx, dataDir: stopDir, version: SCHALTER_VERSION, log: () => {} });
    await second.stop();
    expect(fs.existsSync(path.join(stopDir, 'control.json'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${second.port}/control/v1`)).rejects.toThrow();
    fs.rmSync(stopDir, { recursive: true, force: true });
  });
});
