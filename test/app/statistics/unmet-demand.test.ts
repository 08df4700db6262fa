import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { recordSearchMiss } from '../../../src/app/statistics/statistics-demand.ts';
import { cachedSchedules } from '../../../src/app/shared/catalogue.ts';
import { forecastLeadTime } from '../../../src/domain/statistics-planning.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { totpCodeAt } from '../../../src/app/staff/staff-secrets.ts';
import { createFixture, WEDNESDAY_0800, type Fixture } from '../../helpers/fixture.ts';
import { addStaff } from '../../helpers/staff.ts';
import { StaffBrowser } from '../../helpers/staff-browser.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// #17 item 6: bookings are capped by the seats, so the forecast also counts who wanted an
// appointment and got none — the waiting list, searches that found nothing, walk-ins turned away.
const teamlead: Principal = {
  kind: 'user',
  id: 'lead',
  label: 'lead@test',
  role: 'teamlead',
  officeIds: ['test'],
  municipalityId: null,
  personalData: true,
};
const DAY = 86_400_000;

describe(`unmet demand in the forecast on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f.close());

  const joinWaitingList = (serviceId: string, state: 'waiting' | 'expired' | 'booked', joinedAt: number, officeIds = ['test']) =>
    f.ctx.db
      .insertInto('waiting_list_entry')
      .values({
        services: JSON.stringify([{ serviceId, persons: 1 }]),
        office_ids: officeIds,
        earliest_date: '2026-12-01',
        latest_date: '2026-12-31',
        weekdays: [1, 2, 3, 4, 5],
        from_time: '08:00',
        to_time: '18:00',
        citizen_name: 'Erika Mustermann',
        citizen_email: 'erika@example.org',
        citizen_phone: null,
        language: 'de',
        token_hash: `hash-${Math.random()}`,
        state,
        offer_id: null,
        joined_at: new Date(joinedAt),
      })
      .execute();
  const refuse = (serviceId: string | null, at: number) =>
    f.ctx.db
      .insertInto('walkin_refusal')
      .values({ office_id: 'test', service_id: serviceId, at: new Date(at) })
      .execute();

  it('counts waiting list, searches that found nothing and walk-ins turned away, and the forecast grows with them', async () => {
    const q = { officeId: 'test', from: '2026-11-25', to: '2026-11-25', period: 'day', targetDays: 14 } as const;
    const before = (await readStatistics(f.ctx, teamlead, q)).planning.find((p) => p.serviceId === 'short')!;
    expect(before.unmetDemand).toEqual({ waitingListJoined: 0, searchMisses: 0, walkinsTurnedAway: 0 });
    expect(before.weeklyUnmetDemand).toBe(0);

    const now = WEDNESDAY_0800;
    // In the last four weeks: 4 still unmet on the waiting list, 1 that became a booking (in the
    // bookings already), 1 for another office; one entry 30 days ago (outside the window).
    for (let i = 0; i < 4; i++) await joinWaitingList('short', i % 2 ? 'waiting' : 'expired', now - (i + 2) * DAY);
    await joinWaitingList('short', 'booked', now - 3 * DAY);
    await joinWaitingList('short', 'waiting', now - 3 * DAY, ['nord']);
    await joinWaitingList('short', 'waiting', now - 30 * DAY);
    // 30 searches that found nothing ten days ago; today's 6 are not in the four weeks before today.
    f.clock.set(now - 10 * DAY);
    const [test] = await cachedSchedules(f.ctx, ['test']);
    for (let i = 0; i < 30; i++) recordSearchMiss(f.ctx.db, [test!], ['short'], f.clock.now());
    f.clock.set(now);
    for (let i = 0; i < 6; i++) recordSearchMiss(f.ctx.db, [test!], ['short'], now);
    // Walk-ins turned away: 2 for this service, 2 without a service (shared out by the booked share:
    // with no bookings yet, evenly between the two services), 1 today (not in the window).
    await refuse('short', now - 5 * DAY);
    await refuse('short', now - 6 * DAY);
    await refuse(null, now - 5 * DAY);
    await refuse(null, now - 5 * DAY);
    await refuse('short', now);

    const after = (await readStatistics(f.ctx, teamlead, q)).planning.find((p) => p.serviceId === 'short')!;
    expect(after.unmetDemand).toEqual({ waitingListJoined: 4, searchMisses: 30, walkinsTurnedAway: 3 });
    // max(4 people on the list, 30 searches ÷ 3) + 3 at the door = 13 in four weeks: 3.3 a week.
    expect(after.weeklyUnmetDemand).toBe(3.3);
    const expected = forecastLeadTime({
      leadDays: after.leadDays ?? 0,
      weeklySeats: after.weeklySeats,
      weeklyDemand: after.weeklyBookings + 3.3,
    });
    expect(after.forecast).toEqual(expected.map((w) => ({ week: w.week, leadDays: Number.isFinite(w.leadDays) ? w.leadDays : -1 })));
    const other = (await readStatistics(f.ctx, teamlead, q)).planning.find((p) => p.serviceId === 'long')!;
    expect(other.unmetDemand).toEqual({ waitingListJoined: 0, searchMisses: 0, walkinsTurnedAway: 1 });
  });

  it('the team lead sees the estimate with a German decimal comma and the counts behind it', async () => {
    const { email, totpSecret } = await addStaff(f, { email: 'lead@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f);
    await b.post('/staff/login', { email, password: 'Pferd Batterie Heftklammer' });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.post('/staff/standort', { office: 'test' });
    const { status, html } = await b.page('/staff/statistics?von=2026-11-20&bis=2026-11-25');
    expect(status).toBe(200);
    expect(html).toContain('<th scope="col">Nicht gedeckt je Woche (geschätzt)</th>');
    expect(html).toContain(
      '3,3<span class="stat-note">Letzte 4 Wochen: 4 Einträge auf der Warteliste, 30 vergebliche Suchen, 3 Spontankunden abgewiesen</span>',
    );
    expect(html).toContain('1 Spontankunde abgewiesen');
  });
});
