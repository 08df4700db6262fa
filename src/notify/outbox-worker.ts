import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, OutboxAttachment, OutboxTable } from '../db/schema.ts';
import type { MailTransport } from './mail-transport.ts';
import { maskSecrets } from '../log-masking.ts';

/*
 * Delivery is at-least-once, and that is all SMTP lets us promise honestly: between the relay
 * answering "250 queued" and our UPDATE to 'sent' the process can die, and then nothing tells
 * us whether the mail left. We send again rather than risk a citizen never hearing that the
 * office cancelled the appointment. Every attempt of a row carries the same Message-ID
 * `<outbox-<id>@schalter>`, so mail systems and clients that dedupe by Message-ID show it once.
 */

export type SmsChannel = { send(to: string, text: string): Promise<void> };
export type OutboxLog = { info(message: string): void; error(message: string, error?: unknown): void };

export const MAX_ATTEMPTS = 8;
// A claim is a lease: while a row is 'sending', next_attempt_at holds the moment after which we
// assume the sender crashed. Sends have bounded timeouts far below this.
const LEASE_MS = 10 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

type Row = Selectable<OutboxTable>;

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export function messageIdFor(id: string): string {
  return `<outbox-${id}@schalter>`;
}

export async function sendDueMessages(options: {
  db: Kysely<DB>;
  transport: MailTransport;
  sms?: SmsChannel | undefined;
  now: Date;
  batchSize?: number;
  /** Messages sent at the same time (the SMTP pool's connections are shared by them). */
  concurrency?: number;
}): Promise<{ sent: number; failed: number }> {
  const { db, transport, sms, now, batchSize = 20, concurrency = 10 } = options;
  // Without an SMS gateway, SMS rows are left queued untouched (not failed): they wait for a
  // gateway to be configured, and staff see them as pending in the meantime.
  const channels: Row['channel'][] = sms ? ['email', 'sms'] : ['email'];
  const rows = await claim(db, now, batchSize, channels);
  let sent = 0;
  let failed = 0;
  // A few senders share the claimed rows; each marks its row right after the relay accepted it, so
  // a crash repeats at most the messages in flight, not the whole batch.
  let next = 0;
  const sender = async () => {
    for (let row = rows[next++]; row; row = rows[next++]) {
      try {
        if (row.channel === 'email') await transport.send(toMail(row));
        else if (sms) await sms.send(row.recipient, row.body_text);
      } catch (error) {
        failed++;
        await markFailed(db, row, now, error);
        continue;
      }
      sent++;
      await db
        .updateTable('outbox')
        .set({ state: 'sent', sent_at: now, last_error: null })
        .where('id', '=', row.id)
        .where('state', '<>', 'sent')
        .execute();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, rows.length)) }, sender));
  return { sent, failed };
}

async function claim(db: Kysely<DB>, now: Date, batchSize: number, channels: Row['channel'][]): Promise<Row[]> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('outbox')
      .set({
        state: sql`CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END`,
        last_error: sql`coalesce(last_error || ' / ', '') || 'interrupted while sending'`,
      })
      .where('state', '=', 'sending')
      .where('next_attempt_at', '<=', now)
      .execute();
    return trx
      .updateTable('outbox')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: new Date(now.getTime() + LEASE_MS) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('state', '=', 'queued')
          .where('next_attempt_at', '<=', now)
          .where('channel', 'in', channels)
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  });
}

async function markFailed(db: Kysely<DB>, row: Row, now: Date, error: unknown): Promise<void> {
  // Shown to every clerk on /staff/nachrichten: a gateway that quotes the message must not show its link.
  const message = maskSecrets(error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const giveUp = row.attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      state: giveUp ? 'failed' : 'queued',
      last_error: message,
      next_attempt_at: new Date(now.getTime() + retryDelayMs(row.attempts)),
    })
    .where('id', '=', row.id)
    // Only our own claim: if the lease ran out and another worker took the row, it owns it now.
    .where('state', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .execute();
}

function toMail(row: Row): Parameters<MailTransport['send']>[0] {
  const attachments: OutboxAttachment[] = typeof row.attachments === 'string' ? JSON.parse(row.attachments) : (row.attachments ?? []);
  return {
    to: row.recipient,
    subject: row.subject ?? '',
    text: row.body_text,
    ...(row.body_html ? { html: row.body_html } : {}),
    attachments,
    messageId: messageIdFor(String(row.id)),
    ...(row.mail_from ? { from: row.mail_from } : {}),
  };
}

export function startOutboxWorker(options: {
  db: Kysely<DB>;
  transport: MailTransport;
  sms?: SmsChannel | undefined;
  intervalMs?: number;
  batchSize?: number;
  log?: OutboxLog;
  clock?: () => Date;
}): { stop(): Promise<void>; kick(): void } {
  const { db, transport, sms, intervalMs = 2000, batchSize = 100, log = console, clock = () => new Date() } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    // The worker must never keep a process alive that has otherwise finished.
    timer = setTimeout(run, intervalMs).unref();
  };

  const run = () => {
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      try {
        do {
          again = false;
          const { sent, failed } = await sendDueMessages({ db, transport, sms, now: clock(), batchSize });
          if (sent + failed > 0) log.info(`Outbox: ${sent} sent, ${failed} failed`);
          // A full batch means more may be due right now.
          if (sent + failed >= batchSize) again = true;
        } while (again && !stopped);
      } catch (error) {
        log.error('Outbox: run failed', error);
      } finally {
        running = null;
        schedule();
      }
    })();
  };

  schedule();
  return {
    kick: () => {
      if (!stopped) run();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
