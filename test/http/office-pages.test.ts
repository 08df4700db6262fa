import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveQueueSettings } from '../../src/app/office-day.ts';
import { queueSubscriberCount } from '../../src/app/queue-events.ts';
import { addCounters, bookConfirmed, id, run } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains, html, postForm } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

/** Reads server-sent events until one contains `text` (or fails after a few seconds). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let seen = '';
  const deadline = Date.now() + 5000;
  while (!seen.includes(text)) {
    if (Date.now() > deadline) throw new Error(`no event with ${text}; got:\n${seen}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended; got:\n${seen}`);
    seen += decoder.decode(value);
  }
  return seen;
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`kiosk, call display and document status on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 5, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
  });
  afterAll(async () => f.close());

  it('the kiosk checks an appointment in by its reference and shows the ticket number, never a name', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00', { name: 'Erika Mustermann' });
    f.clock.set(at('08:20'));
    const early = await postForm(f.app, '/kiosk/test/anmelden', { reference: appointment.reference });
    expect(early.status).toBe(409);
    contains(await html(early), 'ab 08:30 Uhr');
    f.clock.set(at('08:45'));
    const start = await html(f.app.request('/kiosk/test'));
    contains(start, 'Ich habe einen Termin', 'Kurz', 'Lang');
    const res = await postForm(f.app, '/kiosk/test/anmelden', { reference: appointment.reference.replace('-', '').toLowerCase() });
    expect(res.status).toBe(201);
    const page = await html(res);
    contains(page, 'T-001', 'Ihr Termin: 09:00 Uhr');
    expect(page).not.toContain('Mustermann');
    const unknown = await postForm(f.app, '/kiosk/test/anmelden', { reference: 'AAA-AAA' });
    expect(unknown.status).toBe(404);
    contains(await html(unknown), 'Nicht gefunden');
    const audit = await f.ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'appointment.check_in').execute();
    expect(audit).toEqual([{ actor: 'kiosk:test', action: 'appointment.check_in' }]);
  });

  it('the kiosk gives walk-in tickets with an estimated wait until the quota is reached', async () => {
    const res = await postForm(f.app, '/kiosk/test/wartenummer?lang=en', { service: 'short' });
    expect(res.status).toBe(201);
    contains(await html(res), 'S-001', 'It is your turn shortly');
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 1, walkinMinutes: 12, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    contains(await html(f.app.request('/kiosk/test')), 'Heute werden keine Wartenummern ohne Termin mehr ausgegeben');
    expect((await postForm(f.app, '/kiosk/test/wartenummer', { service: 'short' })).status).toBe(409);
  });

  it('the display gets each call at once over SSE, and closed displays leave no subscriber behind', async () => {
    contains(await html(f.app.request('/display/test')), 'aria-live="assertive"', 'Nummer', 'Schalter');
    const streams = await Promise.all([1, 2, 3].map(() => f.app.request('/display/test/events', { headers: { 'last-event-id': '0' } })));
    expect(streams[0]!.headers.get('content-type')).toContain('text/event-stream');
    const readers = streams.map((s) => s.body!.getReader());
    await Promise.all(readers.map((r) => readUntil(r, 'event: board')));
    expect(queueSubscriberCount('test')).toBe(3);

    f.clock.set(at('09:00'));
    await run(f, 'ticket.call_next', { counterNumber: 2 });
    const update = await readUntil(readers[0]!, '"label":"T-001","counterNumber":2');
    expect(update).toMatch(/id: \d+/);

    await Promise.all(readers.map((r) => r.cancel()));
    await until(() => queueSubscriberCount('test') === 0);
    expect(queueSubscriberCount()).toBe(0);
  });

  it('/status tells whether a document is ready without showing whose it is', async () => {
    await run(f, 'document.register', { documentId: id(f), orderNumber: 'PA-2026-0815', kind: 'id_card', holderName: 'Anna Müller', email: 'anna@example.org', state: 'ready' });
    const page = await html(f.app.request('/status?nummer=pa-2026-0815'));
    contains(page, 'Ihr Dokument ist abholbereit', 'Testamt');
    expect(page).not.toMatch(/Anna|Müller|anna@/);
    expect((await f.app.request('/status?nummer=XX-0000')).status).toBe(404);
  });
});
