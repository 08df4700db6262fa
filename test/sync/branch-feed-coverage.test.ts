import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_COMMAND_TYPES } from '../../src/app/counter/counter-command.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connection.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { startFeedPuller } from '../../src/sync/feed-puller.ts';
import { bookConfirmed } from '../helpers/counter.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { DeviceBrowser } from '../helpers/office-device.ts';
import { addStaff, addToken, bearer, STAFF_BRANCH_PIN } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { embeddedDb, startCentral, tempDir, type Central } from './sync-fixture.ts';
import { recordTables, type TableRecorder } from './table-recorder.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Issue #18, item 1: the walk-in quota and check-in window a team lead set centrally never reached
// the branch, because office_queue_settings was not in the change feed — and nothing noticed. This
// test runs the office's counter day on a branch node, through its own pages and API as the clerks,
// the kiosk and the call display use them, records every table that day touches, and fails for any
// table that the change feed does not bring (or that is not the branch's own by design, below).
// Nothing here lists the fed tables: they are the tables the feed wrote while loading the office,
// checked against the tables the central server's sync triggers watch. A new table that the counter
// day reads (the town set-up of issue #21, say) fails here until it is fed or declared local; a new
// page or API read of the staff or the office devices fails until it is part of the day or declared
// the central server's work; a new counter command fails until the day runs it.

/**
 * Tables the branch keeps for itself: what its own counter writes (and sends up as journalled
 * commands, replayed centrally by the same code), its sync bookkeeping, its logins and devices.
 * None of them is central data the branch would need to know.
 */
const BRANCH_LOCAL: Record<string, string> = {
  ticket: 'the day’s queue, made by the counter commands at the branch',
  ticket_sequence: 'ticket numbers of the day, drawn at the branch',
  counter_station: 'who works at which counter, opened and closed at the branch',
  queue_call: 'the calls the display shows, made at the branch',
  counter_payment: 'fees taken at the branch',
  walkin_refusal: 'walk-ins the branch turned away (statistics reach the centre through the journal)',
  appointment_event: 'the history the branch’s counter commands write; the central server writes its own on replay',
  document_event: 'the same for document orders',
  lease_booking: 'walk-in slots the branch gave from its lease (0006); replayed centrally',
  audit_log: 'the branch’s own audit trail; the central one names the branch on replay (0009)',
  branch_journal: 'the journal itself (0006)',
  branch_sync_state: 'the branch’s cursors: journal acknowledged, feed position',
  staff_session: 'logins at the office PC (0009)',
  login_failure: 'login throttling at the office PC',
  office_device: 'kiosks and displays paired at the branch; never in the feed (0010)',
  device_pairing: 'pairing codes made at the branch (0010)',
};

/** Written at the branch by the feed only as part of another entity's record, which its trigger notes. */
const TRAVELS_WITH: Record<string, string> = {
  appointment_service: 'inside each appointment record; a booking or move writes the appointment row too',
};

/** GET routes of the staff and the office devices that are the counter day, with the address opened for each. */
const DAY_PATHS = (ids: { appointment: string }): Record<string, string> => ({
  '/staff': '/staff',
  '/staff/login': '/staff/login',
  '/staff/standort': '/staff/standort',
  '/staff/passwort': '/staff/passwort',
  '/staff/zweigstellen-pin': '/staff/zweigstellen-pin',
  '/staff/tagesplan': '/staff/tagesplan',
  '/staff/tagesplan.csv': '/staff/tagesplan.csv',
  '/staff/suche': '/staff/suche?q=Muster',
  '/staff/termine/:id': `/staff/termine/${ids.appointment}`,
  '/staff/termine/:id/absagen': `/staff/termine/${ids.appointment}/absagen`,
  '/staff/schalter': '/staff/schalter',
  '/staff/schalter/:n{[0-9]{1,3}}': '/staff/schalter/1',
  '/staff/abholung': '/staff/abholung',
  '/staff/spontantermin': '/staff/spontantermin',
  '/staff/geraete': '/staff/geraete',
  '/kiosk/:officeId': '/kiosk/test',
  '/display/:officeId': '/display/test',
  '/display/:officeId/events': '/display/test/events',
  '/api/v1/staff/me': '/api/v1/staff/me',
  '/api/v1/staff/offices': '/api/v1/staff/offices',
  '/api/v1/staff/appointments': '/api/v1/staff/appointments?officeId=test&query=Muster',
  '/api/v1/staff/appointments/:id': `/api/v1/staff/appointments/${ids.appointment}`,
  '/api/v1/staff/offices/:officeId/day-plan': '/api/v1/staff/offices/test/day-plan?date=2026-11-25',
  '/api/v1/staff/offices/:officeId/day-plan.csv': '/api/v1/staff/offices/test/day-plan.csv?date=2026-11-25',
  '/api/v1/staff/offices/:officeId/documents': '/api/v1/staff/offices/test/documents',
  '/api/v1/staff/offices/:officeId/queue': '/api/v1/staff/offices/test/queue',
  '/api/v1/staff/offices/:officeId/queue-settings': '/api/v1/staff/offices/test/queue-settings',
  '/api/v1/offices/:officeId/display': '/api/v1/offices/test/display',
  '/api/v1/offices/:officeId/walkin-slots': '/api/v1/offices/test/walkin-slots?serviceId=short',
});

