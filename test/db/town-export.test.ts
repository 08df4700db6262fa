import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { refreshStatistics } from '../../src/app/statistics/refresh-statistics.ts';
import { audit } from '../../src/app/shared/audit.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import type { Database } from '../../src/db/connection.ts';
import type { DB } from '../../src/db/schema.ts';
import { packTownArchive, TownArchiveError, unpackTownArchive } from '../../src/db/town-archive.ts';
import { exportTown, UnknownTownError } from '../../src/db/town-export.ts';
import { importTown, TownImportRefusedError } from '../../src/db/town-import.ts';
import { TOWN_TABLES } from '../../src/db/town-tables.ts';
import { closeDayWithCallList } from '../helpers/closure-call-list.ts';
import { addCounters, bookConfirmed, id, run } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken } from '../helpers/staff.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { applyThreeTowns, KREIS_OFFICES } from '../helpers/three-towns.ts';

// Issue 20, "a town can leave": an installation with two towns and a working week behind them;
// export one town, import it into an empty installation, and every table holds exactly that town's
// rows — compared as PostgreSQL prints them, table by table — and none of the other town's.

/** A town's rows of one table, as PostgreSQL prints them (every digit, every microsecond), in key order. */
async function townRows(db: Kysely<DB>, table: (typeof TOWN_TABLES)[number], town: string | null): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`
    SELECT t::text AS row FROM ${sql.table(table.name)} t ${town === null ? sql`` : sql`WHERE ${table.rows(sql`${town}::text`)}`}
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.row);
}

/** Teststadt: the fixture's office `test` and `nord`. Zweitdorf: office `zd`, its own service, one booking. */
async function twoTowns(f: Fixture): Promise<void> {
  const { db } = f.ctx;
  await addOfficeNord(f);
  // 200 bytes: base64 longer than the 76 characters after which PostgreSQL's encode breaks lines.
  const logo = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256));
  await db
    .insertInto('municipality')
    .values([
      {
        id: 'teststadt',
        name: 'Teststadt',
        mail_from: 'termine@teststadt.example',
        imprint_url: 'https://teststadt.example/impressum',
        privacy_url: 'https://teststadt.example/datenschutz',
        logo,
        logo_media_type: 'image/png',
        closed_days: ['2026-12-24'],
      },
      {
        id: 'zweitdorf',
        name: 'Zweitdorf',
        mail_from: 'rathaus@zweitdorf.example',
        imprint_url: 'https://z.example/i',
        privacy_url: 'https://z.example/d',
      },
    ])
    .execute();
  await db.updateTable('office').set({ municipality_id: 'teststadt' }).execute();
  await db.updateTable('service').set({ municipality_id: 'teststadt' }).execute();
  // Texts (#20): each town's own leave with it; the installation's ('') stay.
  const text = (municipality_id: string, intro: string) =>
    ({
      municipality_id,
      kind: 'closure_notice',
      language: 'de',
      intro,
      sms: null,
      updated_by: 'test',
      updated_at: new Date(f.clock.now()),
    }) as const;
  await db
    .insertInto('message_template')
    .values([text('teststadt', 'Teststadt sagt ab.'), text('zweitdorf', 'Zweitdorf sagt ab.'), text('', 'Der Kreis sagt ab.')])
    .execute();
  await db
    .insertInto('setup_revision')
    .values({ municipality_id: 'teststadt', sha256: 'a'.repeat(64), applied_at: new Date(f.clock.now()), applied_by: 'cli' })
    .execute();
  await db
    .insertInto('office')
    .values({ id: 'zd', name: 'Rathaus Zweitdorf', address: 'Dorfplatz 1', municipality_id: 'zweitdorf' })
    .execute();
  await db
    .insertInto('service')
    .values({ id: 'zd-pass', name_de: 'Reisepass', name_en: 'Passport', duration_minutes: 15, municipality_id: 'zweitdorf' })
    .execute();
  await db.insertInto('office_service').values({ office_id: 'zd', service_id: 'zd-pass' }).execute();
  await db
    .insertInto('staffing_rule')
    .values(
      [1, 2, 3, 4, 5].map((weekday) => ({ office_id: 'zd', weekday, start_time: '08:00', end_time: '12:00', appointment_counters: 1 })),
    )
    .execute();
  await db
    .insertInto('release_policy')
    .values({
      office_id: 'zd',
      release_weekday: 1,
      release_time: '07:00',
      horizon_days: 14,
      same_day_share: 0,
      same_day_release_time: '07:00',
      phone_share: 0,
      min_lead_minutes: 0,
    })
    .execute();
  await materializeCapacity(f.ctx, { officeIds: ['zd'] });
  await bookAppointment(f.ctx, {
    officeId: 'zd',
    start: Date.parse('2026-11-27T09:00:00+01:00'),
    services: [{ serviceId: 'zd-pass', persons: 1 }],
    citizen: { name: 'Dora Dorf', email: 'dora@zweitdorf.example' },
    language: 'de',
    channel: 'phone',
    source: 'phone',
    actor: 'test',
  });
}

/** A week of work in Teststadt: staff, a token, the counter, walk-ins, ID cards, statistics, a closure with a call list. */
async function workInTeststadt(f: Fixture): Promise<void> {
  await addStaff(f, { email: 'leitung@teststadt.example', role: 'teamlead', officeIds: ['test', 'nord'] });
  await addStaff(f, { email: 'sachbearbeitung@teststadt.example', role: 'clerk', officeIds: ['test'] });
  // The town's own admin goes with it; the Kreis admin (no town) stays: elsewhere it would see every town.
  await addStaff(f, { email: 'admin@teststadt.example', role: 'admin', officeIds: [], municipalityId: 'teststadt' });
  await addStaff(f, { email: 'zd@zweitdorf.example', role: 'clerk', officeIds: ['zd'] });
  await addStaff(f, { email: 'kreis-admin@kreis.example', role: 'admin', officeIds: [], municipalityId: null });
  await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'Aufrufanzeige' });
  await addCounters(f, 'test', 2);
  await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
  const appointment = await bookConfirmed(f, '2026-11-25T08:50:00+01:00');
  f.clock.set(Date.parse('2026-11-25T08:30:00+01:00'));
  await run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) });
  await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
  f.clock.set(Date.parse('2026-11-25T08:51:00+01:00'));
  const call = await run(f, 'ticket.call_next', { counterNumber: 2 });
  await run(f, 'ticket.served', { ticketId: call.ticket!.id });
  await run(f, 'document.register', {
    documentId: id(f),
    orderNumber: 'PA-4711',
    kind: 'id_card',
    holderName: 'Hildegard Ausweisholer',
    email: 'hilde@teststadt.example',
    state: 'ready',
  });
  await run(f, 'document.hand_out', { orderNumber: 'PA-4711', recipient: 'holder' });
  await refreshStatistics(f.ctx);
  // A numeric with digits a float would change.
  await f.ctx.db.updateTable('release_policy').set({ phone_share: '0.1234567890123456789' }).where('office_id', '=', 'nord').execute();
  await closeDayWithCallList(f, [
    { name: 'Festnetz', phone: '0201 55555' },
    { name: 'Mit Mail', email: 'mail@teststadt.example' },
  ]);
  await f.ctx.db
    .updateTable('closure')
    .set({ setup_revision: sql<number>`(SELECT max(revision) FROM setup_revision WHERE municipality_id = 'teststadt')` })
    .execute();
}

describe('export of one town and import into another installation', () => {
  let f: Fixture;
  let empty: Database;
  let file: Buffer;
  let progress: [string, number][];

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await twoTowns(f);
    await workInTeststadt(f);
    // And the Kreis of three towns, applied from its town file as an installation gets it.
    await applyThreeTowns(f.ctx);
    empty = await createTestDb();
    progress = [];
    ({ file } = await exportTown(f.database.db, 'teststadt', { onTable: (name, rows) => progress.push([name, rows]) }));
    // Five towns' worth of capacity and a week of work: minutes on a busy 2-core machine.
  }, 400_000);
  afterAll(async () => {
    await f?.close();
    await empty?.close();
  });

  it('the archive names the town, its schema and every town table with rows and checksum', async () => {
    const { manifest, tables } = unpackTownArchive(file);
    expect(manifest).toMatchObject({
      format: 'schalter-town-export',
      formatVersion: 1,
      municipality: { id: 'teststadt', name: 'Teststadt' },
    });
    expect(manifest.migrations.length).toBeGreaterThan(10);
    expect(manifest.tables.map((t) => t.name)).toEqual(TOWN_TABLES.map((t) => t.name));
    expect(progress.map(([name]) => name)).toEqual(TOWN_TABLES.map((t) => t.name));
    const rows = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    // The activity is there: what each kind of work leaves behind.
    for (const table of [
      'appointment',
      'appointment_event',
      'ticket',
      'queue_call',
      'closure',
      'closure_item',
      'call_list_entry',
      'replacement_offer',
      'document_order',
      'document_event',
      'outbox',
      'audit_log',
      'staff_user',
      'api_token',
      'stat_hourly',
      'capacity_unit',
      'counter',
      'setup_revision',
    ]) {
      expect(rows[table], table).toBeGreaterThan(0);
    }
    expect(rows.municipality).toBe(1);
    expect(rows.office).toBe(2);
    // The three accounts of Teststadt; not Zweitdorf's, not the Kreis admin.
    expect(rows.staff_user).toBe(3);
    const municipality = JSON.parse(tables.find((t) => t.name === 'municipality')!.lines[0]!);
    expect(Buffer.from(municipality.logo, 'base64')).toEqual(Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256)));
    const office = JSON.parse(tables.find((t) => t.name === 'office')!.lines[0]!);
    expect(office.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('import into an empty installation reproduces every table of the town exactly, and nothing of the other town', async () => {
    const imported: string[] = [];
    await importTown(empty.db, unpackTownArchive(file), { onTable: (name) => imported.push(name) });
    expect(imported).toEqual(TOWN_TABLES.map((t) => t.name));
    for (const table of TOWN_TABLES) {
      const source = await townRows(f.database.db, table, 'teststadt');
      // The whole table in the new installation: the town's rows, and nothing else.
      expect(await townRows(empty.db, table, null), table.name).toEqual(source);
    }
    const accounts = await empty.db.selectFrom('staff_user').select(['email', 'municipality_id']).orderBy('email').execute();
    expect(accounts).toEqual(
      ['admin@teststadt.example', 'leitung@teststadt.example', 'sachbearbeitung@teststadt.example'].map((email) => ({
        email,
        municipality_id: 'teststadt',
      })),
    );
    expect(await empty.db.selectFrom('office').select('id').where('id', '=', 'zd').execute()).toEqual([]);
  });

  it('a town of the Kreis file comes out as it went in: its set-up, its revision, nothing of its neighbours', async () => {
    const fresh = await createTestDb();
    try {
      const { file: datteln, counts } = await exportTown(f.database.db, 'datteln');
      expect(counts.find((t) => t.name === 'office')?.rows).toBe(KREIS_OFFICES.datteln.length);
      await importTown(fresh.db, unpackTownArchive(datteln));
      for (const table of TOWN_TABLES) {
        expect(await townRows(fresh.db, table, null), table.name).toEqual(await townRows(f.database.db, table, 'datteln'));
      }
      const offices = await fresh.db.selectFrom('office').select('id').orderBy('id').execute();
      expect(offices.map((o) => o.id)).toEqual(KREIS_OFFICES.datteln);
    } finally {
      await fresh.close();
    }
  });

  it('after the import the sequences go on past the imported numbers', async () => {
    const before = await empty.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    await audit(empty.db, { actor: 'cli', action: 'test.after_import', entity: 'municipality', entityId: 'teststadt', at: f.clock.now() });
    const after = await empty.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    expect(Number(after.id)).toBe(Number(before.id) + 1);
    await empty.db
      .insertInto('setup_revision')
      .values({ municipality_id: 'teststadt', sha256: 'b'.repeat(64), applied_at: new Date(), applied_by: 'cli' })
      .execute();
  });

  it('refuses a second import of the same town, listing what exists already, and changes nothing', async () => {
    const count = async () => (await sql<{ n: string }>`SELECT count(*)::text AS n FROM appointment`.execute(empty.db)).rows[0]!.n;
    const before = await count();
    const refusal = await importTown(empty.db, unpackTownArchive(file)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TownImportRefusedError);
    const message = (refusal as Error).message;
    expect(message).toContain('Der Import wird abgelehnt: diese Einträge gibt es in dieser Installation schon. Nichts wurde geändert.');
    expect(message).toContain('Stadt / municipality: teststadt');
    expect(message).toContain('Standort / office: nord; test');
    expect(message).toContain('Mitarbeiterkonto (E-Mail) / staff account (email): ');
    expect(message).toContain('leitung@teststadt.example');
    expect(message).toMatch(/Terminnummer \/ appointment reference: .+/);
    expect(message).toContain('Auftragsnummer / document order number: PA-4711');
    expect(await count()).toBe(before);
  });

  it('into an installation whose sequence numbers are taken, the town’s numbers move up together, references and all', async () => {
    const other = await createTestDb();
    try {
      // Another town's set-up and 300 audit entries there take the low numbers.
      await other.db
        .insertInto('municipality')
        .values({
          id: 'andere',
          name: 'Andere',
          mail_from: 'a@andere.example',
          imprint_url: 'https://a.example/i',
          privacy_url: 'https://a.example/d',
        })
        .execute();
      await other.db
        .insertInto('setup_revision')
        .values({ municipality_id: 'andere', sha256: 'c'.repeat(64), applied_at: new Date(), applied_by: 'cli' })
        .execute();
      await sql`INSERT INTO audit_log (at, actor, action, entity) SELECT now(), 'cli', 'test.filler', 'test' FROM generate_series(1, 300)`.execute(
        other.db,
      );
      const report = await importTown(other.db, unpackTownArchive(file));
      const moved = Object.fromEntries(report.tables.map((t) => [t.name, t.renumberedBy]));
      expect(moved.audit_log).toBeGreaterThan(0);
      expect(moved.setup_revision).toBeGreaterThan(0);
      // The closure still points to the revision of Teststadt's set-up it was made under, under its new number.
      const revisionOfClosures = async (db: Kysely<DB>) =>
        (
          await sql<{ sha256: string | null }>`SELECT s.sha256 FROM closure c LEFT JOIN setup_revision s ON s.revision = c.setup_revision
            WHERE c.office_id IN ('test', 'nord') ORDER BY c.id`.execute(db)
        ).rows;
      expect(await revisionOfClosures(other.db)).toEqual([{ sha256: 'a'.repeat(64) }]);
      expect(await revisionOfClosures(f.database.db)).toEqual([{ sha256: 'a'.repeat(64) }]);
      const table = TOWN_TABLES.find((t) => t.name === 'appointment')!;
      expect(await townRows(other.db, table, 'teststadt')).toEqual(await townRows(f.database.db, table, 'teststadt'));
      const audits = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE office_id IN ('test', 'nord')`.execute(
        other.db,
      );
      const sourceAudits = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE office_id IN ('test', 'nord')`.execute(
        f.database.db,
      );
      expect(audits.rows[0]!.n).toBe(sourceAudits.rows[0]!.n);
    } finally {
      await other.close();
    }
  });

  it('an unknown town is refused, naming the towns there are', async () => {
    await expect(exportTown(f.database.db, 'nirgendwo')).rejects.toThrow(UnknownTownError);
    await expect(exportTown(f.database.db, 'nirgendwo')).rejects.toThrow('vorhanden: castrop, datteln, teststadt, waltrop, zweitdorf');
  });

  it('a damaged file, a newer format and another schema are refused before anything is written', async () => {
    const damaged = Buffer.from(file);
    const at = damaged.indexOf(Buffer.from('Hildegard'));
    damaged[at] = 'X'.charCodeAt(0);
    expect(() => unpackTownArchive(damaged)).toThrow(TownArchiveError);
    expect(() => unpackTownArchive(damaged)).toThrow(/Die Datei ist beschädigt: tables\/document_order\.jsonl/);
    expect(() => unpackTownArchive(Buffer.from('kein tar'))).toThrow(/kein Export einer Stadt/);

    const { manifest, tables } = unpackTownArchive(file);
    const { tables: _entries, ...head } = manifest;
    expect(() => unpackTownArchive(packTownArchive({ ...head, formatVersion: 2 }, tables))).toThrow(
      'Die Datei hat das Format 2; diese Version von Schalter kennt nur Format 1.',
    );
    const older = unpackTownArchive(
      packTownArchive({ ...head, migrations: [...head.migrations.slice(0, -1), '2099-01-01T0000-zukunft'] }, tables),
    );
    const fresh = await createTestDb();
    try {
      const refusal = await importTown(fresh.db, older).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TownImportRefusedError);
      expect((refusal as Error).message).toContain('anderen Stand des Datenbankschemas');
      expect((refusal as Error).message).toContain('nur in der Datei / only in the file: 2099-01-01T0000-zukunft');
      expect(await fresh.db.selectFrom('municipality').selectAll().execute()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
