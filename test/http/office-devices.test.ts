import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { queueSubscriberCount } from '../../src/app/counter/queue-events.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { addCounters, bookConfirmed, id, run } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { DeviceBrowser, readUntil, until } from '../helpers/office-device.ts';
import { contains, html } from '../helpers/pages.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue 15, item 7: the kiosk and the call display serve the office's own devices only — paired by a
// team lead, or on a configured office network — and the display streams of an office share one
// board read per change, up to a cap.

const OUTSIDE = '203.0.113.7';
const OFFICE_PC = '10.20.0.5';
const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);
const officeNetworks = loadConfig({ SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16, fd00:20::/64' }).officeNetworks;

async function loginLead(f: Fixture) {
  const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
  const b = new StaffBrowser(f, 'lead');
  await b.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
  await b.page('/staff/code');
  await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
  await b.page('/staff/standort');
  await b.post('/staff/standort', { office: 'test' });
  return b;
}

/** The team lead creates a pairing code on /staff/geraete; the code as shown there. */
async function pairingCode(lead: StaffBrowser, name: string): Promise<string> {
  await lead.page('/staff/geraete');
  const res = await lead.post('/staff/geraete', { name });
  expect(res.status).toBe(201);
  const code = /class="pairing-code">([A-Z0-9]{4}-[A-Z0-9]{4})</.exec(await res.text());
  if (!code) throw new Error('no pairing code on the page');
  return code[1]!;
}

const ticketCount = async (f: Fixture) =>
  Number(
    (
      await f.ctx.db
        .selectFrom('ticket')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`kiosk and call display only for the office's devices (${testDbKind})`, () => {
  let f: Fixture;
  let lead: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    f.clock.set(at('08:45'));
    lead = await loginLead(f);
  });
  afterAll(async () => f?.close());

  it('a device from outside gets the pairing page; its walk-in and check-in are refused and the quota stays untouched; /status stays public', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00');
    const outsider = new DeviceBrowser(f.app, OUTSIDE);
    const start = await outsider.get('/kiosk/test');
    expect(start.status).toBe(403);
    const page = await html(start);
    contains(page, 'Gerät freigeben', 'Kopplungscode', 'action="/kiosk/test/koppeln"');
    expect(page).not.toContain('Ich habe keinen Termin');
    contains(await html(outsider.get('/kiosk/test?lang=en')), 'Enrol this device', 'Pairing code');

    const walkin = await outsider.post('/kiosk/test/wartenummer', { service: 'short' });
    expect(walkin.status).toBe(403);
    contains(await html(walkin), 'Gerät freigeben');
    expect((await outsider.post('/kiosk/test/anmelden', { reference: appointment.reference })).status).toBe(403);
    expect(await ticketCount(f)).toBe(0);
    expect(
      (await f.ctx.db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirstOrThrow()).status,
    ).toBe('confirmed');

    expect((await outsider.get('/display/test')).status).toBe(403);
    const stream = await outsider.get('/display/test/events', { 'accept-language': 'en' });
    expect(stream.status).toBe(403);
    expect(((await stream.json()) as { error: unknown }).error).toMatchObject({
      code: 'device_not_enrolled',
      message: 'This device is not enrolled for this office. A team lead can enrol it with a pairing code.',
    });
    // Without a socket address at all (no header is trusted for it): refused as well.
    expect(
      (
        await f.app.request('/kiosk/test/wartenummer', {
          method: 'POST',
          headers: { 'x-forwarded-for': OFFICE_PC, 'x-test-client': OFFICE_PC },
        })
      ).status,
    ).toBe(403);

    expect((await outsider.get('/status')).status).toBe(200);
  });

  it('a kiosk paired with the team lead’s code draws tickets; the cookie is HttpOnly, SameSite=Strict, for this kiosk only, and only its hash is stored', async () => {
    const code = await pairingCode(lead, 'Kiosk Eingang');
    const kiosk = new DeviceBrowser(f.app, OUTSIDE);
    const paired = await kiosk.post('/kiosk/test/koppeln', { code: code.replace('-', '').toLowerCase() });
    expect(paired.status).toBe(303);
    expect(paired.headers.get('location')).toBe('/kiosk/test');
    const cookie = paired.headers.getSetCookie().find((c) => c.startsWith('schalter_device='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/kiosk\/test(;|$)/);
    expect(cookie).not.toMatch(/Secure/);

    contains(await html(kiosk.get('/kiosk/test')), 'Ich habe keinen Termin');
    const walkin = await kiosk.post('/kiosk/test/wartenummer', { service: 'short' });
    expect(walkin.status).toBe(201);
    contains(await html(walkin), 'S-001');

    const rows = await f.ctx.db.selectFrom('office_device').selectAll().execute();
    expect(rows).toMatchObject([{ name: 'Kiosk Eingang', kind: 'kiosk', office_id: 'test', revoked_at: null }]);
    expect(JSON.stringify(rows)).not.toContain(kiosk.cookie!);
    expect(JSON.stringify(await f.ctx.db.selectFrom('device_pairing').selectAll().execute())).not.toContain(code.replace('-', ''));

    // The code works once; the kiosk's token is no display's.
    const second = new DeviceBrowser(f.app, OUTSIDE);
    const again = await second.post('/kiosk/test/koppeln', { code });
    expect(again.status).toBe(422);
    contains(await html(again), 'Der Kopplungscode stimmt nicht oder ist abgelaufen');
    expect(second.cookie).toBeNull();
    expect((await kiosk.get('/display/test')).status).toBe(403);

    const list = await lead.page('/staff/geraete');
    contains(list.html, 'Kiosk Eingang', 'Anmeldeterminal', 'Sperren');
  });

  it('revoking a kiosk refuses its very next request', async () => {
    const kiosk = new DeviceBrowser(f.app, OUTSIDE);
    await kiosk.post('/kiosk/test/koppeln', { code: await pairingCode(lead, 'Kiosk Seiteneingang') });
    expect((await kiosk.post('/kiosk/test/wartenummer', { service: 'short' })).status).toBe(201);
    const before = await ticketCount(f);

    const device = await f.ctx.db
      .selectFrom('office_device')
      .select('id')
      .where('name', '=', 'Kiosk Seiteneingang')
      .executeTakeFirstOrThrow();
    await lead.page('/staff/geraete');
    const revoked = await lead.post(`/staff/geraete/${device.id}/sperren`, {});
    expect(revoked.status).toBe(303);
    const after = (await lead.page(revoked.headers.get('location')!)).html;
    contains(after, 'Das Gerät ist gesperrt');
    expect(after).not.toContain('Kiosk Seiteneingang');

    expect((await kiosk.post('/kiosk/test/wartenummer', { service: 'short' })).status).toBe(403);
    expect((await kiosk.get('/kiosk/test')).status).toBe(403);
    expect(await ticketCount(f)).toBe(before);
  });

  it('a code expires after ten minutes; clerks may not pair devices', async () => {
    const code = await pairingCode(lead, 'Anzeige Wartebereich');
    f.clock.advance(10 * 60_000 + 1000);
    expect((await new DeviceBrowser(f.app, OUTSIDE).post('/display/test/koppeln', { code })).status).toBe(422);

    await addStaff(f, { email: 'schalter@stadt.example', role: 'clerk', officeIds: ['test'] });
    const clerk = new StaffBrowser(f, 'clerk');
    await clerk.post('/staff/login', { email: 'schalter@stadt.example', password: STAFF_PASSWORD });
    await clerk.page('/staff/standort');
    await clerk.post('/staff/standort', { office: 'test' });
    expect((await clerk.get('/staff/geraete')).status).toBe(403);
    expect((await clerk.post('/staff/geraete', { name: 'Heimlich' })).status).toBe(403);
    expect(await f.ctx.db.selectFrom('device_pairing').select('name').where('name', '=', 'Heimlich').execute()).toEqual([]);
  });

  it('a paired display gets the board live, and revoking it ends its open stream at once', async () => {
    const display = new DeviceBrowser(f.app, OUTSIDE);
    const paired = await display.post('/display/test/koppeln', { code: await pairingCode(lead, 'Anzeige Flur') });
    expect(paired.headers.get('location')).toBe('/display/test');
    contains(await html(display.get('/display/test')), 'aria-live="assertive"');
    const stream = await display.get('/display/test/events');
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await readUntil(reader, 'event: board');

    const device = await f.ctx.db.selectFrom('office_device').select('id').where('name', '=', 'Anzeige Flur').executeTakeFirstOrThrow();
    await lead.page('/staff/geraete');
    await lead.post(`/staff/geraete/${device.id}/sperren`, {});
    const ended = await Promise.race([
      reader.read().then((r) => r.done),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ]);
    expect(ended).toBe(true);
    expect((await display.get('/display/test/events')).status).toBe(403);
  });

  it('over https the device cookie is Secure', async () => {
    const device = new DeviceBrowser(f.app, OUTSIDE);
    const res = await device.post('https://schalter.test/kiosk/test/koppeln', { code: await pairingCode(lead, 'Kiosk TLS') });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('schalter_device='))).toMatch(/; Secure/);
  });

  it('devices on an office network need no pairing; forms from another site are refused there', async () => {
    const app = createHttpApp({
      ctx: f.ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: () => {},
      office: { networks: officeNetworks },
    });
    const before = await ticketCount(f);
    for (const address of [OFFICE_PC, '::ffff:10.20.7.9', 'fd00:20::42']) {
      const pc = new DeviceBrowser(app, address);
      expect((await pc.get('/kiosk/test')).status).toBe(200);
      expect((await pc.post('/kiosk/test/wartenummer', { service: 'short' })).status).toBe(201);
    }
    expect(await ticketCount(f)).toBe(before + 3);
    const neighbour = new DeviceBrowser(app, '10.21.0.5');
    expect((await neighbour.post('/kiosk/test/wartenummer', { service: 'short' })).status).toBe(403);
    const forged = await new DeviceBrowser(app, OFFICE_PC).post(
      '/kiosk/test/wartenummer',
      { service: 'short' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(forged.status).toBe(403);
    expect(await ticketCount(f)).toBe(before + 3);
  });
});

/** Counts the statements that read the call board (the only reader of queue_call besides the counter's replay). */
function boardReadCounter(): { plugin: KyselyPlugin; count: () => number; reset(): void } {
  let n = 0;
  return {
    plugin: {
      transformQuery(args) {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"queue_call"')) n++;
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
    count: () => n,
    reset: () => (n = 0),
  };
}

describe(`call display streams are capped per office and share one board read (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
  });
  afterAll(async () => f?.close());

  it('of 100 displays 20 are accepted, the rest told to come back later; a call is read once for all of them', async () => {
    const reads = boardReadCounter();
    // A poll far away: every read in this test is one a change caused.
    const ctx = contextWithDatabase(f.ctx, f.ctx.db.withPlugin(reads.plugin));
    const app = createHttpApp({
      ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: () => {},
      office: { networks: officeNetworks, displayConnectionsPerOffice: 20, displayPollMs: 600_000 },
    });
    const display = new DeviceBrowser(app, OFFICE_PC);

    const answers = await Promise.all(Array.from({ length: 100 }, () => display.get('/display/test/events', { 'last-event-id': '0' })));
    const open = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status !== 200);
    expect.soft(open.length).toBe(20);
    expect.soft(refused.map((r) => r.status)).toEqual(Array(80).fill(503));
    expect.soft(refused[0]?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect.soft(((await refused[0]?.json()) as { error?: { code: string } } | undefined)?.error?.code).toBe('display_limit_reached');

    const readers = open.map((r) => r.body!.getReader());
    await Promise.all(readers.map((r) => readUntil(r, 'event: board')));
    expect.soft(queueSubscriberCount('test')).toBe(1);

    reads.reset();
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00');
    f.clock.set(at('08:45'));
    await run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) });
    await Promise.all(readers.map((r) => readUntil(r, '"waiting":1')));
    await run(f, 'ticket.call_next', { counterNumber: 2 });
    await Promise.all(readers.map((r) => readUntil(r, '"counterNumber":2')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads.count()).toBe(2);

    await Promise.all(readers.map((r) => r.cancel()));
    await until(() => queueSubscriberCount('test') === 0, 'no subscriber left');
    // A display that comes back after the others left finds a place again.
    const again = await display.get('/display/test/events');
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });
});