/** Served by every node, but the central server's work: at a branch they would show only the branch's own rows. */
const CENTRAL_WORK: Record<string, string> = {
  '/status':
    'a citizen page of the town site (its header, closure notices, legal links): citizens ask the central site from home, not the office PC',
  '/staff/code': 'second factor: none at the branch (0009)',
  '/staff/zwei-faktor': 'second factor enrolment: central only (0009)',
  '/staff/wiederherstellungscodes': 'recovery codes of the second factor: central only (0009)',
  '/staff/telefon': 'phone booking for later days runs centrally',
  '/staff/termine/:id/bearbeiten': 'appointments are corrected centrally (#22); the branch mirrors them, without the staff note',
  '/staff/statistics': 'statistics are counted centrally',
  '/staff/statistics.csv': 'statistics are counted centrally',
  '/staff/statistics-stunden.csv': 'statistics are counted centrally',
  '/staff/statistik/kreis': 'statistics are counted centrally; a branch holds one office of one town',
  '/staff/statistik/kreis.csv': 'statistics are counted centrally; a branch holds one office of one town',
  '/staff/schliessungen': 'closures are made centrally',
  '/staff/schliessungen/:id{[0-9a-fA-F-]{36}}': 'closures are made centrally',
  '/staff/schliessungen/mehrere': 'closures are made centrally; several offices at once are the Kreis’s or a town’s (#20)',
  '/staff/schliessungen/mehrere/ergebnis': 'closures are made centrally (#20)',
  '/staff/vorlagen': 'message texts are edited centrally (now a redirect to the texts pages)',
  '/staff/verwaltung/texte': 'message texts are edited centrally and reach the branch through the feed (#19)',
  '/staff/verwaltung/texte/:slug': 'message texts are edited centrally (#19)',
  '/staff/nachrichten': 'mail and SMS are sent centrally',
  '/staff/anrufliste': 'the call list is kept centrally',
  '/staff/klaerfaelle': 'Klärfälle arise centrally, on replay',
  '/staff/verwaltung/konten': 'staff accounts are managed centrally (#19); the branch only mirrors them',
  '/staff/verwaltung/konten/neu': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/konten/:id': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/konten/:id/deaktivieren': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/konten/:id/aktivieren': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/konten/:id/passwort': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/konten/:id/zwei-faktor': 'staff accounts are managed centrally (#19)',
  '/staff/verwaltung/dienstleistungen': 'the town set-up is applied centrally and reaches the branch through the feed (#19, #21)',
  '/staff/verwaltung/dienstleistungen/neu': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/dienstleistungen/:id': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/standorte': 'the town set-up is applied centrally and reaches the branch through the feed (#19, #21)',
  '/staff/verwaltung/standorte/:id': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/oeffnungszeiten': 'the town set-up is applied centrally and reaches the branch through the feed (#19, #21)',
  '/staff/verwaltung/oeffnungszeiten/:office': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/oeffnungszeiten/:office/monat': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/oeffnungszeiten/:office/wochenplan': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/oeffnungszeiten/:office/ausnahme': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/regeln': 'the town set-up is applied centrally and reaches the branch through the feed (#19, #21)',
  '/staff/verwaltung/regeln/:office': 'the town set-up is applied centrally (#19, #21)',
  '/staff/verwaltung/protokoll': 'the audit log is read on the central server, where the branches’ entries arrive by the journal (#19)',
  '/staff/verwaltung/protokoll.csv': 'the audit log is read on the central server (#19)',
  '/api/v1/staff/offices/:officeId/audit-log': 'the audit log that counts is the central one',
  '/api/v1/staff/offices/:officeId/availability': 'booking runs centrally',
  '/api/v1/offices/:officeId/work-items': 'Klärfälle arise centrally, on replay',
  '/api/v1/offices/:officeId/call-list': 'the call list is kept centrally',
};

const IN_SCOPE = /^\/(staff|kiosk|display|status)(\/|$)|^\/api\/v1\/staff\/|^\/api\/v1\/offices\/:officeId\//;
const STATIC = /\/static\/|\.css$/;

describe(`every table the branch's counter day reads comes through the change feed (central on ${testDbKind})`, () => {
  let central: Central;
  let branchDb: Database;
  let feed: TableRecorder;
  let day: TableRecorder;
  let node: BranchNode;
  let branch: Fixture;
  let triggered: Set<string>;
  const commandsRun = new Set<string>();
  const visited = new Map<string, number>();
  let ids: { appointment: string; later: string };
  let printerToken: string;

  beforeAll(async () => {
    central = await startCentral();
    const f = central.f;
    await addStaff(f, { email: 'schalter@stadt.example', role: 'clerk', officeIds: ['test'] });
    await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    // An integration on the office network (issue #18 item 4): its token works at the branch too.
    printerToken = await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'Ticketdrucker' });
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00', { name: 'Max Muster' });
    const later = await bookConfirmed(f, '2026-11-26T10:00:00+01:00', { name: 'Lena Later' });
    ids = { appointment: appointment.id, later: later.id };
    for (const n of ['PA-1000', 'PA-2000']) {
      await f.ctx.db
        .insertInto('document_order')
        .values({
          id: newEntityId(f.ctx),
          order_number: n,
          office_id: 'test',
          kind: 'id_card',
          holder_name: 'Erika Mustermann',
          citizen_email: null,
          citizen_phone: null,
          state: 'ready',
          source: 'import',
          ready_at: new Date(),
          created_at: new Date(),
          updated_at: new Date(),
        })
        .execute();
    }
    // The town set-up of issue #21, so the image has a row of each kind to bring.
    const logo = Buffer.from('89504e470d0a1a0a', 'hex');
    await f.ctx.db
      .insertInto('municipality')
      .values({
        id: 'teststadt',
        name: 'Teststadt',
        mail_from: 'buergerbuero@teststadt.example',
        imprint_url: 'https://teststadt.example/impressum',
        privacy_url: 'https://teststadt.example/datenschutz',
        logo,
        logo_media_type: 'image/png',
      })
      .execute();
    await f.ctx.db.updateTable('office').set({ municipality_id: 'teststadt' }).where('id', '=', 'test').execute();
    await f.ctx.db
      .insertInto('service_fee_rule')
      .values({ service_id: 'long', position: 0, label_de: 'unter 24 Jahren', label_en: 'under 24', fee_cents: 2280, age_below: 24 })
      .execute();
    await f.ctx.db.insertInto('counter_service').values({ office_id: 'test', counter_number: 3, service_id: 'long' }).execute();
    await f.ctx.db
      .insertInto('staffing_exception')
      .values({ office_id: 'test', date: '2026-12-24', appointment_counters: 0, reason: 'Heiligabend' })
      .execute();
    // The wording of the pickup notice (#19): the branch writes that notice itself. Per town (#20):
    // the installation's text and its town's own come, another town's does not.
    const pickup = (municipality_id: string, language: 'de' | 'en', intro: string) =>
      ({ municipality_id, kind: 'document_ready', language, intro, sms: null, updated_by: 'test', updated_at: new Date() }) as const;
    await f.ctx.db
      .insertInto('message_template')
      .values([
        pickup('', 'de', '{document} liegt im {office} bereit.'),
        pickup('teststadt', 'en', 'Your {document} is ready at {office}.'),
        pickup('anderstadt', 'de', '{document} liegt in Anderstadt bereit.'),
      ])
      .execute();
    // The team lead's line on the call display (#22): the branch's display shows it too.
    await f.ctx.db
      .insertInto('display_notice')
      .values({ office_id: 'test', text_de: 'Heute ab 12 Uhr nur Abholung', text_en: null, updated_by: 'test', updated_at: new Date() })
      .execute();
    // No quota set: the day derives it from the staffing plan, the longer way through the tables.
    await f.ctx.db.updateTable('office_queue_settings').set({ walkin_quota: null }).where('office_id', '=', 'test').execute();
    await f.ctx.db.updateTable('staffing_rule').set({ walkin_counters: 1 }).where('office_id', '=', 'test').execute();
    const triggers = await sql<{
      table: string;
    }>`SELECT DISTINCT event_object_table AS table FROM information_schema.triggers WHERE action_statement LIKE '%sync_log_%'`.execute(
      f.ctx.db,
    );
    triggered = new Set(triggers.rows.map((r) => r.table));

    branchDb = await embeddedDb();
    await branchDb.db.insertInto('branch_sync_state').values({ branch_id: central.branchId, office_id: 'test' }).execute();
    feed = await recordTables(branchDb.db);
    const puller = startFeedPuller({
      db: feed.db,
      branchId: central.branchId,
      officeId: 'test',
      centralUrl: central.url,
      token: central.token,
      now: f.clock.now,
      intervalMs: 600_000,
    });
    await puller.pullNow();
    await puller.stop();
    feed.recording = false;

    // The branch as `schalter serve --role branch` builds it (src/bootstrap.ts, src/sync/branch-role.ts, src/serve.ts).
    const config = loadConfig({
      SCHALTER_ROLE: 'branch',
      SCHALTER_CENTRAL_URL: central.url,
      SCHALTER_OFFICE: 'test',
      SCHALTER_BRANCH_ID: central.branchId,
      SCHALTER_BRANCH_TOKEN: central.token,
    });
    day = await recordTables(branchDb.db);
    day.recording = false;
    f.clock.set(Date.parse('2026-11-25T08:45:00+01:00'));
    const ctx: AppContext = { ...f.ctx, db: day.db, settings: { ...f.ctx.settings, branchNode: { centralUrl: central.url } } };
    node = await startBranchNode(ctx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-coverage-'),
      centralUrl: central.url,
      token: central.token,
      uploader: { idleMs: 50 },
    });
    ctx.afterCounterCommand = async (trx, command, outcome) => {
      commandsRun.add(command.type);
      await node.journal.afterApply(trx, command, outcome);
    };
    const app = createHttpApp({
      ctx,
      dbKind: 'pglite',
      rateLimitPerMinute: null,
      log: () => {},
      branchStatus: () => node.banner(),
      office: { networks: config.officeNetworks },
    });
    branch = { app } as unknown as Fixture;
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await branchDb?.close();
    await central?.close();
  });

  it(
    'runs the counter day on the branch: every page, every counter command, the kiosk and the call display',
    { timeout: 60_000 },
    async () => {
      day.recording = true;
      const clerk = new StaffBrowser(branch, 'clerk');
      const lead = new StaffBrowser(branch, 'lead');
      const kiosk = new DeviceBrowser(branch.app, '192.168.10.20');
      const ok = async (what: string, res: Response | Promise<Response>, status = [200, 201, 303]) => {
        const r = await res;
        expect(status, `${what}: ${r.status} ${r.status >= 400 ? await r.clone().text() : ''}`).toContain(r.status);
        return r;
      };
      const body = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

      await ok('clerk login', clerk.post('/staff/login', { email: 'schalter@stadt.example', password: STAFF_BRANCH_PIN }));
      await clerk.page('/staff/schalter');
      const api = (path: string, json: unknown = {}) =>
        ok(`POST ${path}`, clerk.postJson(`/api/v1${path}`, json, { 'x-csrf-token': clerk.csrf! }));
      const staff = (path: string, json: unknown = {}) => api(`/staff/offices/test${path}`, json);

      await staff('/counters/1/open');
      await staff('/counters/2/open');
      await staff('/counters/3/open');
      await ok(
        'kiosk check-in',
        kiosk.post('/kiosk/test/anmelden', {
          reference: (
            await central.f.ctx.db.selectFrom('appointment').select('reference').where('id', '=', ids.appointment).executeTakeFirstOrThrow()
          ).reference,
        }),
      );
      await ok('kiosk walk-in', kiosk.post('/kiosk/test/wartenummer', { service: 'short' }));
      await staff('/walk-ins', { serviceId: 'long' });
      const first = (await body<{ ticket: { id: string } }>(staff('/counters/1/call-next'))).ticket;
      await staff(`/tickets/${first.id}/call-again`);
      await staff(`/tickets/${first.id}/forward`, { toCounter: 2, toServiceId: null });
      await staff(`/tickets/${first.id}/call`, { counterNumber: 2 });
      await staff(`/tickets/${first.id}/served`);
      await staff('/payments', { amountCents: 3700, method: 'cash', ticketId: first.id });
      const second = (await body<{ ticket: { id: string } }>(staff('/counters/1/call-next'))).ticket;
      await staff(`/tickets/${second.id}/no-show`);
      await staff(`/appointments/${ids.later}/cancel-at-counter`);
      await staff('/documents', { orderNumber: 'PA-3000', kind: 'passport', holderName: 'Erika Mustermann' });
      await staff('/documents/PA-3000/ready');
      await staff('/documents/PA-1000/hand-out', { recipient: 'holder' });
      await staff('/documents/PA-2000/return');
      await api('/offices/test/walkin-slots', { serviceId: 'short' });
      await staff('/counters/3/close');
      await ok(
        'ticket printer',
        branch.app.request('/api/v1/staff/offices/test/walk-ins', {
          method: 'POST',
          headers: { ...bearer(printerToken), 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: 'short' }),
        }),
      );

      // The team lead pairs a call display at the branch (0010).
      await ok('team lead login', lead.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_BRANCH_PIN }));
      await lead.page('/staff/geraete');
      const issued = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(
        await (await ok('pairing code', lead.post('/staff/geraete', { name: 'Anzeige Wartebereich' }))).text(),
      )![1]!;
      const display = new DeviceBrowser(branch.app, '203.0.113.9');
      await ok('display pairing', display.post('/display/test/koppeln', { code: issued }));

      // Every page and read of the day, as the clerk (the devices' pages as the kiosk and the display).
      for (const [route, path] of Object.entries(DAY_PATHS(ids))) {
        const viewer = path.startsWith('/kiosk')
          ? kiosk
          : path.startsWith('/display')
            ? display
            : route === '/staff/geraete'
              ? lead
              : clerk;
        const res = await viewer.get(path);
        if (route.endsWith('/events')) await firstEvent(res);
        visited.set(route, res.status);
      }
      await node.uploader.drain(30_000);
      day.recording = false;

      expect(
        [...visited].filter(([, status]) => status >= 400),
        'pages that failed at the branch',
      ).toEqual([]);
      expect(
        COUNTER_COMMAND_TYPES.filter((type) => !commandsRun.has(type)),
        'counter commands the day did not run',
      ).toEqual([]);
    },
  );

  it('every GET route of the staff and the office devices is part of the day or the central server’s work', () => {
    const routes = new Set(
      branch.app.routes.filter((r) => r.method === 'GET' && IN_SCOPE.test(r.path) && !STATIC.test(r.path)).map((r) => r.path),
    );
    const classified = new Set([...Object.keys(DAY_PATHS(ids)), ...Object.keys(CENTRAL_WORK)]);
    expect(
      [...routes].filter((r) => !classified.has(r)),
      'routes neither in DAY_PATHS nor in CENTRAL_WORK',
    ).toEqual([]);
    expect(
      [...classified].filter((r) => !routes.has(r)),
      'classified routes that do not exist',
    ).toEqual([]);
  });

  it('the feed writes exactly the tables the central triggers watch (and what travels inside their records)', () => {
    const fed = new Set([...feed.written].filter((t) => t !== 'branch_sync_state'));
    expect([...triggered].filter((t) => !fed.has(t)).sort(), 'watched centrally, but not written by the feed at the branch').toEqual([]);
    expect(
      [...fed].filter((t) => !triggered.has(t) && !(t in TRAVELS_WITH)).sort(),
      'written by the feed, but no trigger notes its changes',
    ).toEqual([]);
    expect(fed).toContain('office_queue_settings');
  });

  it('the town set-up arrives whole: the municipality with its logo, fee rules, counters’ services, exceptions', async () => {
    const db = branchDb.db;
    expect(await db.selectFrom('municipality').select(['id', 'imprint_url', 'logo']).execute()).toEqual([
      { id: 'teststadt', imprint_url: 'https://teststadt.example/impressum', logo: Buffer.from('89504e470d0a1a0a', 'hex') },
    ]);
    expect(await db.selectFrom('service_fee_rule').select(['service_id', 'fee_cents', 'age_below']).execute()).toEqual([
      { service_id: 'long', fee_cents: 2280, age_below: 24 },
    ]);
    expect(await db.selectFrom('counter_service').select(['counter_number', 'service_id']).execute()).toEqual([
      { counter_number: 3, service_id: 'long' },
    ]);
    expect(await db.selectFrom('staffing_exception').select(['date', 'reason']).execute()).toEqual([
      { date: '2026-12-24', reason: 'Heiligabend' },
    ]);
    expect(
      await db.selectFrom('message_template').select(['municipality_id', 'kind', 'language', 'intro']).orderBy('municipality_id').execute(),
    ).toEqual([
      { municipality_id: '', kind: 'document_ready', language: 'de', intro: '{document} liegt im {office} bereit.' },
      { municipality_id: 'teststadt', kind: 'document_ready', language: 'en', intro: 'Your {document} is ready at {office}.' },
    ]);
    expect(await db.selectFrom('display_notice').select(['office_id', 'text_de']).execute()).toEqual([
      { office_id: 'test', text_de: 'Heute ab 12 Uhr nur Abholung' },
    ]);
  });

  it('and its later changes come by cursor, removals included', { timeout: 30_000 }, async () => {
    const c = central.f.ctx.db;
    await c.updateTable('service_fee_rule').set({ fee_cents: 2400 }).where('service_id', '=', 'long').execute();
    await c.deleteFrom('counter_service').execute();
    await c.insertInto('counter_service').values({ office_id: 'test', counter_number: 2, service_id: 'short' }).execute();
    await c.deleteFrom('staffing_exception').execute();
    await c.deleteFrom('display_notice').execute();
    await c.updateTable('municipality').set({ site_title: 'Bürgerbüro Teststadt' }).execute();
    // A text given back to the built-in wording, another one worded (#19).
    await c.deleteFrom('message_template').execute();
    await c
      .insertInto('message_template')
      .values({
        kind: 'appointment_reminder',
        language: 'en',
        intro: null,
        sms: '{office}: {date}. Cancel: {cancel}',
        updated_by: 'test',
        updated_at: new Date(),
      })
      .execute();
    // A new logo applied centrally (#21): the office PC's pages show it from its own database.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
    await c.updateTable('municipality').set({ logo: svg, logo_media_type: 'image/svg+xml' }).execute();
    const puller = startFeedPuller({
      db: branchDb.db,
      branchId: central.branchId,
      officeId: 'test',
      centralUrl: central.url,
      token: central.token,
      now: central.f.clock.now,
      intervalMs: 600_000,
    });
    await puller.pullNow();
    await puller.stop();
    const db = branchDb.db;
    expect(await db.selectFrom('service_fee_rule').select('fee_cents').execute()).toEqual([{ fee_cents: 2400 }]);
    expect(await db.selectFrom('counter_service').select(['counter_number', 'service_id']).execute()).toEqual([
      { counter_number: 2, service_id: 'short' },
    ]);
    expect(await db.selectFrom('staffing_exception').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('display_notice').select('office_id').execute()).toEqual([]);
    expect(await db.selectFrom('municipality').select('site_title').execute()).toEqual([{ site_title: 'Bürgerbüro Teststadt' }]);
    expect(await db.selectFrom('message_template').select(['kind', 'language', 'sms']).execute()).toEqual([
      { kind: 'appointment_reminder', language: 'en', sms: '{office}: {date}. Cancel: {cancel}' },
    ]);
    const logo = await branch.app.request('/logo');
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(Buffer.from(await logo.arrayBuffer())).toEqual(svg);
  });

  it('every table the counter day touches is fed, or the branch’s own by design', () => {
    const touched = new Set([...day.read, ...day.written, ...day.deleted]);
    expect(touched).toContain('office_queue_settings');
    expect(touched).toContain('ticket');
    const fed = new Set([...feed.written, ...Object.keys(TRAVELS_WITH)]);
    const missing = [...touched].filter((t) => !fed.has(t) && !(t in BRANCH_LOCAL)).sort();
    expect(missing, 'read at the branch but not in the change feed').toEqual([]);
    const stale = Object.keys(BRANCH_LOCAL).filter((t) => fed.has(t) && t !== 'branch_sync_state');
    expect(stale, 'declared local but fed').toEqual([]);
  });
});

/** Reads a Server-Sent Events stream until its first event, then hangs up. */
async function firstEvent(res: Response): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
}
