import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Database } from '../../src/db/connection.ts';
import { createMailTransport, type MailTransport } from '../../src/notify/mail-transport.ts';
import { createSmsGateway } from '../../src/notify/sms-gateway.ts';
import { MAX_ATTEMPTS, retryDelayMs, sendDueMessages, startOutboxWorker } from '../../src/notify/outbox-worker.ts';
import { createTestDb } from '../helpers/test-db.ts';

let database: Database;
let server: SMTPServer;
let smtp: MailTransport;
let received: ParsedMail[] = [];
let rejecting = false;

const t0 = new Date('2026-12-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const ics = Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n').toString('base64');

beforeAll(async () => {
  database = await createTestDb();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        if (rejecting) {
          callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
          return;
        }
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  smtp = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, outboxDir: 'unused', from: 'Bürgerbüro <termine@example.org>' });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await database?.close();
});

beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute();
  received = [];
  rejecting = false;
});

async function enqueue(key: string, extra: { channel?: 'email' | 'sms'; next?: Date } = {}): Promise<string> {
  const row = await database.db
    .insertInto('outbox')
    .values({
      dedupe_key: key,
      channel: extra.channel ?? 'email',
      recipient: extra.channel === 'sms' ? '+491701234567' : 'anna@example.org',
      subject: `Terminbestätigung ${key}`,
      body_text: `Text ${key}`,
      body_html: `<p>HTML ${key}</p>`,
      attachments: JSON.stringify([{ filename: 'termin.ics', contentType: 'text/calendar; charset=utf-8', content: ics }]),
      created_at: t0,
      next_attempt_at: extra.next ?? t0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

const row = (id: string) => database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('sendDueMessages', () => {
  it('delivers a queued message once, with its attachment and a stable Message-ID', async () => {
    const id = await enqueue('a1');
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: t0 })).toEqual({ sent: 1, failed: 0 });
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(60_000) })).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.subject).toBe('Terminbestätigung a1');
    expect(mail.text?.trim()).toBe('Text a1');
    expect(mail.messageId).toBe(`<outbox-${id}@schalter>`);
    expect(mail.attachments[0]?.filename).toBe('termin.ics');
    expect(mail.attachments[0]?.content.toString('utf8')).toContain('BEGIN:VCALENDAR');
    const stored = await row(id);
    expect(stored.state).toBe('sent');
    expect(stored.attempts).toBe(1);
    expect(stored.sent_at?.toISOString()).toBe(t0.toISOString());
  });

  it('keeps a rejected message queued with backoff and sends it on a later run', async () => {
    const id = await enqueue('b1');
    rejecting = true;
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: t0 })).toEqual({ sent: 0, failed: 1 });
    let stored = await row(id);
    expect(stored.state).toBe('queued');
    expect(stored.attempts).toBe(1);
    expect(stored.last_error).toMatch(/451/);
    expect(stored.next_attempt_at.toISOString()).toBe(at(30_000).toISOString());
    rejecting = false;
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(29_000) })).toEqual({ sent: 0, failed: 0 });
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(30_000) })).toEqual({ sent: 1, failed: 0 });
    stored = await row(id);
    expect(stored.state).toBe('sent');
    expect(stored.attempts).toBe(2);
    expect(received).toHaveLength(1);
  });

  it('backs off exponentially up to an hour and gives up after 8 attempts', async () => {
    expect([1, 2, 3, 4, 7, 8, 12].map(retryDelayMs)).toEqual([30e3, 60e3, 120e3, 240e3, 1920e3, 3600e3, 3600e3]);
    const id = await enqueue('c1');
    const broken: MailTransport = {
      describe: 'broken',
      send: async () => {
        throw new Error('connection refused');
      },
    };
    let now = t0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await sendDueMessages({ db: database.db, transport: broken, now })).toEqual({ sent: 0, failed: 1 });
      now = new Date(now.getTime() + retryDelayMs(attempt));
    }
    const stored = await row(id);
    expect(stored.state).toBe('failed');
    expect(stored.attempts).toBe(MAX_ATTEMPTS);
    expect(stored.last_error).toBe('connection refused');
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(86_400_000) })).toEqual({ sent: 0, failed: 0 });
  });

  it('puts rows stuck in sending after a crash back to the queue once the lease ran out', async () => {
    const id = await enqueue('d1');
    const crashing: MailTransport = { describe: 'hangs', send: () => new Promise(() => {}) };
    void sendDueMessages({ db: database.db, transport: crashing, now: t0 });
    await expect.poll(async () => (await row(id)).state).toBe('sending');
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(5 * 60_000) })).toEqual({ sent: 0, failed: 0 });
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: at(11 * 60_000) })).toEqual({ sent: 1, failed: 0 });
    const stored = await row(id);
    expect(stored.state).toBe('sent');
    expect(stored.attempts).toBe(2);
    expect(received[0]?.messageId).toBe(`<outbox-${id}@schalter>`);
  });

  it('leaves SMS rows queued without a gateway and sends them with one', async () => {
    const id = await enqueue('e1', { channel: 'sms' });
    expect(await sendDueMessages({ db: database.db, transport: smtp, now: t0 })).toEqual({ sent: 0, failed: 0 });
    expect((await row(id)).state).toBe('queued');
    const texts: string[] = [];
    const sms = { send: async (to: string, text: string) => void texts.push(`${to}: ${text}`) };
    expect(await sendDueMessages({ db: database.db, transport: smtp, sms, now: t0 })).toEqual({ sent: 1, failed: 0 });
    expect(texts).toEqual(['+491701234567: Text e1']);
  });

  it('a gateway that quotes the message in its refusal does not put the manage link into the error clerks see', async () => {
    const id = await enqueue('e2', { channel: 'sms' });
    const link = 'https://termine.musterstadt.example/termin/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
    await database.db
      .updateTable('outbox')
      .set({ body_text: `Ihr Termin: ${link}` })
      .where('id', '=', id)
      .execute();
    const quoting = (async (_url: string, init: RequestInit) =>
      new Response(`invalid request: ${String(init.body)}`, { status: 400 })) as unknown as typeof fetch;
    const sms = createSmsGateway({ url: 'http://sms.test/send', body: '{"to":"{{to}}","text":"{{text}}"}', fetch: quoting });
    expect(await sendDueMessages({ db: database.db, transport: smtp, sms, now: t0 })).toEqual({ sent: 0, failed: 1 });
    const { last_error } = await row(id);
    expect(last_error).toContain('SMS gateway answered 400: invalid request');
    expect(last_error).toContain('/termin/Zm9v…');
    expect(last_error).not.toContain(link);
  });
});

