import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCounterCommand } from '../../../src/app/counter/counter-command.ts';
import type { CounterCommand } from '../../../src/app/counter/counter-command.ts';
import { executeCounterCommand } from '../../../src/app/counter/execute-counter-command.ts';
import { saveQueueSettings } from '../../../src/app/shared/office-time.ts';
import { readDisplayBoard, readQueue } from '../../../src/app/counter/queue-board.ts';
import { addCounters, bookConfirmed, id, run } from '../../helpers/counter.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe(`counter commands on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 8 });
    await addCounters(f, 'test', 3);
  });
  afterAll(async () => f.close());

  it('an appointment goes confirmed -> checked_in -> called -> served, every step an appointment event', async () => {
    const appointment = await bookConfirmed(f, '2026-11-25T08:50:00+01:00');
    f.clock.set(at('08:19'));
    await expect(run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) })).rejects.toMatchObject({
      code: 'checkin_too_early',
    });
    f.clock.set(at('08:20'));
    const { ticket } = await run(f, 'appointment.check_in', {
      reference: appointment.reference.toLowerCase().replace('-', ' '),
      ticketId: id(f),
    });
    expect(ticket).toMatchObject({ label: 'T-001', state: 'waiting', kind: 'appointment' });
    // The kiosk scanned twice: same ticket, nothing new.
    const again = await run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) });
    expect(again).toMatchObject({ unchanged: true, ticket: { id: ticket!.id, label: 'T-001' } });

    f.clock.set(at('08:51'));
    const call = await run(f, 'ticket.call_next', { counterNumber: 2 });
    expect(call.ticket).toMatchObject({ id: ticket!.id, state: 'called', counterNumber: 2 });
    expect(call.resolved).toMatchObject({ type: 'ticket.call', payload: { ticketId: ticket!.id, counterNumber: 2 } });
    await run(f, 'ticket.call_again', { ticketId: ticket!.id });
    f.clock.set(at('09:01'));
    await run(f, 'ticket.served', { ticketId: ticket!.id });

    const events = await f.ctx.db
      .selectFrom('appointment_event')
      .select(['action', 'from_status', 'to_status', 'at'])
      .where('appointment_id', '=', appointment.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, e.from_status, e.to_status])).toEqual(
      [
        ['created', null, 'confirmed'],
        ['checked_in', 'confirmed', 'checked_in'],
        ['called', 'checked_in', 'called'],
        ['called_again', 'called', 'called'],
        ['served', 'called', 'served'],
      ].map((e, i) => (i === 0 ? [events[0]!.action, null, 'confirmed'] : e)),
    );
    expect(events.at(-1)!.at.getTime()).toBe(at('09:01'));
    const audit = await f.ctx.db.selectFrom('audit_log').select('action').where('entity_id', '=', ticket!.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['appointment.check_in', 'ticket.call_next', 'ticket.call_again', 'ticket.served']);
    const board = await readDisplayBoard(f.ctx.db, 'test', f.clock.now());
    expect(board.calls[0]).toMatchObject({ label: 'T-001', counterNumber: 2, state: 'served' });
  });

  it('refuses a check-in more than 15 minutes after the start', async () => {
    f.clock.set(at('08:00'));
    const appointment = await bookConfirmed(f, '2026-11-25T09:20:00+01:00');
    f.clock.set(at('09:36'));
    await expect(run(f, 'appointment.check_in', { reference: appointment.reference, ticketId: id(f) })).rejects.toMatchObject({
      code: 'checkin_too_late',
    });
  });

  it('gives out walk-in tickets up to the daily quota; emergencies always get one', async () => {
    f.clock.set(at('09:40'));
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 2, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    const first = await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    expect(first.ticket!.label).toBe('S-001');
    expect(first.waitMinutes).toBe(0);
    const second = await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    expect(second.waitMinutes).toBe(10); // one ahead at the median of the one served ticket (10 min)
    await expect(run(f, 'walkin.issue', { serviceId: 'long', ticketId: id(f) })).rejects.toMatchObject({ code: 'walkin_quota_exhausted' });
    const emergency = await run(f, 'walkin.issue', { serviceId: 'long', ticketId: id(f), priority: true });
    expect(emergency.ticket).toMatchObject({ label: 'S-003', priority: true });
    const queue = await readQueue(f.ctx.db, 'test', f.clock.now());
    expect(queue.waiting.map((t) => t.label)).toEqual(['S-003', 'S-001', 'S-002']);
    expect(queue.walkins).toEqual({ issued: 2, quota: 2, remaining: 0 });
  });

  it('two counters pressing "call next" at once never get the same ticket', async () => {
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 100, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    await f.ctx.db
      .updateTable('ticket')
      .set({ state: 'served', finished_at: new Date(f.clock.now()) })
      .where('state', 'in', ['waiting', 'called'])
      .execute();
    for (let i = 0; i < 4; i++) await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    const rounds = await Promise.all([1, 2, 3].map((counter) => run(f, 'ticket.call_next', { counterNumber: counter })));
    const labels = rounds.map((r) => r.ticket?.label);
    expect(new Set(labels).size).toBe(3);
    expect(labels.every((l) => l !== undefined)).toBe(true);
    // A counter with a called ticket must finish it before calling the next one.
    await expect(run(f, 'ticket.call_next', { counterNumber: 1 })).rejects.toMatchObject({ code: 'counter_busy' });
    await Promise.all(rounds.map((r) => run(f, 'ticket.served', { ticketId: r.ticket!.id })));
    const last = await Promise.all([1, 2, 3].map((counter) => run(f, 'ticket.call_next', { counterNumber: counter })));
    expect(last.filter((r) => r.ticket !== null)).toHaveLength(1);
    expect(last.filter((r) => r.ticket === null && r.unchanged)).toHaveLength(2);
    const calls = await f.ctx.db.selectFrom('ticket').select(['label', 'counter_number']).where('state', '=', 'called').execute();
    expect(calls).toHaveLength(1);
  });

  it('forwards a ticket to another counter, which alone may call it', async () => {
    await f.ctx.db.updateTable('ticket').set({ state: 'served' }).where('state', 'in', ['waiting', 'called']).execute();
    const { ticket } = await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await run(f, 'ticket.call', { ticketId: ticket!.id, counterNumber: 1 });
    const forwarded = await run(f, 'ticket.forward', { ticketId: ticket!.id, toCounter: 3, toServiceId: 'long' });
    expect(forwarded.ticket).toMatchObject({ state: 'waiting', targetCounter: 3, serviceId: 'long' });
    const atTwo = await run(f, 'ticket.call_next', { counterNumber: 2 });
    expect(atTwo.ticket!.id).not.toBe(ticket!.id);
    const atThree = await run(f, 'ticket.call_next', { counterNumber: 3 });
    expect(atThree.ticket!.id).toBe(ticket!.id);
  });

  it('afterApply runs in the same transaction: when it fails, the command leaves no trace', async () => {
    const before = await f.ctx.db
      .selectFrom('ticket')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const command = {
      type: 'walkin.issue' as const,
      officeId: 'test',
      payload: { serviceId: 'short', ticketId: id(f) },
      actor: 'staff:test',
      at: new Date(f.clock.now()).toISOString(),
    };
    let seen = '';
    await expect(
      executeCounterCommand(f.ctx, command, {
        afterApply: async (trx, cmd, outcome) => {
          seen = `${cmd.type} ${outcome.ticket?.label}`;
          await trx.selectFrom('ticket').select('id').where('id', '=', command.payload.ticketId).executeTakeFirstOrThrow();
          throw new Error('journal disk full');
        },
      }),
    ).rejects.toThrow('journal disk full');
    expect(seen).toMatch(/^walkin.issue S-\d{3}$/);
    const after = await f.ctx.db
      .selectFrom('ticket')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('commands of office test cannot touch tickets of another office', async () => {
    const { ticket } = await run(f, 'walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await f.ctx.db
      .insertInto('office')
      .values({ municipality_id: 'test', id: 'nord', name: 'Nord', address: 'x', phone: null, email: null })
      .execute();
    await addCounters(f, 'nord', 1);
    await expect(run(f, 'ticket.call', { ticketId: ticket!.id, counterNumber: 1 }, { officeId: 'nord' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('replaying the journalled (resolved) commands on another database reproduces the same queue', async () => {
    const journal: CounterCommand[] = [];
    const journalled = async (type: CounterCommand['type'], payload: unknown) =>
      executeCounterCommand(
        f.ctx,
        { type, officeId: 'test', payload, actor: 'staff:test', at: new Date(f.clock.now()).toISOString() } as CounterCommand,
        {
          afterApply: async (_trx, _command, outcome) => {
            journal.push(parseCounterCommand(JSON.parse(JSON.stringify(outcome.resolved))));
          },
        },
      );
    f.clock.set(at('11:00'));
    await f.ctx.db.updateTable('ticket').set({ state: 'served' }).where('state', 'in', ['waiting', 'called']).execute();
    const a = await journalled('walkin.issue', { serviceId: 'short', ticketId: id(f) });
    await journalled('walkin.issue', { serviceId: 'long', ticketId: id(f), priority: true });
    f.clock.advance(60_000);
    await journalled('ticket.call_next', { counterNumber: 1 });
    await journalled('ticket.call_next', { counterNumber: 2 });
    f.clock.advance(60_000);
    await journalled('ticket.served', { ticketId: a.ticket!.id });
    expect(journal.map((c) => c.type)).toEqual(['walkin.issue', 'walkin.issue', 'ticket.call', 'ticket.call', 'ticket.served']);
    expect(() => parseCounterCommand({ ...journal[0], payload: { serviceId: 'short' } })).toThrow();

    const replica = await createFixture({ counters: 2 });
    try {
      await addCounters(replica, 'test', 3);
      await saveQueueSettings(replica.ctx.db, 'test', {
        walkinQuota: 100,
        walkinMinutes: 15,
        checkinEarlyMinutes: 30,
        checkinLateMinutes: 15,
      });
      for (const command of journal) await executeCounterCommand(replica.ctx, command);
      const snapshot = (db: typeof f.ctx.db) =>
        db
          .selectFrom('ticket')
          .select(['id', 'state', 'counter_number', 'called_at', 'finished_at', 'priority'])
          .where(
            'id',
            'in',
            journal.filter((c) => c.type === 'walkin.issue').map((c) => (c.payload as { ticketId: string }).ticketId),
          )
          .orderBy('id')
          .execute();
      expect(await snapshot(replica.ctx.db)).toEqual(await snapshot(f.ctx.db));
    } finally {
      await replica.close();
    }
  });
});
