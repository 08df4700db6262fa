import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksIn } from '../helpers/log-privacy.ts';
import { freePort, killHard, startServer, type ServerProcess } from '../helpers/server-process.ts';

// #23 item 2, as the data centre sees it: `schalter serve` with its real log on standard output (JSON,
// debug level), the outbox sending through SMTP, and a citizen who books, confirms, opens the manage
// link, asks for the link again and cancels, next to a failed staff login. Afterwards neither the
// citizen's name, email or phone number nor any token or code the mails carried stands in the log.
// The browser tests add their whole run to this (e2e/helpers/server.ts checks each server's log).

const citizen = { name: 'Zora Logprüfung-Privat', email: 'zora.logpruefung@example.org', phone: '+49 171 5550123' };
const staffEmail = 'unbekannt.logpruefung@stadt.example';

describe('the log of a running server keeps personal data and secrets out', () => {
  let dataDir: string;
  let server: ServerProcess;
  let smtp: SMTPServer;
  const mails: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-log-privacy-'));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          mails.push(`${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`);
          callback();
        }, callback);
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    server = await startServer({
      SCHALTER_DATA_DIR: dataDir,
      DATABASE_URL: '',
      SCHALTER_ROLE: '',
      SCHALTER_LOG_LEVEL: 'debug',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    });
  });
  afterAll(async () => {
    if (server) await killHard(server);
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const waitForMails = async (count: number) => {
    for (let i = 0; i < 150 && mails.length < count; i++) await new Promise((r) => setTimeout(r, 200));
    expect(mails.length, server.output()).toBeGreaterThanOrEqual(count);
  };
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams(fields).toString(),
  });

  it('a citizen and a clerk leave requests in the log, but no name, address, number, token or code', async () => {
    const { services } = (await (await fetch(`${server.url}/api/v1/services`)).json()) as {
      services: { id: string; onlineBookable?: boolean }[];
    };
    const { offices } = (await (await fetch(`${server.url}/api/v1/offices`)).json()) as { offices: { id: string }[] };
    let slot: { officeId: string; start: string } | undefined;
    let serviceId = '';
    for (const service of services) {
      const res = await fetch(`${server.url}/api/v1/availability?services=${service.id}&office=${offices[0]!.id}&limit=1`);
      const found = res.ok ? ((await res.json()) as { slots: { officeId: string; start: string }[] }).slots[0] : undefined;
      if (found) {
        slot = found;
        serviceId = service.id;
        break;
      }
    }
    expect(slot, 'a free time in the demo town').toBeDefined();
    const booked = await fetch(`${server.url}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ officeId: slot!.officeId, start: slot!.start, services: [{ serviceId, persons: 1 }], citizen }),
    });
    expect(booked.status, await booked.clone().text()).toBe(201);
    const { manageToken } = (await booked.json()) as { manageToken: string };

    await waitForMails(1);
    const confirmLink = /(http:\/\/\S+\/bestaetigen\?code=\d{6})/.exec(mails[0]!)?.[1];
    expect(confirmLink, mails[0]).toBeDefined();
    const confirmPath = new URL(confirmLink!).pathname + new URL(confirmLink!).search;
    expect((await fetch(`${server.url}${confirmPath}`)).status).toBeLessThan(500);
    expect((await fetch(`${server.url}/termin/${manageToken}`)).status).toBe(200);
    expect((await fetch(`${server.url}/termin-link`, form({ kontakt: citizen.email }))).status).toBe(200);
    expect((await fetch(`${server.url}/termin-link`, form({ kontakt: citizen.phone }))).status).toBe(200);
    // The link sent again is a new one: the first stopped working.
    await waitForMails(2);
    const newToken = /\/termin\/([A-Za-z0-9_-]{43})/.exec(mails[1]!)?.[1];
    expect(newToken).toBeDefined();
    expect((await fetch(`${server.url}/staff/login`, form({ email: staffEmail, password: 'falsches Passwort 123' }))).status).toBeLessThan(
      500,
    );
    const cancelled = await fetch(`${server.url}/api/v1/appointments/${newToken}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancelled.status).toBe(200);
    await waitForMails(3); // confirmation, the link again, the cancellation

    const log = server.output();
    // Not a silent log: the requests are there, by route.
    expect(log).toContain('"route":"/api/v1/appointments/:manageToken/cancel"');
    expect(log).toContain('"route":"/termin-link"');
    const tokens = mails.flatMap((mail) => mail.match(/[A-Za-z0-9_-]{43,}/g) ?? []);
    const codes = mails.flatMap((mail) => [...mail.matchAll(/code=(\d{6})/g)].map((m) => `code=${m[1]}`));
    expect(tokens).toContain(manageToken);
    const secrets = [citizen.name, citizen.email, citizen.phone, '1715550123', staffEmail, manageToken, ...tokens, ...codes];
    expect(leaksIn(log, secrets)).toEqual([]);
  });
});
