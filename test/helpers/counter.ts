import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { executeCounterCommand } from '../../src/app/counter/execute-counter-command.ts';
import type { Fixture } from './fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

/** Counters `Schalter 1..n` for an office (the test town has none). */
export async function addCounters(f: Fixture, officeId: string, count: number): Promise<void> {
  await f.ctx.db
    .insertInto('counter')
    .values(Array.from({ length: count }, (_, i) => ({ office_id: officeId, number: i + 1, name: `Schalter ${i + 1}` })))
    .execute();
}

/** A confirmed appointment (booked by phone) at `startIso`. */
export async function bookConfirmed(f: Fixture, startIso: string, options: { officeId?: string; name?: string; serviceId?: string } = {}) {
  const { appointment } = await bookAppointment(f.ctx, {
    officeId: options.officeId ?? 'test',
    start: Date.parse(startIso),
    services: [{ serviceId: options.serviceId ?? 'short', persons: 1 }],
    citizen: { name: options.name ?? 'Erika Mustermann', phone: '0201 123456' },
    language: 'de',
    channel: 'phone',
    source: 'phone',
    actor: 'test',
  });
  return appointment;
}

type Payload<T extends CounterCommand['type']> = Extract<CounterCommand, { type: T }>['payload'];

/** Runs a command as `actor` at the fixture clock's time. */
export async function run<T extends CounterCommand['type']>(
  f: Fixture,
  type: T,
  payload: Payload<T>,
  options: { officeId?: string; actor?: string } = {},
) {
  return executeCounterCommand(f.ctx, {
    type,
    officeId: options.officeId ?? 'test',
    payload,
    actor: options.actor ?? 'staff:test',
    at: new Date(f.clock.now()).toISOString(),
  } as CounterCommand);
}

export const id = (f: Fixture) => newEntityId(f.ctx);
