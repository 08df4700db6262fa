import { describe, expect, it } from 'vitest';
import { readTrend } from '../../src/app/statistics/statistics-trend.ts';
import { ALL_SERVICES, emptyCounts, figuresOf, hourlyFacts, sumCounts, type TicketHistory } from '../../src/domain/statistics.ts';

const at = (iso: string) => Date.parse(iso);
const ticket = (t: Partial<TicketHistory> & Pick<TicketHistory, 'arrivedAt' | 'firstCalledAt'>): TicketHistory => ({
  officeId: 'a',
  serviceId: 'pa',
  kind: 'appointment',
  state: 'served',
  finishedAt: null,
  ...t,
});

// Thursday 10 December 2026 (UTC+1), appointments at 09:00 local = 08:00Z.
const tickets: TicketHistory[] = [
  // Early for 09:00, called 09:14: 14 minutes after the appointment time — within 15.
  ticket({ arrivedAt: at('2026-12-10T07:50:00Z'), dueAt: at('2026-12-10T08:00:00Z'), firstCalledAt: at('2026-12-10T08:14:00Z') }),
  // Late (09:20) for 09:00, called 09:45: 25 minutes after arriving — within 30, not 15.
  ticket({ arrivedAt: at('2026-12-10T08:20:00Z'), dueAt: at('2026-12-10T08:00:00Z'), firstCalledAt: at('2026-12-10T08:45:00Z') }),
  // On time, called 09:16: 16 minutes after the appointment — within 30.
  ticket({ arrivedAt: at('2026-12-10T07:59:00Z'), dueAt: at('2026-12-10T08:00:00Z'), firstCalledAt: at('2026-12-10T08:16:00Z') }),
  // A walk-in called after 40 minutes: neither.
  ticket({ kind: 'walkin', arrivedAt: at('2026-12-10T08:00:00Z'), firstCalledAt: at('2026-12-10T08:40:00Z') }),
  // A walk-in who left before being called: counts as arrived, not reached.
  ticket({ kind: 'walkin', state: 'cancelled', arrivedAt: at('2026-12-10T08:05:00Z'), firstCalledAt: null }),
];

describe('service level and trends (#17 item 4)', () => {
  it('is the share of arrivals called within 15 / 30 minutes of the appointment time, or of arriving when later', () => {
    const facts = hourlyFacts({ timeZoneOf: () => 'Europe/Berlin', appointments: [], tickets, refusals: [] });
    const total = sumCounts(facts.filter((f) => f.serviceId === ALL_SERVICES));
    expect(total).toMatchObject({ arrivals: 5, calledWithin15: 1, calledWithin30: 3 });
    expect(figuresOf(total, 0)).toMatchObject({ serviceLevel15: 0.2, serviceLevel30: 0.6 });
  });

  it('has no service level without arrivals', () => {
    expect(figuresOf(emptyCounts(), 0)).toMatchObject({ serviceLevel15: null, serviceLevel30: null });
  });

  it('compares Monday up to the last day with the same weekdays a week and 52 weeks earlier', async () => {
    const asked: string[] = [];
    const trend = await readTrend(async ({ from, to }) => {
      asked.push(`${from}..${to}`);
      return from === '2026-12-07' ? [{ ...emptyCounts(), served: 12, noShow: 3 }] : [{ ...emptyCounts(), served: 10 }];
    }, '2026-12-10');
    expect(asked).toEqual(['2026-12-07..2026-12-10', '2026-11-30..2026-12-03', '2025-12-08..2025-12-11']);
    expect(trend.map((w) => [w.week, w.served, w.noShowRate])).toEqual([
      ['current', 12, 0.2],
      ['previous', 10, 0],
      ['lastYear', 10, 0],
    ]);
  });
});
