import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A valid booking for the fixture's first free slot, padded with JSON whitespace to `bytes`. */
function booking(start: string, bytes = 0): string {
  const body = JSON.stringify({
    officeId: 'test',
    start,
    services: [{ serviceId: 'short', persons: 1 }],
    citizen: { name: 'Erika', email: 'erika@example.org' },
  });
  return body.slice(0, -1) + ' '.repeat(Math.max(0, bytes - body.length)) + '}';
}

type Answer = { status: number; sentWhenAnswered: number; head: string };

/**
 * Sends a chunked body (no Content-Length) of up to `cap` bytes over a raw socket, one 64 KiB chunk
 * at a time as fast as the server takes them, and stops sending as soon as an answer arrives.
 */
function sendChunked(port: number, path: string, cap: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * KiB, ' ');
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    let answer: Answer | null = null;
    let head = '';
    socket.on('error', (error) => (answer ? undefined : reject(error)));
    socket.on('data', (data) => {
      head += data.toString('latin1');
      if (!answer && head.includes('\r\n\r\n')) {
        answer = { status: Number(head.slice(9, 12)), sentWhenAnswered: sent, head };
      }
      if (answer && head.includes('}}')) {
        socket.destroy();
        resolve({ ...answer, head });
      }
    });
    socket.on('close', () => (answer ? resolve({ ...answer, head }) : reject(new Error('closed without an answer'))));
    const pump = () => {
      while (!answer && !socket.destroyed) {
        if (sent >= cap) {
          socket.write('0\r\n\r\n');
          return;
        }
        sent += chunk.length;
        if (!socket.write(framed)) return void socket.once('drain', pump);
      }
    };
    socket.once('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      pump();
    });
  });
}

describe(`request body limits on ${testDbKind}`, () => {
  let f: Fixture;
  let server: ServerType;
  let base: string;
  let port: number;
  let slots: { start: string }[];
  beforeAll(async () => {
    f = await createFixture({ counters: 4 });
    server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    ({ slots } = (await (
      await fetch(`${base}/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-27&limit=20`)
    ).json()) as { slots: { start: string }[] });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('a booking padded to 40 KiB is refused with 413 in the error envelope, in German or English', async () => {
    const res = await post('/api/v1/appointments', booking(slots[0]!.start, 40 * KiB));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining('zu viele Daten'), details: { maxBytes: 32 * KiB } },
    });
    const english = await post('/api/v1/appointments', booking(slots[0]!.start, 40 * KiB), { 'accept-language': 'en' });
    expect(((await english.json()) as { error: { message: string } }).error.message).toContain('Too much data');
  });

  it('the same booking at its normal size, and padded to just under the limit, is booked', async () => {
    expect((await post('/api/v1/appointments', booking(slots[1]!.start))).status).toBe(201);
    expect((await post('/api/v1/appointments', booking(slots[2]!.start, 31 * KiB))).status).toBe(201);
  });

  it('each kind of route has its own limit: staff JSON, journal upload, CSV import', async () => {
    // Refused before authentication: the body is never read.
    expect((await post('/api/v1/offices/test/closures', ' '.repeat(40 * KiB))).status).toBe(413);
    const journal = await post('/api/v1/sync/branches/b1/journal', ' '.repeat(5 * MiB));
    expect(journal.status).toBe(413);
    expect(((await journal.json()) as { error: { details: unknown } }).error.details).toEqual({ maxBytes: 4 * MiB });
    // A journal page of 1 MiB is within its limit (and then fails for want of a branch token).
    expect((await post('/api/v1/sync/branches/b1/journal', ' '.repeat(1 * MiB))).status).toBe(401);
    const csv = { 'content-type': 'text/csv' };
    expect((await post('/api/v1/staff/offices/test/documents/import', 'x'.repeat(3 * MiB), csv)).status).toBe(413);
    expect((await post('/api/v1/staff/offices/test/documents/import', 'x'.repeat(1 * MiB), csv)).status).toBe(401);
  });

  it('page forms are answered with an error page: citizen, kiosk and staff', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const path of ['/buchen/angaben', '/kiosk/test/wartenummer', '/warteliste/eintragen']) {
      const res = await post(path, `name=${'x'.repeat(20 * KiB)}`, form);
      expect(res.status, path).toBe(413);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await res.text(), path).toContain('Zu viele Daten gesendet');
    }
    const staff = await post('/staff/login', `email=${'x'.repeat(100 * KiB)}`, form);
    expect(staff.status).toBe(413);
    expect(staff.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await staff.text()).toContain('zu viele Daten');
    // The pickup page's CSV upload may be larger than a form (and then needs a login).
    expect((await post('/staff/abholung/einlesen', `csv=${'x'.repeat(1 * MiB)}`, form)).status).not.toBe(413);
  });

  it('a chunked body without Content-Length is refused while it is still being sent: the server never reads it whole', async () => {
    // Up to 64 MiB offered; without a limit the server reads all of it before answering.
    const answer = await sendChunked(port, '/api/v1/appointments', 64 * MiB);
    expect(answer.status).toBe(413);
    expect(answer.head).toContain('"code":"payload_too_large"');
    // Answered after the first 32 KiB plus whatever the sockets' buffers took meanwhile.
    expect(answer.sentWhenAnswered).toBeLessThan(16 * MiB);
  });

  it('a chunked booking of normal size is read and booked', async () => {
    const body = booking(slots[3]!.start);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 20)));
        controller.enqueue(new TextEncoder().encode(body.slice(20)));
        controller.close();
      },
    });
    const res = await fetch(`${base}/api/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
  });

  it("the OpenAPI document declares 413 (with the route's limit) and 415 for every operation with a body", async () => {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { description: string }> }>
      >;
    };
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(withBody.length).toBeGreaterThan(20);
    for (const { at, op } of withBody) {
      expect(op.responses['413'], at).toBeDefined();
      if (Object.keys(op.requestBody!.content).includes('application/json')) expect(op.responses['415'], at).toBeDefined();
    }
    expect(doc.paths['/appointments']!.post!.responses['413']!.description).toContain('32 KiB');
    expect(doc.paths['/sync/branches/{branchId}/journal']!.post!.responses['413']!.description).toContain('4 MiB');
    expect(doc.paths['/staff/offices/{officeId}/documents/import']!.post!.responses['413']!.description).toContain('2 MiB');
  });
});
