import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../../src/app/booking/materialize-capacity.ts';
import { applyRetention, type RetentionReport } from '../../../src/app/statistics/apply-retention.ts';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { createMailTransport, type MailTransport } from '../../../src/notify/mail-transport.ts';
import { sendDueMessages } from '../../../src/notify/outbox-worker.ts';
import { createFixture, WEDNESDAY_0800, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';
import { tempDir } from '../../sync/sync-fixture.ts';

// Retention blanked the rows, but copies survived: the mail files written without SMTP (name,
// address, manage link and code), the requests of a fair release window, and the old row versions
// in the database's own files. And its report said 0 messages while it had blanked some.

const OLD = { name: 'Quirin Altdaten', email: 'quirin@alt.example', phone: '0170 7654321' };
const NEW = { name: 'Nora Zukunft', email: 'nora@neu.example' };
const TABLES = ['appointment', 'outbox', 'release_request'];

describe(`retention removes every copy on ${testDbKind}`, () => {
  let f: Fixture;
  let dataDir: string;
  let outboxDir: string;
  let transport: MailTransport;
  let needles: string[];
  let report: RetentionReport;
  let before: { files: string[]; liveMessages: number };

  const liveMessages = async () =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM outbox WHERE recipient <> ''`.execute(f.ctx.db)).rows[0]!.n);
  /** Every mail file, decoded (quoted-printable, encoded words), as one text per file. */
  const mailTexts = async () =>
    Promise.all(
      fs.readdirSync(outboxDir).map(async (name) => {
        const mail = await simpleParser(fs.readFileSync(path.join(outboxDir, name)));
        return `${mail.to ? JSON.stringify(mail.to) : ''} ${mail.subject ?? ''} ${mail.text ?? ''} ${mail.html || ''}`;
      }),
    );

  beforeAll(async () => {
    dataDir = tempDir('schalter-retention-');
    outboxDir = path.join(dataDir, 'outbox');
    // On disk, so the table files can be read afterwards (PGlite); PostgreSQL: a scratch database as usual.
    f = await createFixture({
      counters: 2,
      ...(testDbKind === 'pglite'
        ? {
            openDb: async () => {
              const database = await openDatabase({ dataDir: path.join(dataDir, 'db') });
              await migrateToLatest(database.db);
              return database;
            },
          }
        : {}),
    });
    transport = createMailTransport({ outboxDir, from: 'Testamt <termine@test.example>' });

    // October: an online booking (reserved, mail with link and code) and a fair-release request.
    f.clock.set(Date.parse('2026-10-12T08:00:00+02:00'));
    await materializeCapacity(f.ctx);
    const booked = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse('2026-10-14T09:00:00+02:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: OLD,
      language: 'de',
    });
    const requestId = randomUUID();
    await f.ctx.db
      .insertInto('release_request')
      .values({
        id: requestId,
        token_hash: 'x'.repeat(64),
        office_id: 'test',
        wave_released_at: new Date(f.clock.now()),
        window_closes_at: new Date(f.clock.now() + 600_000),
        contact_key: `email:${OLD.email}`,
        starts_at: new Date('2026-10-15T09:00:00+02:00'),
        services: JSON.stringify([{ serviceId: 'short', persons: 1 }]),
        citizen_name: OLD.name,
        citizen_email: OLD.email,
        citizen_phone: OLD.phone,
        language: 'de',
        draw: 1,
        state: 'unavailable',
        outcome_code: 'slot_unavailable',
        created_at: new Date(f.clock.now()),
        decided_at: new Date(f.clock.now() + 600_000),
      })
      .execute();
    await f.ctx.db
      .insertInto('outbox')
      .values({
        dedupe_key: `release-request:${requestId}:unavailable`,
        channel: 'email',
        recipient: OLD.email,
        subject: `Leider kein Termin, ${OLD.name}`,
        body_text: `Guten Tag ${OLD.name}`,
        body_html: null,
        last_error: null,
        sent_at: null,
        created_at: new Date(f.clock.now()),
        next_attempt_at: new Date(f.clock.now()),
      })
      .execute();
    await sendDueMessages({ db: f.ctx.db, transport, now: new Date(f.clock.now() + 3_600_000) });
    needles = [OLD.name, OLD.email, OLD.phone, booked.manageToken];

    // Today: someone with an appointment ahead, whose mail must stay.
    f.clock.set(WEDNESDAY_0800);
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse('2026-11-27T09:00:00+01:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: NEW,
      language: 'de',
    });
    await sendDueMessages({ db: f.ctx.db, transport, now: new Date(f.clock.now() + 60_000) });

    before = { files: fs.readdirSync(outboxDir), liveMessages: await liveMessages() };
    report = await applyRetention(f.ctx, { retentionDays: 30, copies: transport.copies ? [transport.copies] : [] });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('no mail file keeps the name, address, phone or manage link; the mail of a coming appointment stays', async () => {
    expect(before.files).toHaveLength(3);
    const texts = await mailTexts();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(NEW.name);
    for (const needle of needles) expect(texts.join('\n')).not.toContain(needle);
    expect(report.copies).toEqual({ mailFiles: 2 });
  });

  it('release requests lose name, email, phone and the contact key', async () => {
    const rows = await f.ctx.db.selectFrom('release_request').selectAll().execute();
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(needles.map((n) => n.replace(/[.+]/g, '\\$&')).join('|')));
    expect(rows[0]).toMatchObject({ citizen_name: '', citizen_email: null, citizen_phone: null });
    expect(report.releaseRequests).toBe(1);
  });

  it('the report counts what was blanked', async () => {
    expect(report.appointments).toBe(1);
    expect(report.outbox).toBe(before.liveMessages - (await liveMessages()));
    expect(report.outbox).toBe(2);
    const run = await f.ctx.db.selectFrom('job_run').select('details').where('job', '=', 'retention').executeTakeFirstOrThrow();
    expect(run.details).toMatchObject({
      appointments: 1,
      outbox: 2,
      releaseRequests: 1,
      copies: { mailFiles: 2 },
      vacuumed: expect.arrayContaining(TABLES),
    });
  });

  it('the old row versions are gone from the table files', async () => {
    const pages = await tablePages(f, TABLES, path.join(dataDir, 'db'));
    if (pages === null) {
      // PostgreSQL without pageinspect: at least every touched table was vacuumed by the run.
      const stats = await sql<{
        relname: string;
        last_vacuum: Date | null;
      }>`SELECT relname, last_vacuum FROM pg_stat_user_tables WHERE relname = ANY(${TABLES}::text[])`.execute(f.ctx.db);
      expect(stats.rows.map((r) => [r.relname, r.last_vacuum !== null]).sort()).toEqual(TABLES.map((t) => [t, true]));
      return;
    }
    const bytes = Buffer.concat(pages);
    expect(bytes.includes(Buffer.from(NEW.name))).toBe(true); // the check sees names that are there
    for (const needle of [OLD.name, OLD.email, OLD.phone]) expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
  });
});

/**
 * The raw pages of the tables and their TOAST tables: on PGlite the files in the data folder after a
 * checkpoint; on PostgreSQL through pageinspect, or null where the server does not have it.
 */
async function tablePages(f: Fixture, tables: string[], pgliteDir: string): Promise<Buffer[] | null> {
  const relations = await sql<{ name: string; file: string; pages: number }>`
    SELECT c.oid::regclass::text AS name, pg_relation_filepath(c.oid) AS file, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
    FROM pg_class c
    WHERE c.relname = ANY(${tables}::text[]) OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = ANY(${tables}::text[]))`.execute(
    f.ctx.db,
  );
  if (testDbKind === 'pglite') {
    await sql`CHECKPOINT`.execute(f.ctx.db);
    return relations.rows.map((r) => fs.readFileSync(path.join(pgliteDir, r.file)));
  }
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pageinspect`.execute(f.ctx.db);
  } catch {
    return null;
  }
  // The row versions on each page, live or dead (line pointers in use): PostgreSQL does not wipe the
  // bytes of space it has freed, and whether a freed tuple's bytes are overwritten when the page is
  // compacted depends on where it lay, so the raw page is no reliable witness there (one CI run in
  // several saw the name in freed space after a VACUUM that had removed the tuple).
  const out: Buffer[] = [];
  for (const r of relations.rows) {
    for (let page = 0; page < r.pages; page++) {
      const items = await sql<{
        t_data: Buffer | null;
      }>`SELECT t_data FROM heap_page_items(get_raw_page(${r.name}, ${page})) WHERE lp_flags = 1`.execute(f.ctx.db);
      for (const item of items.rows) if (item.t_data) out.push(item.t_data);
    }
  }
  return out;
}
