import { describe, expect, it } from 'vitest';
import { hourProfile } from '../../src/domain/statistics-hour-profile.ts';
import { ALL_SERVICES, hourlyFacts, type TicketHistory } from '../../src/domain/statistics.ts';

const at = (iso: string) => Date.parse(iso);
const ticket = (arrived: string, kind: TicketHistory['kind'], state: TicketHistory['state'], finished: string | null): TicketHistory => ({
  officeId: 'a',
  serviceId: 'pa',
  kind,
  state,
  arrivedAt: at(arrived),
  firstCalledAt: finished === null ? null : at(arrived) + 60_000,
  finishedAt: finished === null ? null : at(finished),
});

// Two Thursdays (3 and 10 December 2026, UTC+1) and one Friday (4 December) in Testamt.
const tickets: TicketHistory[] = [
  // Thu 3 Dec, 08–09 local: an appointment check-in served at 09:10, a walk-in served at 08:50, a walk-in never called.
  ticket('2026-12-03T07:55:00Z', 'appointment', 'served', '2026-12-03T08:10:00Z'),
  ticket('2026-12-03T07:20:00Z', 'walkin', 'served', '2026-12-03T07:50:00Z'),
  ticket('2026-12-03T07:40:00Z', 'walkin', 'cancelled', null),
  // Thu 10 Dec, 08–09: one walk-in served within the hour.
  ticket('2026-12-10T07:05:00Z', 'walkin', 'served', '2026-12-10T07:30:00Z'),
  // Fri 4 Dec, 10–11: one check-in, a no-show at the counter.
  ticket('2026-12-04T09:15:00Z', 'appointment', 'no_show', '2026-12-04T09:20:00Z'),
];
const appointmentServed = {
  officeId: 'a',
  serviceIds: ['pa'],
  events: [{ at: at('2026-12-03T08:10:00Z'), action: 'served', toStatus: 'served' }],
};

describe('arrivals and served by hour and weekday (#17 item 2)', () => {
  const facts = hourlyFacts({ timeZoneOf: () => 'Europe/Berlin', appointments: [appointmentServed], tickets, refusals: [] }).filter(
    (f) => f.serviceId === ALL_SERVICES,
  );

  it('counts every ticket in the hour it arrived, called or not, and the walk-ins among them', () => {
    const thu8 = facts.find((f) => f.day === '2026-12-03' && f.hour === 8)!;
    expect(thu8).toMatchObject({ arrivals: 3, walkinArrivals: 2, walkinsServed: 1, served: 0, waits: 2 });
    const thu9 = facts.find((f) => f.day === '2026-12-03' && f.hour === 9)!;
    expect(thu9).toMatchObject({ arrivals: 0, served: 1 });
    expect(facts.find((f) => f.day === '2026-12-04' && f.hour === 10)).toMatchObject({ arrivals: 1, walkinArrivals: 0, served: 0 });
  });

  it('averages per open day of each weekday, a day without anyone counting when it was staffed', () => {
    // Thursday 17 December was staffed but nobody came: three Thursdays divide.
    const cells = hourProfile(facts, ['2026-12-03', '2026-12-04', '2026-12-10', '2026-12-17']);
    expect(cells.filter((c) => c.weekday === 4)).toEqual([
      { weekday: 4, hour: 8, days: 3, arrivals: 4, walkinArrivals: 3, served: 0, walkinsServed: 2, arrivalsPerDay: 1.3, servedPerDay: 0.7 },
      { weekday: 4, hour: 9, days: 3, arrivals: 0, walkinArrivals: 0, served: 1, walkinsServed: 0, arrivalsPerDay: 0, servedPerDay: 0.3 },
      { weekday: 4, hour: 10, days: 3, arrivals: 0, walkinArrivals: 0, served: 0, walkinsServed: 0, arrivalsPerDay: 0, servedPerDay: 0 },
    ]);
    expect(cells.filter((c) => c.weekday === 5).map((c) => [c.hour, c.days, c.arrivalsPerDay, c.servedPerDay])).toEqual([
      [8, 1, 0, 0],
      [9, 1, 0, 0],
      [10, 1, 1, 0],
    ]);
  });

  it('counts a day on which people came as open even when no plan says so', () => {
    const cells = hourProfile(facts, []);
    expect(new Set(cells.map((c) => `${c.weekday}:${c.days}`))).toEqual(new Set(['4:2', '5:1']));
  });
});
