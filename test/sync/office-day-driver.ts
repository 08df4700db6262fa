import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import type { CounterOutcome } from '../../src/app/counter/counter-outcome.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { BRANCH_CLERK } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

/**
 * A compressed office day at a branch: counters open, walk-ins draw numbers, clerks call, serve,
 * mark no-shows and take fees. Deterministic for a seed; every step changes something (is journalled).
 */
export function officeDay(f: Fixture, execute: (command: CounterCommand) => Promise<CounterOutcome>, seed = 7) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const counters = [1, 2, 3];
  const opened = new Set<number>();
  const called = new Map<number, string>();
  let waiting = 0;
  const served: string[] = [];
  const run = <T extends CounterCommand['type']>(type: T, payload: Extract<CounterCommand, { type: T }>['payload']) =>
    execute({ type, officeId: 'test', payload, actor: BRANCH_CLERK, at: new Date(f.clock.now()).toISOString() } as CounterCommand);

  return async function step(): Promise<CounterOutcome> {
    f.clock.advance(15_000);
    const closed = counters.find((c) => !opened.has(c));
    if (closed !== undefined) {
      opened.add(closed);
      return run('counter.open', { counterNumber: closed });
    }
    const busy = [...called.keys()];
    const free = counters.filter((c) => !called.has(c));
    const r = random();
    if (busy.length > 0 && (r < 0.35 || free.length === 0)) {
      const counter = busy[Math.floor(random() * busy.length)]!;
      const ticketId = called.get(counter)!;
      called.delete(counter);
      if (random() < 0.15) return run('ticket.no_show', { ticketId });
      served.push(ticketId);
      return run('ticket.served', { ticketId });
    }
    if (waiting > 0 && free.length > 0 && r < 0.7) {
      const outcome = await run('ticket.call_next', { counterNumber: free[0]! });
      if (outcome.ticket) {
        called.set(free[0]!, outcome.ticket.id);
        waiting--;
        return outcome;
      }
    }
    if (served.length > 0 && r > 0.9) {
      return run('fee.paid', {
        paymentId: newEntityId(f.ctx),
        amountCents: 3700,
        method: random() < 0.5 ? 'cash' : 'card',
        ticketId: served.pop()!,
      });
    }
    waiting++;
    return run('walkin.issue', { serviceId: random() < 0.5 ? 'short' : 'long', ticketId: newEntityId(f.ctx) });
  };
}
