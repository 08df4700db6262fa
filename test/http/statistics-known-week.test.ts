import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepNoShows } from '../../src/app/appointments/sweep-no-shows.ts';
import { cancelAppointment } from '../../src/app/appointments/manage-appointment.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { refreshStatistics } from '../../src/app/statistics/refresh-statistics.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { addCounters, id, run } from '../helpers/counter.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #17, "done when": a known week driven through the real commands — bookings, check-ins,
// calls at known times, no-shows of both kinds, walk-ins served and refused, searches that found
// nothing — and every figure in the JSON API, the CSV and the staff page equals the value worked
// out by hand below (Berlin time, office 08:00–12:00 with two counters, walk-in quota 1).
//
// Monday 30 November, 07:30: six bookings by phone — A1 Kurz 08:00, A2 Kurz 08:10, A3 Lang 08:30,
// A4 Kurz 09:00 (cancelled by the citizen at 07:40), B1 Kurz Tue 08:00, B2 Lang Tue 08:20.
//   08:00 A1 checks in        08:03 A1 called (wait 3, 3 after its time)   08:13 served (10 min)
//   08:05 walk-in W1          08:19 W1 called (wait 14)                    08:29 served (10 min)
//   08:08 A2 checks in        08:14 A2 called (wait 6, 4 after its time)   08:16 no-show at the counter
//   08:40 a second walk-in: turned away (quota 1)
//   A3 never comes: at 08:45 its check-in window closes, the 09:00 sweep marks it no-show
//   07:45 two searches for Sunday find nothing (one for Kurz, one for Kurz and Lang)
// Tuesday 1 December:
//   07:58 B1 checks in        08:10 B1 called (wait 12, 10 after its time) 08:25 served (15 min)
//   08:15 B2 checks in        08:45 B2 called (wait 30, 25 after its time) 09:05 served (20 min)
//
// Week (Mon–Tue have facts): 6 booked; 5 due, 1 cancelled (by the citizen); served 3 (A1, B1, B2);
// no-shows 2 (A2 at the counter, A3 swept) → rate 2/5 = 40 %; walk-ins 1 served, 1 turned away;
// arrivals 5 (T-A1, W1, T-A2, T-B1, T-B2), 1 of them a walk-in; called within 15 min: A1, W1, A2,
// B1 = 4/5 = 80 %, within 30: 5/5 = 100 %; waits 3, 6, 12, 14, 30 → median 12, 90 % 30;
// handling 10, 10, 15, 20 → median 10, mean 13.75 → 13.8; searches without result: Kurz 2, Lang 1.
// Utilisation: 55 min of serving in 2 × 4 h × 2 counters = 960 min staffed = 5.729 %.

const at = (iso: string) => Date.parse(iso);

