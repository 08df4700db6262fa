import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { queueSubscriberCount } from '../../src/app/counter/queue-events.ts';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { addCounters, bookConfirmed, id, run } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { DeviceBrowser, readUntil, until } from '../helpers/office-device.ts';
import { contains, html } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe(`kiosk, call display and document status on ${testDbKind}`, () => {
  let f: Fixture;
  // The kiosk and the display on the office network (pairing: office-devices.test.ts).
  let pc: DeviceBrowser;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    const office = { networks: loadConfig({ SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16' }).officeNetworks };
    pc = new DeviceBrowser(
      createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, office }),
      '10.20.0.5',
    );
  });
  afterAll(async () => f.close());

  it('the kiosk checks an appointment in by its reference and shows the ticket number, never a name', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00', { name: 'Erika Mustermann' });
    f.clock.set(at('08:20'));
    const early = await pc.post('/kiosk/test/anmelden', { reference: appointment.reference });
    expect(early.status).toBe(409);
    contains(await html(early), 'ab 08:30 Uhr');
    f.clock.set(at('08:45'));
    const start = await html(pc.get('/kiosk/test'));
    contains(start, 'Ich habe einen Termin', 'Kurz', 'Lang');
    const res = await pc.post('/kiosk/test/anmelden', { reference: appointment.reference.replace('-', '').toLowerCase() });
    expect(res.status).toBe(201);
    const page = await html(res);
    contains(page, 'T-001', 'Ihr Termin: 09:00 Uhr');
    expect(page).not.toContain('Mustermann');
    const unknown = await pc.post('/kiosk/test/anmelden', { reference: 'AAA-AAA' });
    expect(unknown.status).toBe(404);
    // #22: the kiosk says what to do next and keeps what was typed.
    contains(await html(unknown), 'Bitte vergleichen Sie die Nummer mit Ihrer Terminbestätigung', 'value="AAA-AAA"');
    const audit = await f.ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'appointment.check_in').execute();
    expect(audit).toEqual([{ actor: 'kiosk:test', action: 'appointment.check_in' }]);
  });

  it('the kiosk gives walk-in tickets with an estimated wait until the quota is reached', async () => {
    const res = await pc.post('/kiosk/test/wartenummer?lang=en', { service: 'short' });
    expect(res.status).toBe(201);
    contains(await html(res), 'S-001', 'It is your turn shortly');
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 1, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    contains(await html(pc.get('/kiosk/test')), 'Heute werden keine Wartenummern ohne Termin mehr ausgegeben');
    expect((await pc.post('/kiosk/test/wartenummer', { service: 'short' })).status).toBe(409);
  });

  it('the display gets each call at once over SSE, three displays share one subscription, and closed displays leave none behind', async () => {
    contains(await html(pc.get('/display/test')), 'aria-live="assertive"', 'Nummer', 'Schalter');
    // The script updates the line with a text per count (#22 item 4): „1 Person wartet“, not „1 Personen warten“, and „Niemand wartet“, not „0 Personen warten“.
    const texts = JSON.parse(
      /<script type="application\/json" id="display-texts">([^<]*)<\/script>/.exec(await html(pc.get('/display/test')))![1]!,
    );
    expect(texts.waiting).toEqual({ zero: 'Niemand wartet', one: '1 Person wartet', other: '{n} Personen warten' });
    expect(texts.walkinWait).toEqual({
      zero: 'Wartezeit ohne Termin: weniger als 1 Minute',
      one: 'Wartezeit ohne Termin: etwa 1 Minute',
      other: 'Wartezeit ohne Termin: etwa {m} Minuten',
    });
    const streams = await Promise.all([1, 2, 3].map(() => pc.get('/display/test/events', { 'last-event-id': '0' })));
    expect(streams[0]!.headers.get('content-type')).toContain('text/event-stream');
    const readers = streams.map((s) => s.body!.getReader());
    await Promise.all(readers.map((r) => readUntil(r, 'event: board')));
    expect(queueSubscriberCount('test')).toBe(1);

    f.clock.set(at('09:00'));
    await run(f, 'ticket.call_next', { counterNumber: 2 });
    const update = await readUntil(readers[0]!, '"label":"T-001","counterNumber":2');
    expect(update).toMatch(/id: \d+/);

    await Promise.all(readers.map((r) => r.cancel()));
    await until(() => queueSubscriberCount('test') === 0);
    expect(queueSubscriberCount()).toBe(0);
  });

  it('/status tells whether a document is ready without showing whose it is', async () => {
    await run(f, 'document.register', {
      documentId: id(f),
      orderNumber: 'PA-2026-0815',
      kind: 'id_card',
      holderName: 'Anna Müller',
      email: 'anna@example.org',
      state: 'ready',
    });
    const page = await html(f.app.request('/status?nummer=pa-2026-0815'));
    contains(page, 'Ihr Dokument ist abholbereit', 'Testamt');
    expect(page).not.toMatch(/Anna|Müller|anna@/);
    expect((await f.app.request('/status?nummer=XX-0000')).status).toBe(404);
  });

  it('/status is a citizen page: Leichte Sprache, Gebärdensprache and the legal footer, the language switch keeps the number', async () => {
    const page = await html(f.app.request('/status?nummer=pa-2026-0815'));
    contains(
      page,
      'href="/leichte-sprache"',
      'href="/gebaerdensprache"',
      'href="/barrierefreiheit"',
      'href="/status?nummer=pa-2026-0815&amp;lang=en"',
    );
  });

  it('/status promises a notice only where the document has an email or mobile number (#24 item 6)', async () => {
    await run(f, 'document.register', { documentId: id(f), orderNumber: 'PA-2026-0816', kind: 'id_card', holderName: 'Ben Ohnekontakt' });
    await run(f, 'document.register', {
      documentId: id(f),
      orderNumber: 'PA-2026-0817',
      kind: 'id_card',
      holderName: 'Cem Mitkontakt',
      email: 'cem@example.org',
    });
    const silent = await html(f.app.request('/status?nummer=pa-2026-0816'));
    contains(silent, 'Ihr Dokument wird noch hergestellt. Bitte sehen Sie in einigen Tagen hier wieder nach.');
    expect(silent).not.toContain('Wir benachrichtigen Sie');
    contains(await html(f.app.request('/status?nummer=pa-2026-0817')), 'Wir benachrichtigen Sie, sobald es abholbereit ist.');
    contains(
      await html(f.app.request('/status?nummer=pa-2026-0816&lang=en', { headers: { 'accept-language': 'en' } })),
      'Please check here again in a few days.',
    );
    // The JSON API's DocumentStatus keeps its fields: whether contact data exists is not part of it.
    const api = (await (await f.app.request('/api/v1/documents/pa-2026-0816/status')).json()) as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['kind', 'office', 'orderNumber', 'readySince', 'state']);
  });
});
