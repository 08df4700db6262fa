import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { invalidateCatalogue } from '../../src/app/shared/catalogue.ts';
import { createMailTransport } from '../../src/notify/mail-transport.ts';
import { sendDueMessages } from '../../src/notify/outbox-worker.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { applyThreeTowns, oneTownOfKreis } from '../helpers/three-towns.ts';

// #20: each town's mails go out with its own sender (town file `mailFrom`), written on the outbox
// row when the message is queued; a message of no town keeps the installation's MAIL_FROM.

const INSTALLATION = 'Kreis Recklinghausen <termine@kreis.example>';
const THU_0900 = Date.parse('2026-11-26T09:00:00+01:00');

describe(`the sender of a town's mails on ${testDbKind}`, () => {
  let f: Fixture;
  let folder: string;
  beforeAll(async () => {
    f = await createFixture();
    await applyThreeTowns(f.ctx);
    invalidateCatalogue(f.ctx.db);
    await materializeCapacity(f.ctx);
    folder = await mkdtemp(join(tmpdir(), 'schalter-sender-'));
  });
  afterAll(async () => {
    await f.close();
    await rm(folder, { recursive: true, force: true });
  });

  const book = (officeId: string, serviceId: string, email: string) =>
    bookAppointment(f.ctx, {
      officeId,
      start: THU_0900,
      services: [{ serviceId, persons: 1 }],
      citizen: { name: 'Erika Mustermann', email },
      language: 'de',
    });

  /** Sends everything due through the mail folder and answers each recipient's parsed From header. */
  async function sendAndReadFrom(): Promise<Map<string, string>> {
    const transport = createMailTransport({ outboxDir: folder, from: INSTALLATION });
    await sendDueMessages({ db: f.database.db, transport, now: new Date(f.clock.now()) });
    const from = new Map<string, string>();
    for (const name of await readdir(folder)) {
      const mail = await simpleParser(await readFile(join(folder, name)));
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      from.set(to!.value[0]!.address!, mail.from!.value.map((a) => `${a.name} <${a.address}>`).join(', '));
    }
    return from;
  }

  it('a booking in Castrop and one in Waltrop are mailed from each town’s own sender; an office of no town from the installation’s', async () => {
    await book('castrop-rathaus', 'castrop-wohnsitz', 'anna@example.org');
    await book('waltrop-rathaus', 'waltrop-wohnsitz', 'bert@example.org');
    await book('test', 'short', 'clara@example.org'); // the fixture's office: its town has no row, hence no sender
    const from = await sendAndReadFrom();
    expect(from.get('anna@example.org')).toBe('Bürgerbüro Castrop <buergerbuero@castrop.example>');
    expect(from.get('bert@example.org')).toBe('Bürgerbüro Waltrop <buergerbuero@waltrop.example>');
    expect(from.get('clara@example.org')).toBe('Kreis Recklinghausen <termine@kreis.example>');
  });

  it('a message queued before the town file changes its sender keeps the sender it was queued with', async () => {
    await book('castrop-habinghorst', 'castrop-wohnsitz', 'dora@example.org');
    const changed = oneTownOfKreis('castrop', (t) =>
      t.replace('Bürgerbüro Castrop <buergerbuero@castrop.example>', 'Stadt Castrop <termine@castrop.example>'),
    );
    expect((await applySetup(f.ctx, changed, { actor: 'test' })).applied).toBe(true);
    invalidateCatalogue(f.ctx.db);
    await book('castrop-rathaus', 'castrop-wohnsitz', 'emil@example.org');
    const from = await sendAndReadFrom();
    expect(from.get('dora@example.org')).toBe('Bürgerbüro Castrop <buergerbuero@castrop.example>');
    expect(from.get('emil@example.org')).toBe('Stadt Castrop <termine@castrop.example>');
  });
});