describe(`a known week in the statistics on ${testDbKind}`, () => {
  let f: Fixture;
  let lead: string;
  beforeAll(async () => {
    f = await createFixture({ counters: 2, now: at('2026-11-30T07:30:00+01:00') });
    await addCounters(f, 'test', 2);
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 1, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });

    const book = async (start: string, serviceId: string) =>
      bookAppointment(f.ctx, {
        officeId: 'test',
        start: at(start),
        services: [{ serviceId, persons: 1 }],
        citizen: { name: 'Erika Mustermann', phone: '0201 123456' },
        language: 'de',
        channel: 'phone',
        source: 'phone',
        actor: 'test',
      });
    const a1 = await book('2026-11-30T08:00:00+01:00', 'short');
    const a2 = await book('2026-11-30T08:10:00+01:00', 'short');
    await book('2026-11-30T08:30:00+01:00', 'long');
    const a4 = await book('2026-11-30T09:00:00+01:00', 'short');
    const b1 = await book('2026-12-01T08:00:00+01:00', 'short');
    const b2 = await book('2026-12-01T08:20:00+01:00', 'long');
    const clock = (iso: string) => f.clock.set(at(iso));

    clock('2026-11-30T07:40:00+01:00');
    await cancelAppointment(f.ctx, a4.manageToken);
    clock('2026-11-30T07:45:00+01:00');
    await f.app.request('/api/v1/availability?services=short&office=test&from=2026-12-06&to=2026-12-06');
    await f.app.request('/api/v1/availability?services=short,long&office=test&from=2026-12-06&to=2026-12-06');

    clock('2026-11-30T08:00:00+01:00');
    const t1 = (await run(f, 'appointment.check_in', { reference: a1.appointment.reference, ticketId: id(f) })).ticket!;
    clock('2026-11-30T08:03:00+01:00');
    await run(f, 'ticket.call', { ticketId: t1.id, counterNumber: 1 });
    clock('2026-11-30T08:05:00+01:00');
    const w1 = (await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) })).ticket!;
    clock('2026-11-30T08:08:00+01:00');
    const t2 = (await run(f, 'appointment.check_in', { reference: a2.appointment.reference, ticketId: id(f) })).ticket!;
    clock('2026-11-30T08:13:00+01:00');
    await run(f, 'ticket.served', { ticketId: t1.id });
    clock('2026-11-30T08:14:00+01:00');
    await run(f, 'ticket.call', { ticketId: t2.id, counterNumber: 1 });
    clock('2026-11-30T08:16:00+01:00');
    await run(f, 'ticket.no_show', { ticketId: t2.id });
    clock('2026-11-30T08:19:00+01:00');
    await run(f, 'ticket.call', { ticketId: w1.id, counterNumber: 2 });
    clock('2026-11-30T08:29:00+01:00');
    await run(f, 'ticket.served', { ticketId: w1.id });
    clock('2026-11-30T08:40:00+01:00');
    await expect(run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) })).rejects.toMatchObject({ code: 'walkin_quota_exhausted' });
    clock('2026-11-30T09:00:00+01:00');
    expect(await sweepNoShows(f.ctx)).toEqual({ marked: 1 });

    clock('2026-12-01T07:58:00+01:00');
    const t3 = (await run(f, 'appointment.check_in', { reference: b1.appointment.reference, ticketId: id(f) })).ticket!;
    clock('2026-12-01T08:10:00+01:00');
    await run(f, 'ticket.call', { ticketId: t3.id, counterNumber: 1 });
    clock('2026-12-01T08:15:00+01:00');
    const t4 = (await run(f, 'appointment.check_in', { reference: b2.appointment.reference, ticketId: id(f) })).ticket!;
    clock('2026-12-01T08:25:00+01:00');
    await run(f, 'ticket.served', { ticketId: t3.id });
    clock('2026-12-01T08:45:00+01:00');
    await run(f, 'ticket.call', { ticketId: t4.id, counterNumber: 2 });
    clock('2026-12-01T09:05:00+01:00');
    await run(f, 'ticket.served', { ticketId: t4.id });
    clock('2026-12-01T12:30:00+01:00');
    await refreshStatistics(f.ctx);
  });
  afterAll(async () => f?.close());

  const week = 'from=2026-11-30&to=2026-12-04';

  it('the JSON API', async () => {
    const body = await json(f.app.request(`/api/v1/statistics/offices/test?${week}`, { headers: bearer(lead) }));
    expect(body.total).toEqual({
      booked: 6,
      appointmentsDue: 5,
      appointmentsCancelled: 1,
      served: 3,
      noShow: 2,
      noShowRate: 0.4,
      cancelledByCitizen: 1,
      cancelledByOffice: 0,
      walkinsServed: 1,
      walkinsTurnedAway: 1,
      arrivals: 5,
      walkinArrivals: 1,
      serviceLevel15: 0.8,
      serviceLevel30: 1,
      waitMedianMinutes: 12,
      waitP90Minutes: 30,
      processingMedianMinutes: 10,
      processingMeanMinutes: 13.8,
      utilisation: expect.closeTo(55 / 960, 10),
    });
    const [monday, tuesday] = body.periods;
    expect(monday).toMatchObject({
      period: '2026-11-30',
      staffedHours: 8,
      booked: 6,
      appointmentsDue: 3,
      appointmentsCancelled: 1,
      served: 1,
      noShow: 2,
      walkinsServed: 1,
      walkinsTurnedAway: 1,
      arrivals: 3,
      waitMedianMinutes: 6,
    });
    expect(tuesday).toMatchObject({
      period: '2026-12-01',
      staffedHours: 8,
      booked: 0,
      appointmentsDue: 2,
      served: 2,
      noShow: 0,
      arrivals: 2,
    });
    // Arrivals by the hour they came: B1 at 07:58, the other four at 08.
    expect(body.byHour.map((h: { hour: number; arrivals: number; served: number }) => [h.hour, h.arrivals, h.served])).toEqual([
      [7, 1, 0],
      [8, 4, 2],
      [9, 0, 1],
    ]);
    expect(body.demand.searchMisses).toEqual([
      { day: '2026-11-30', serviceId: 'long', misses: 1 },
      { day: '2026-11-30', serviceId: 'short', misses: 2 },
    ]);
  });

  it('the CSV', async () => {
    const res = await f.app.request(`/api/v1/statistics/offices/test/export.csv?${week}`, { headers: bearer(lead) });
    const [head, ...rows] = (await res.text()).replace('\uFEFF', '').trimEnd().split('\r\n');
    const columns = head!.split(';');
    const cell = (row: string, name: string) => row.split(';')[columns.indexOf(name)];
    const monday = rows.find((r) => r.startsWith('2026-11-30'))!;
    const expected: Record<string, string> = {
      'Buchungen eingegangen': '6',
      Bedient: '1',
      'Nicht erschienen': '2',
      'Quote nicht erschienen': '0,667',
      'Abgesagt Bürger': '1',
      'Spontan bedient': '1',
      'Spontan abgewiesen': '1',
      'Wartezeit Median (Min.)': '6',
      'Bearbeitung Median (Min.)': '10',
      Schalterstunden: '8',
      'Suchen ohne Treffer': '3',
      'Termine an den Tagen': '3',
      'Termine abgesagt': '1',
      'Ankünfte vor Ort': '3',
      'Ankünfte spontan': '1',
      'Aufgerufen binnen 15 Min.': '1',
      'Aufgerufen binnen 30 Min.': '1',
    };
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, cell(monday, name)]))).toEqual(expected);
    const tuesday = rows.find((r) => r.startsWith('2026-12-01'))!;
    expect([cell(tuesday, 'Bedient'), cell(tuesday, 'Wartezeit Median (Min.)'), cell(tuesday, 'Aufgerufen binnen 15 Min.')]).toEqual([
      '2',
      '12',
      '0,5',
    ]);
  });

  it('the staff page', async () => {
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    await b.post('/staff/login', { email, password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.post('/staff/standort', { office: 'test' });
    const { status, html } = await b.page('/staff/statistics?von=2026-11-30&bis=2026-12-04');
    expect(status).toBe(200);
    const figures = Object.fromEntries([...html.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]));
    expect(figures).toEqual({
      'Buchungen eingegangen': '6',
      'Termine an den Tagen': '5',
      'Termine abgesagt': '1',
      Bedient: '3',
      'Nicht erschienen': '2',
      'Quote nicht erschienen': '40,0\u00a0%',
      'Abgesagt von Bürgerinnen und Bürgern': '1',
      'Abgesagt vom Amt': '0',
      'Spontankunden bedient': '1',
      'Spontankunden abgewiesen': '1',
      'Ankünfte vor Ort': '5',
      'davon Spontankunden': '1',
      'Aufgerufen binnen 15 Min.': '80,0\u00a0%',
      'Aufgerufen binnen 30 Min.': '100,0\u00a0%',
      'Wartezeit vor Ort (Median)': '12 Min.',
      'Wartezeit vor Ort (90\u00a0%)': '30 Min.',
      'Bearbeitungszeit (Median)': '10 Min.',
      'Auslastung der Schalter': '5,7\u00a0%',
    });
  });
});
