import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createMailTransport } from '../../src/notify/mail-transport.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('createMailTransport', () => {
  it('without SMTP writes a parseable .eml per message, and nothing else', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'schalter-mail-')), 'outbox');
    dirs.push(join(dir, '..'));
    const transport = createMailTransport({ outboxDir: dir, from: 'Bürgerbüro Mitte <termine@example.org>' });
    expect(transport.describe).toBe(
      `Mail: kein SMTP_URL gesetzt – Nachrichten werden als Dateien in ${dir}/*.eml geschrieben / no SMTP_URL set: messages are written to ${dir}/*.eml`,
    );
    const calendar = 'BEGIN:VCALENDAR\r\nUID:K7X@schalter\r\nEND:VCALENDAR\r\n';
    await transport.send({
      to: 'anna@example.org',
      subject: 'Terminbestätigung K7X-4Q2 – Do., 3. Dez.',
      text: 'Guten Tag Anna,\n\nIhr Termin ist bestätigt.',
      html: '<p>Guten Tag Anna,</p>',
      attachments: [
        { filename: 'termin-K7X.ics', contentType: 'text/calendar; charset=utf-8', content: Buffer.from(calendar).toString('base64') },
      ],
      messageId: '<outbox-42@schalter>',
    });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{9}Z-outbox-42@schalter\.eml$/);
    const raw = await readFile(join(dir, files[0]!));
    expect(raw.toString('latin1')).toContain('\r\n');
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe('<outbox-42@schalter>');
    expect(mail.subject).toBe('Terminbestätigung K7X-4Q2 – Do., 3. Dez.');
    expect(mail.from?.text).toContain('termine@example.org');
    expect(mail.text).toContain('Ihr Termin ist bestätigt.');
    expect(mail.html).toContain('<p>Guten Tag Anna,</p>');
    expect(mail.attachments[0]?.filename).toBe('termin-K7X.ics');
    expect(mail.attachments[0]?.content.toString('utf8')).toBe(calendar);
  });

  it.each([
    ['an address list', 'anna@example.org, victim@example.net'],
    ['a second header after a line break', 'anna@example.org\r\nBcc: victim@example.net'],
    ['a display name with another mailbox', 'Anna <victim@example.net>'],
  ])('refuses a recipient that is %s: no file, nobody reached', async (_what, to) => {
    const dir = join(await mkdtemp(join(tmpdir(), 'schalter-mail-')), 'outbox');
    dirs.push(join(dir, '..'));
    const transport = createMailTransport({ outboxDir: dir, from: 'Bürgerbüro Mitte <termine@example.org>' });
    await expect(
      transport.send({ to, subject: 'Ihr Ausweis ist abholbereit', text: 'Guten Tag', attachments: [], messageId: '<outbox-7@schalter>' }),
    ).rejects.toThrow(/not exactly one email address/);
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('describes an SMTP target without its credentials', () => {
    const transport = createMailTransport({ smtpUrl: 'smtp://user:secret@mail.example.org:2525', outboxDir: 'x', from: 'a@b.c' });
    expect(transport.describe).toBe('Mail: SMTP smtp://mail.example.org:2525 (5 Verbindungen / connections)');
    expect(transport.describe).not.toContain('secret');
  });
});
