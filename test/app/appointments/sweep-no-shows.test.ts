import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepNoShows } from '../../../src/app/appointments/sweep-no-shows.ts';
import { leaseShareFor } from '../../../src/app/booking/branch-lease.ts';
import { saveQueueSettings } from '../../../src/app/shared/office-time.ts';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import { expectedLeaseShare } from '../../../src/domain/branch-lease.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { addCounters, bookConfirmed, id, run } from '../../helpers/counter.ts';
import { createFixture, json, type Fixture } from '../../helpers/fixture.ts';
import { addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../../helpers/staff.ts';
import { totpCodeAt } from '../../../src/app/staff/staff-secrets.ts';
import { StaffBrowser } from '../../helpers/staff-browser.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const teamlead: Principal = {
  kind: 'user',
  id: 'lead',
  label: 'lead@test',
  role: 'teamlead',
  officeIds: ['test'],
  municipalityId: null,
  personalData: true,
};
const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);
const day = { officeId: 'test', from: '2026-11-25', to: '2026-11-25', period: 'day' } as const;

// Issue #17, item 1: 13 appointments on Wednesday 25 November; 9 served, 2 marked no-show at the
// counter, 2 never came. Before the sweep the figures said 2 and 18.2 %, the truth is 4 and 30.8 %.
describe(`no-show sweep on ${testDbKind}`, () => {
  let f: Fixture;
  let neverCame: { id: string; reference: string }[];
  let counterNoShow: string;
  let statusOf: (appointmentId: string) => Promise<string>;
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: null, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    statusOf = async (appointmentId) =>
      (await f.ctx.db.selectFrom('appointment').select('status').where('id', '=', appointmentId).executeTakeFirstOrThrow()).status;
    const starts = Array.from({ length: 13 }, (_, i) => at('09:00') + i * 10 * 60_000);
    const booked = [];
    for (const start of starts) booked.push(await bookConfirmed(f, new Date(start).toISOString()));
    for (const [i, a] of booked.slice(0, 11).entries()) {
      const start = starts[i]!;
      f.clock.set(start - 5 * 60_000);
      const { ticket } = await run(f, 'appointment.check_in', { reference: a.reference, ticketId: id(f) });
      if (i < 9) {
        f.clock.set(start);
        await run(f, 'ticket.call', { ticketId: ticket!.id, counterNumber: 1 });
        f.clock.set(start + 8 * 60_000);
        await run(f, 'ticket.served', { ticketId: ticket!.id });
      } else {
        f.clock.set(start + 6 * 60_000);
        await run(f, 'ticket.no_show', { ticketId: ticket!.id });
      }
    }
    // 10:50 and 11:00: nobody came.
    neverCame = booked.slice(11).map((a) => ({ id: a.id, reference: a.reference }));
    counterNoShow = booked[9]!.id;
  });
  afterAll(async () => f.close());

  it('marks nobody before the check-in window has closed', async () => {
    f.clock.set(at('11:04') + 59_000);
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 0 });
    expect(await statusOf(neverCame[0]!.id)).toBe('confirmed');
  });

  it('marks an appointment nobody checked in for once its window closes, dated at the close, as system', async () => {
    f.clock.set(at('11:05'));
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 1 });
    expect(await statusOf(neverCame[0]!.id)).toBe('no_show');
    expect(await statusOf(neverCame[1]!.id)).toBe('confirmed');
    f.clock.set(at('11:40'));
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 1 });
    const events = await f.ctx.db
      .selectFrom('appointment_event')
      .select(['appointment_id', 'at', 'actor', 'action', 'from_status', 'to_status'])
      .where(
        'appointment_id',
        'in',
        neverCame.map((a) => a.id),
      )
      .where('action', '=', 'no_show')
      .orderBy('at')
      .execute();
    // The second ran late (11:40); its event still says when its window closed (11:15).
    expect(events.map((e) => [e.at.getTime(), e.actor, e.from_status, e.to_status])).toEqual([
      [at('11:05'), 'system', 'confirmed', 'no_show'],
      [at('11:15'), 'system', 'confirmed', 'no_show'],
    ]);
  });

  it('changes nothing when it runs again', async () => {
    f.clock.set(at('12:30'));
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 0 });
    const count = await f.ctx.db
      .selectFrom('appointment_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'no_show')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });

  it('counts both kinds of no-show: 4 and 30.8 % instead of 2 and 18.2 %', async () => {
    await refreshStatistics(f.ctx);
    const stats = await readStatistics(f.ctx, teamlead, day);
    expect(stats.total).toMatchObject({ served: 9, noShow: 4 });
    expect(stats.total.noShowRate).toBeCloseTo(4 / 13, 10);
    expect(Math.round(stats.total.noShowRate! * 1000) / 10).toBe(30.8);
    // The JSON API and the team lead's page say the same.
    const token = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
    const api = await json(f.app.request('/api/v1/statistics/offices/test?from=2026-11-25&to=2026-11-25', { headers: bearer(token) }));
    expect(api.total).toMatchObject({ served: 9, noShow: 4 });
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    await b.post('/staff/login', { email, password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    const page = await b.page('/staff/statistics?von=2026-11-25&bis=2026-11-25');
    expect(page.html).toContain('30,8\u00a0%');
    expect(page.html).not.toContain('18,2\u00a0%');
  });

  it('the branch lease share counts them too', async () => {
    expect(await leaseShareFor(f.ctx.db, 'test', at('12:30'), 'auto')).toBe(
      expectedLeaseShare({ decided: 13, noShows: 4, tickets: 11, walkins: 0 }),
    );
  });

  it('the day plan shows them as „nicht erschienen“, and a clerk takes one back for a late arrival, who then checks in', async () => {
    await addStaff(f, { email: 'clerk@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    f.clock.set(at('11:45'));
    expect((await b.post('/staff/login', { email: 'clerk@stadt.example', password: STAFF_PASSWORD })).status).toBe(303);
    const plan = await b.page('/staff/tagesplan?datum=2026-11-25');
    expect(plan.html).toContain('4 nicht erschienen');
    expect(plan.html.match(/<td>nicht erschienen<\/td>/g)).toHaveLength(4);

    const late = neverCame[1]!;
    // Too late for the window: the kiosk and the counter refuse the check-in until a clerk allows it.
    await expect(run(f, 'appointment.check_in', { reference: late.reference, ticketId: id(f) })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    const detail = await b.page(`/staff/termine/${late.id}`);
    expect(detail.html).toContain('Doch erschienen – Anmeldung wieder zulassen');
    expect(detail.html).toContain('automatisch als nicht erschienen vermerkt');
    const res = await b.post(`/staff/termine/${late.id}/doch-erschienen`, {});
    expect(res.status).toBe(303);
    expect((await b.page(`/staff/termine/${late.id}?ok=erschienen`)).html).toContain('Der Termin ist wieder bestätigt.');
    expect(await statusOf(late.id)).toBe('confirmed');
    expect((await b.page(`/staff/termine/${late.id}`)).html).toContain('doch erschienen, wieder bestätigt von Sachbearbeitung');
    expect((await auditRows(f, 'appointment.no_show_revert')).map((r) => r.entity_id)).toEqual([late.id]);

    f.clock.set(at('11:46'));
    const { ticket } = await run(f, 'appointment.check_in', { reference: late.reference, ticketId: id(f) });
    expect(ticket!.label).toMatch(/^T-/);
    expect(await statusOf(late.id)).toBe('checked_in');
    await run(f, 'ticket.call', { ticketId: ticket!.id, counterNumber: 1 });
    await run(f, 'ticket.served', { ticketId: ticket!.id });
    f.clock.set(at('11:50'));
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 0 });

    // A no-show marked at the counter belongs to its ticket: not taken back here.
    expect((await b.page(`/staff/termine/${counterNoShow}`)).html).not.toContain('Doch erschienen');
    expect((await b.post(`/staff/termine/${counterNoShow}/doch-erschienen`, {})).status).toBe(409);
    expect(await statusOf(counterNoShow)).toBe('no_show');
  });

  it('a check-in made while the window was open (a branch replaying it late) wins over the sweep', async () => {
    const early = neverCame[0]!;
    expect(await statusOf(early.id)).toBe('no_show');
    f.clock.set(at('11:00'));
    await run(f, 'appointment.check_in', { reference: early.reference, ticketId: id(f) });
    expect(await statusOf(early.id)).toBe('checked_in');
  });

  it('the statistics take the reverted no-shows back', async () => {
    f.clock.set(at('12:30'));
    await refreshStatistics(f.ctx);
    const stats = await readStatistics(f.ctx, teamlead, day);
    expect(stats.total).toMatchObject({ served: 10, noShow: 2 });
    expect(stats.total.noShowRate).toBeCloseTo(2 / 12, 10);
  });
});