describe('startOutboxWorker', () => {
  it('two workers running at once never send the same row twice', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await enqueue(`f${i}`));
    const quiet = { info: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
    const clock = () => at(1000);
    const workers = [1, 2].map(() =>
      startOutboxWorker({ db: database.db, transport: smtp, intervalMs: 10, batchSize: 4, log: quiet, clock }),
    );
    workers.forEach((w) => w.kick());
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(30);
    await Promise.all(workers.map((w) => w.stop()));
    const messageIds = received.map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(30);
    expect(new Set(messageIds)).toEqual(new Set([...ids].map((id) => `<outbox-${id}@schalter>`)));
    const states = await database.db.selectFrom('outbox').select(['state', 'attempts']).execute();
    expect(states.every((s) => s.state === 'sent' && s.attempts === 1)).toBe(true);
  }, 30_000);

  it('many overlapping runs each claim distinct rows', async () => {
    for (let i = 0; i < 40; i++) await enqueue(`g${i}`);
    const sentIds: string[] = [];
    const slow: MailTransport = {
      describe: 'slow',
      send: async (msg) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        sentIds.push(msg.messageId);
      },
    };
    const runs = Array.from({ length: 8 }, () => sendDueMessages({ db: database.db, transport: slow, now: t0, batchSize: 5 }));
    const results = await Promise.all(runs);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(40);
    expect(new Set(sentIds).size).toBe(40);
    expect(sentIds).toHaveLength(40);
  });

  it('logs errors instead of throwing and stops cleanly', async () => {
    const errors: string[] = [];
    const brokenDb = {
      transaction: () => {
        throw new Error('db down');
      },
    } as unknown as Database['db'];
    const worker = startOutboxWorker({
      db: brokenDb,
      transport: smtp,
      intervalMs: 10_000,
      log: { info: () => {}, error: (m) => errors.push(m) },
    });
    worker.kick();
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    await worker.stop();
    expect(errors[0]).toMatch(/Outbox/);
  });
});
