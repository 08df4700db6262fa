import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { addCounters, bookConfirmed, id, run } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe(`counter and pickup pages on ${testDbKind}`, () => {
  let f: Fixture;
  let clerk: StaffBrowser;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addOfficeNord(f);
    await addCounters(f, 'test', 2);
    await addCounters(f, 'nord', 1);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 10, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    await addStaff(f, { email: 'schalter@stadt.example', role: 'clerk', officeIds: ['test'] });
    clerk = new StaffBrowser(f);
    expect((await clerk.post('/staff/login', { email: 'schalter@stadt.example', password: STAFF_PASSWORD })).status).toBe(303);
  });
  afterAll(async () => f.close());

  it('a clerk opens counter 2, checks in, calls the next ticket with one key, serves it', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00', { name: 'Erika Mustermann' });
    f.clock.set(at('08:50'));
    const choose = await clerk.page('/staff/schalter');
    contains(choose.html, 'Schalter 1', 'Schalter 2');
    const open = await clerk.post('/staff/schalter/2/oeffnen', {});
    expect(open.headers.get('location')).toBe('/staff/schalter/2');
    const checkIn = await clerk.post('/staff/schalter/2/anmelden', { reference: appointment.reference });
    expect(checkIn.headers.get('location')).toBe('/staff/schalter/2?ok=angemeldet&nr=T-001');
    const page = await clerk.page('/staff/schalter/2?ok=angemeldet&nr=T-001');
    contains(page.html, 'Angemeldet: Wartenummer T-001', 'data-key="n"', 'accesskey="n"', 'Tastenkürzel', 'Nächste Nummer aufrufen');
    expect((await clerk.post('/staff/schalter/2/naechste', {})).status).toBe(303);
    const called = await clerk.page('/staff/schalter/2');
    contains(called.html, 'T-001', 'Erika Mustermann', appointment.reference, 'data-key="f"');
    // Showing the called person's name is a read of personal data: audited, with the clerk and the ticket.
    const reads = await f.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'office_id', 'details'])
      .where('action', '=', 'appointment.read')
      .execute();
    expect(reads).toEqual([
      { actor: expect.stringMatching(/^staff:/), entity_id: appointment.id, office_id: 'test', details: { ticket: 'T-001', counter: 2 } },
    ]);
    const ticketId = /name="ticket" value="([0-9a-f-]{36})"/.exec(called.html)![1]!;
    expect((await clerk.post('/staff/schalter/2/erledigt', { ticket: ticketId })).status).toBe(303);
    contains((await clerk.page('/staff/schalter/2')).html, 'Keine Nummer aufgerufen');
    const status = await f.ctx.db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(status.status).toBe('served');
  });

  it('shows an error on the page when the counter is still busy, and nothing of another office', async () => {
    await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await clerk.page('/staff/schalter/1');
    await clerk.post('/staff/schalter/1/naechste', {});
    const busy = await clerk.post('/staff/schalter/1/naechste', {});
    expect(busy.status).toBe(409);
    contains(await busy.text(), 'noch eine Nummer aufgerufen');
    const nordTicket = await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) }, { officeId: 'nord' }).catch(() => null);
    expect(nordTicket).toBeNull(); // Nord derives a quota of 0 from its plan without walk-in counters
    expect((await clerk.get('/staff/schalter/9')).status).toBe(404);
  });

  it('hands a ready ID card to an authorised person and records the name', async () => {
    await clerk.page('/staff/abholung');
    expect(
      (
        await clerk.post('/staff/abholung/erfassen', {
          orderNumber: 'PA-2026-0042',
          holderName: 'Anna Müller',
          kind: 'id_card',
          email: 'anna@example.org',
          ready: 'on',
        })
      ).status,
    ).toBe(303);
    const list = await clerk.page('/staff/abholung');
    contains(list.html, 'PA-2026-0042', 'Anna Müller', 'abholbereit');
    const res = await clerk.post('/staff/abholung/PA-2026-0042/aushaendigen', { recipient: 'authorised', authorisedName: 'Karl Müller' });
    expect(res.status).toBe(303);
    const after = await clerk.page(res.headers.get('location')!);
    contains(after.html, 'PA-2026-0042 wurde ausgehändigt', 'Karl Müller');
    const events = await f.ctx.db.selectFrom('document_event').select(['action', 'details']).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['registered', 'handed_out']);
    expect(events[1]!.details).toEqual({ recipient: 'authorised', authorisedName: 'Karl Müller' });
  });
});
