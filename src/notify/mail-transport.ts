import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import nodemailer from 'nodemailer';
import type { RetentionCopies } from '../app/statistics/apply-retention.ts';
import { isEmailAddress } from '../domain/contact.ts';

export type MailAttachment = { filename: string; contentType: string; /** base64 */ content: string };

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments: MailAttachment[];
  /** `<outbox-42@schalter>`: the same for every retry, so receivers can drop duplicates. */
  messageId: string;
  /** The sender of the town the message is about (#20); without it the installation's (MAIL_FROM). */
  from?: string;
};

export type MailTransport = {
  send(msg: MailMessage): Promise<void>;
  /** One line for the start-up log: where mail goes. */
  describe: string;
  /** Closes pooled connections (shutdown, end of a test). */
  close?(): void;
  /** Where it keeps copies of what it sent (the mail folder without SMTP), for the retention job. */
  copies?: RetentionCopies;
};

export type MailTransportOptions = {
  smtpUrl?: string | undefined;
  outboxDir: string;
  from: string;
  /** SMTP connections kept open and used in parallel (default 5). */
  maxConnections?: number;
};

export function createMailTransport(options: MailTransportOptions): MailTransport {
  const transport = options.smtpUrl
    ? smtpTransport(options.smtpUrl, options.from, options.maxConnections ?? 5)
    : fileTransport(options.outboxDir, options.from);
  // Also with SMTP: files written before SMTP_URL was set are copies all the same.
  return { ...transport, copies: mailFolderCopies(options.outboxDir) };
}

function smtpTransport(smtpUrl: string, from: string, maxConnections: number): MailTransport {
  // Pooled: a closure sends hundreds of mails at once, and a new connection (greeting, EHLO, maybe
  // TLS) per mail costs more than the mail. Each connection carries up to 100 messages, then is
  // renewed, so a relay's per-session limits are never hit.
  // Bounded timeouts: a hanging relay must turn into a retry, not a worker stuck forever.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections,
    maxMessages: 100,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    describe: `Mail: SMTP ${redact(smtpUrl)} (${maxConnections} Verbindungen / connections)`,
    async send(msg) {
      await transporter.sendMail(toNodemailer(msg, from));
    },
    close: () => transporter.close(),
  };
}

function fileTransport(outboxDir: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    describe: `Mail: kein SMTP_URL gesetzt – Nachrichten werden als Dateien in ${outboxDir}/*.eml geschrieben / no SMTP_URL set: messages are written to ${outboxDir}/*.eml`,
    async send(msg) {
      const info = await transporter.sendMail(toNodemailer(msg, from));
      const message = info.message as unknown as Buffer;
      await mkdir(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      const name = `${stamp}-${msg.messageId.replace(/[^A-Za-z0-9@._-]/g, '')}.eml`;
      await writeAtomically(join(outboxDir, name), message);
    },
  };
}

/**
 * Retention for the mail folder: the file of every message whose row retention blanked, and every
 * file (also a temp file left by a crash) older than the period. Other files are left alone.
 */
export function mailFolderCopies(outboxDir: string): RetentionCopies {
  return {
    name: 'mailFiles',
    async remove({ cutoff, outboxIds }) {
      const blanked = new Set(outboxIds);
      let names: string[];
      try {
        names = await readdir(outboxDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      let removed = 0;
      for (const name of names) {
        const id = /-outbox-(\d+)@schalter\.eml$/.exec(name)?.[1];
        if (id === undefined && !/^\.[a-z0-9]+\.tmp$/.test(name)) continue;
        const path = join(outboxDir, name);
        try {
          if (!(id !== undefined && blanked.has(id)) && (await stat(path)).mtimeMs >= cutoff.getTime()) continue;
          await unlink(path);
          removed++;
        } catch (error) {
          // Renamed or removed meanwhile (a temp file becoming a message): nothing left to remove here.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return removed;
    },
  };
}

// Readers (people, a test, a script forwarding the folder) must never see half a message:
// write a hidden temp file, flush it, then rename, which is atomic within one directory.
async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const temp = join(dirname(path), `.${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

function toNodemailer(msg: MailMessage, from: string) {
  // nodemailer reads 'a@x, b@y' (or a line break) in a To: string as more recipients; a stored
  // address that is not exactly one mailbox fails this message instead of reaching anyone else.
  if (!isEmailAddress(msg.to)) throw new Error('Recipient refused: not exactly one email address');
  return {
    from: msg.from ?? from,
    to: { name: '', address: msg.to },
    subject: msg.subject,
    text: msg.text,
    ...(msg.html ? { html: msg.html } : {}),
    messageId: msg.messageId,
    attachments: msg.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      encoding: 'base64',
    })),
  };
}

function redact(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
    return `${url.protocol}//${url.hostname}:${port}`;
  } catch {
    return '(unparseable SMTP_URL)';
  }
}
