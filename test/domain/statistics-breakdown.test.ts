import { describe, expect, it } from 'vitest';
import { breakdownBy, MIN_TICKETS_PER_CLERK, type FinishedTicket } from '../../src/domain/statistics-breakdown.ts';

const MIN = 60_000;
const t = (counter: number, clerk: string, outcome: FinishedTicket['outcome'], minutes: number): FinishedTicket => ({
  counter,
  clerk,
  outcome,
  firstCalledAt: 0,
  finishedAt: minutes * MIN,
});

describe('breakdown per counter and per clerk (#17 item 3)', () => {
  it('counts served, no-shows called and handling time per counter, in counter order', () => {
    const tickets = [
      t(2, 'x', 'served', 5.5),
      t(1, 'x', 'served', 10),
      t(1, 'x', 'served', 20),
      t(1, 'x', 'no_show', 2),
      t(10, 'x', 'served', 3),
    ];
    expect(breakdownBy(tickets, (x) => String(x.counter)).rows).toEqual([
      { name: '1', served: 2, noShowsCalled: 1, handlingMedianMinutes: 10, handlingMeanMinutes: 15 },
      { name: '2', served: 1, noShowsCalled: 0, handlingMedianMinutes: 5, handlingMeanMinutes: 5.5 },
      { name: '10', served: 1, noShowsCalled: 0, handlingMedianMinutes: 3, handlingMeanMinutes: 3 },
    ]);
  });

  it('lists clerks by name, never by figures, and withholds a clerk below the minimum group size', () => {
    const zoe = Array.from({ length: 30 }, () => t(1, 'Zoe Zander', 'served', 4));
    const anna = Array.from({ length: MIN_TICKETS_PER_CLERK }, (_, i) => t(2, 'Anna Albers', i === 0 ? 'no_show' : 'served', 12));
    const berta = Array.from({ length: MIN_TICKETS_PER_CLERK - 1 }, () => t(3, 'Berta Brandt', 'served', 8));
    const { rows, withheldGroups } = breakdownBy([...zoe, ...anna, ...berta], (x) => x.clerk, MIN_TICKETS_PER_CLERK);
    expect(rows.map((r) => [r.name, r.served, r.noShowsCalled, r.handlingMedianMinutes])).toEqual([
      ['Anna Albers', 19, 1, 12],
      ['Zoe Zander', 30, 0, 4],
    ]);
    expect(withheldGroups).toBe(1);
  });

  it('leaves tickets without a named clerk out of the clerk rows', () => {
    const { rows } = breakdownBy([{ ...t(1, 'x', 'served', 1), clerk: null }], (x) => x.clerk);
    expect(rows).toEqual([]);
  });
});
