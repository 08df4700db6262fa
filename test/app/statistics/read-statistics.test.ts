import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotLeadTimes } from '../../../src/app/statistics/lead-times.ts';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { readBreakdown } from '../../../src/app/statistics/statistics-breakdown.ts';
import { readSideBySide } from '../../../src/app/statistics/statistics-side-by-side.ts';
import { createStaffUser } from '../../../src/app/staff/staff-accounts.ts';
import { saveQueueSettings } from '../../../src/app/shared/office-time.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { addCounters, bookConfirmed, id, run } from '../../helpers/counter.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { generateMonth, type GeneratedMonth } from '../../helpers/statistics-month.ts';
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
const berlinDay = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
/** Nearest rank, written out again here so the test does not trust the code it checks. */
const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil(p * values.length) - 1];

describe(`statistics on ${testDbKind}`, () => {
  let f: Fixture;
  let month: GeneratedMonth;
  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 4 });
    await addCounters(f, 'test', 2);
    month = await generateMonth(f.ctx.db, '2026-10');
  });
  afterAll(async () => f.close());

  it('a generated October agrees with an independent recomputation of every figure', async () => {
    const report = await refreshStatistics(f.ctx);
    expect(report.officeDays).toBeGreaterThanOrEqual(22);
    const stats = await readStatistics(f.ctx, teamlead, { officeId: 'test', from: '2026-10-01', to: '2026-10-31', period: 'day' });
    const inOctober = (ms: number) => berlinDay(ms).startsWith('2026-10');
    const a = month.appointments;
    const count = (outcome: string) => a.filter((x) => x.outcome === outcome && inOctober(x.outcomeAt)).length;
    const waits = [
      ...a.filter((x) => x.calledAt !== null).map((x) => [x.arrivedAt!, x.calledAt!]),
      ...month.walkins.map((w) => [w.arrivedAt, w.calledAt]),
    ]
      .filter(([arrived]) => inOctober(arrived!))
      .map(([arrived, called]) => Math.floor((called! - arrived!) / 60_000));
    expect(stats.total).toMatchObject({
      booked: a.filter((x) => inOctober(x.bookedAt)).length,
      served: count('served'),
      noShow: count('no_show'),
      cancelledByCitizen: count('cancelled_citizen'),
      cancelledByOffice: count('cancelled_office'),
      walkinsServed: month.walkins.filter((w) => w.served).length,
      walkinsTurnedAway: month.refusals.length,
      waitMedianMinutes: nearestRank(waits, 0.5),
      waitP90Minutes: nearestRank(waits, 0.9),
    });
    // Everyone who came, by arrival (#17 item 2): served appointments checked in, and every walk-in ticket.
    const arrivedInOctober = [...a.map((x) => x.arrivedAt), ...month.walkins.map((w) => w.arrivedAt)].filter(
      (t): t is number => t !== null && inOctober(t),
    );
    expect(stats.total.arrivals).toBe(arrivedInOctober.length);
    expect(stats.total.walkinArrivals).toBe(month.walkins.filter((w) => inOctober(w.arrivedAt)).length);
    expect(stats.byHour.reduce((s, h) => s + h.arrivals, 0)).toBe(arrivedInOctober.length);
    expect(stats.byHour.reduce((s, h) => s + h.served + h.walkinsServed, 0)).toBe(stats.total.served + stats.total.walkinsServed);
    const weekdayHour = (ms: number) => {
      const d = new Date(ms);
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        weekday: 'short',
        hour: '2-digit',
        hour12: false,
      }).formatToParts(d);
      return `${local.find((p) => p.type === 'weekday')!.value} ${Number(local.find((p) => p.type === 'hour')!.value)}`;
    };
    const mondayNine = arrivedInOctober.filter((t) => weekdayHour(t) === 'Mon 9').length;
    const cell = stats.byWeekdayHour.find((c) => c.weekday === 1 && c.hour === 9)!;
    expect(cell.arrivals).toBe(mondayNine);
    expect(cell.arrivalsPerDay).toBe(Math.round((mondayNine / cell.days) * 10) / 10);
    expect(stats.total.noShowRate).toBeCloseTo(count('no_show') / (count('served') + count('no_show')), 10);
    // The day of the change to winter time (Sunday 25 October, 25 hours) has no office hours; the Monday after is whole.
    const monday = stats.periods.find((p) => p.period === '2026-10-26')!;
    expect(monday.served).toBe(a.filter((x) => x.outcome === 'served' && berlinDay(x.outcomeAt) === '2026-10-26').length);
    expect(monday.staffedHours).toBe(0); // no capacity rows in the past in this fixture
    // Service rows split the office total.
    const short = await readStatistics(f.ctx, teamlead, {
      officeId: 'test',
      serviceId: 'short',
      from: '2026-10-01',
      to: '2026-10-31',
      period: 'week',
    });
    expect(short.total.booked).toBe(a.filter((x) => x.serviceId === 'short' && inOctober(x.bookedAt)).length);
    expect(short.periods[0]!.period).toBe('2026-09-28');
  });

  it('a second run recomputes only the days touched since, e.g. by a late branch replay', async () => {
    const before = await readStatistics(f.ctx, teamlead, { officeId: 'test', from: '2026-10-05', to: '2026-10-05', period: 'day' });
    const target = month.appointments.find((x) => x.outcome === 'cancelled_citizen')!;
    await f.ctx.db
      .insertInto('appointment_event')
      .values({
        appointment_id: target.id,
        at: new Date('2026-10-05T09:00:00+02:00'),
        actor: 'staff:x',
        action: 'booked',
        from_status: null,
        to_status: 'confirmed',
        details: null,
      })
      .execute();
    const report = await refreshStatistics(f.ctx);
    expect(report.officeDays).toBe(4); // 5 October, the day the appointment is for (#17 item 5), yesterday and today
    const after = await readStatistics(f.ctx, teamlead, { officeId: 'test', from: '2026-10-05', to: '2026-10-05', period: 'day' });
    expect(after.total.booked).toBe(before.total.booked + 1);
    const runs = await f.ctx.db.selectFrom('job_run').selectAll().where('job', '=', 'statistics.refresh').execute();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('counts what happens at the counter through the real commands, including a walk-in sent away', async () => {
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 1, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    const appointment = await bookConfirmed(f, '2026-11-25T09:00:00+01:00');
    f.clock.set(Date.parse('2026-11-25T08:50:00+01:00'));
    const { ticket } = await run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) });
    await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await expect(run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) })).rejects.toMatchObject({ code: 'walkin_quota_exhausted' });
    const { userId } = await createStaffUser(f.ctx, {
      email: 'anna@stadt.example',
      displayName: 'Anna Albers',
      role: 'clerk',
      officeIds: ['test'],
      password: 'Pferd Batterie Heftklammer',
      actor: 'test',
    });
    const clerk = { actor: `staff:${userId}` };
    f.clock.set(Date.parse('2026-11-25T09:02:00+01:00'));
    await run(f, 'ticket.call', { ticketId: ticket!.id, counterNumber: 1 }, clerk);
    f.clock.set(Date.parse('2026-11-25T09:14:00+01:00'));
    await run(f, 'ticket.served', { ticketId: ticket!.id }, clerk);
    await refreshStatistics(f.ctx);
    const stats = await readStatistics(f.ctx, teamlead, { officeId: 'test', from: '2026-11-25', to: '2026-11-25', period: 'day' });
    expect(stats.total).toMatchObject({ served: 1, walkinsTurnedAway: 1, waitMedianMinutes: 12, processingMedianMinutes: 12 });
    expect(stats.total.utilisation).toBeGreaterThan(0);
    // Two came at 8 (the check-in and the walk-in, never called); the appointment was served at 9.
    expect(stats.byHour).toEqual([
      { hour: 8, waits: 1, waitMedianMinutes: 12, waitP90Minutes: 12, arrivals: 2, walkinArrivals: 1, served: 0, walkinsServed: 0 },
      { hour: 9, waits: 0, waitMedianMinutes: null, waitP90Minutes: null, arrivals: 0, walkinArrivals: 0, served: 1, walkinsServed: 0 },
    ]);
    // Service level (#17 item 4): the booked person was called 2 minutes after the appointment time,
    // the walk-in never: one of two arrivals within 15 (and 30) minutes.
    expect(stats.total).toMatchObject({ serviceLevel15: 0.5, serviceLevel30: 0.5 });
    expect(stats.trend.map((w) => [w.week, w.from, w.to, w.arrivals, w.serviceLevel15])).toEqual([
      ['current', '2026-11-23', '2026-11-25', 2, 0.5],
      ['previous', '2026-11-16', '2026-11-18', 0, null],
      ['lastYear', '2025-11-24', '2025-11-26', 0, null],
    ]);
    expect(stats.byWeekdayHour.map((c) => [c.weekday, c.hour, c.days, c.arrivalsPerDay, c.servedPerDay])).toEqual([
      [3, 8, 1, 2, 0],
      [3, 9, 1, 0, 1],
    ]);
    // Per counter and per clerk (#17 item 3): the clerk comes from the audit log's actor; one ticket
    // is below the minimum group size, so Anna Albers is counted as withheld, not shown.
    const day = { officeId: 'test', from: '2026-11-25', to: '2026-11-25' };
    const counter = [{ name: '1', served: 1, noShowsCalled: 0, handlingMedianMinutes: 12, handlingMeanMinutes: 12 }];
    const withAgreement = { ...f.ctx, settings: { ...f.ctx.settings, clerkFigures: true } };
    expect(await readBreakdown(withAgreement, teamlead, day)).toEqual({
      perCounter: counter,
      clerkFigures: true,
      perClerk: [],
      clerksWithheld: 1,
      minTicketsPerClerk: 20,
    });
    // Side by side (#17 item 3): this office (the only one the team lead sees) and the total agree.
    const side = await readSideBySide(f.ctx, teamlead, { ...day, lang: 'de' });
    const office = { arrivals: 2, served: 1, walkinsServed: 0, noShow: 0, noShowRate: 0, waitMedianMinutes: 12, serviceLevel15: 0.5 };
    expect(side.perOffice).toEqual([expect.objectContaining({ id: 'test', ...office, processingMedianMinutes: 12 })]);
    expect(side.total).toMatchObject({ id: '*', name: 'Gesamt', ...office });
    expect(side.perService.reduce((sum, s) => sum + s.arrivals, 0)).toBe(2);
    // Without SCHALTER_CLERK_FIGURES=on (the default) nothing per person is even computed.
    expect(await readBreakdown(f.ctx, teamlead, day)).toMatchObject({ perCounter: counter, clerkFigures: false, clerksWithheld: 0 });
    await expect(
      readBreakdown(f.ctx, { ...teamlead, role: 'clerk' }, { officeId: 'test', from: '2026-11-25', to: '2026-11-25' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('counts the walk-in counters of the staffing plan as staffed time', async () => {
    const today = { officeId: 'test', from: '2026-11-25', to: '2026-11-25', period: 'day' } as const;
    const before = await readStatistics(f.ctx, teamlead, today);
    // Wednesday 08:00–12:00 gains one walk-in counter: 4 more staffed hours, the same serving time.
    await f.ctx.db
      .updateTable('staffing_rule')
      .set({ walkin_counters: 1 })
      .where('office_id', '=', 'test')
      .where('weekday', '=', 3)
      .execute();
    try {
      await refreshStatistics(f.ctx);
      const after = await readStatistics(f.ctx, teamlead, today);
      expect(after.periods[0]!.staffedHours).toBeCloseTo(before.periods[0]!.staffedHours + 4, 5);
      expect(after.total.utilisation!).toBeCloseTo(
        (before.total.utilisation! * before.periods[0]!.staffedHours) / after.periods[0]!.staffedHours,
        5,
      );
    } finally {
      await f.ctx.db
        .updateTable('staffing_rule')
        .set({ walkin_counters: 0 })
        .where('office_id', '=', 'test')
        .where('weekday', '=', 3)
        .execute();
      await refreshStatistics(f.ctx);
    }
  });

  it('measures the lead time per service and keeps a daily snapshot', async () => {
    await snapshotLeadTimes(f.ctx);
    const rows = await f.ctx.db.selectFrom('lead_time_snapshot').selectAll().orderBy('service_id').execute();
    expect(rows.map((r) => [r.service_id, r.lead_days])).toEqual([
      ['long', 0],
      ['short', 0],
    ]);
    const stats = await readStatistics(f.ctx, teamlead, {
      officeId: 'test',
      from: '2026-11-25',
      to: '2026-11-25',
      period: 'day',
      targetDays: 14,
    });
    expect(stats.leadTimeHistory).toHaveLength(2);
    expect(stats.planning.map((p) => p.serviceId)).toEqual(['long', 'short']);
    expect(stats.planning[0]!.forecast).toHaveLength(4);
  });

  it('shows statistics to team leads of the office only', async () => {
    const clerk: Principal = { ...teamlead, role: 'clerk' };
    const other: Principal = { ...teamlead, officeIds: ['nord'], municipalityId: null, personalData: true };
    const q = { officeId: 'test', from: '2026-10-01', to: '2026-10-31', period: 'day' } as const;
    await expect(readStatistics(f.ctx, clerk, q)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readStatistics(f.ctx, other, q)).rejects.toMatchObject({ code: 'not_found' });
  });
});
