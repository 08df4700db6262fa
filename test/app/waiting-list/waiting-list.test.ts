import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../../src/app/app-context.ts';
import { searchAvailability } from '../../../src/app/booking/search-availability.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { cancelAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { expireReservations } from '../../../src/app/appointments/expire-reservations.ts';
import { runClosure } from '../../../src/app/closures/run-closure.ts';
import { openClosure, previewClosure } from '../../../src/app/closures/open-closure.ts';
import {
  acceptWaitingOffer,
  joinWaitingList,
  leaveWaitingList,
  readWaitingEntry,
  type JoinRequest,
} from '../../../src/app/waiting-list/waiting-list.ts';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { countOverbookedUnits } from '../../../bench/bench-town.ts';
import { bookOut, cancelBookedAt } from '../../helpers/book-out.ts';
import { createFixture, loadOf, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';
import { openDatabase } from '../../../src/db/connection.ts';

// Issue #5, "Waiting list": Thursday morning is fully booked; two people join the list; a
// cancellation frees a slot; the first is offered it and told, does not answer; after the hold the
// second is offered it and accepts. Nobody else can book the held seat meanwhile.

const THURSDAY = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00+01:00`);
const H = 3_600_000;

let f: Fixture;
const manageTokens: string[] = [];

const wish = (email: string, name: string): JoinRequest => ({
  services: [{ serviceId: 'short', persons: 1 }],
  officeIds: ['test'],
  earliestDate: '2026-11-26',
  latestDate: '2026-11-26',
  weekdays: [4],
  fromTime: '08:00',
  toTime: '09:00',
  citizen: { name, email },
  language: 'de',
});

async function outboxTo(recipient: string) {
  return f.ctx.db
    .selectFrom('outbox')
    .select(['dedupe_key', 'subject', 'body_text'])
    .where('recipient', '=', recipient)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
  // One counter, Thursday 08:00–09:00: six ten-minute appointments fill it.
  for (let i = 0; i < 6; i++) {
    const booked = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: THURSDAY('08:00') + i * 10 * 60_000,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: `Bucher ${i}`, email: `b${i}@example.org` },
      language: 'de',
    });
    manageTokens.push(booked.manageToken);
  }
});
afterAll(async () => f?.close());

describe('waiting list: join, offer, lapse, next, accept', () => {
  let first: string;
  let second: string;

  it('two people join in turn; each sees their place in line and gets a mail with the link', async () => {
    const a = await joinWaitingList(f.ctx, wish('anna@example.org', 'Anna'));
    f.clock.advance(60_000);
    const b = await joinWaitingList(f.ctx, wish('ben@example.org', 'Ben'));
    first = a.token;
    second = b.token;
    expect(a.entry.positions).toEqual([{ serviceId: 'short', position: 1 }]);
    expect(b.entry.positions).toEqual([{ serviceId: 'short', position: 2 }]);
    const mail = await outboxTo('anna@example.org');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Sie stehen auf der Warteliste');
    expect(mail[0]!.body_text).toContain(`http://schalter.test/warteliste/${first}`);
  });

  it('joining twice for the same service is refused, and nothing is offered while everything is booked', async () => {
    await expect(joinWaitingList(f.ctx, wish('ANNA@example.org', 'Anna'))).rejects.toMatchObject({ code: 'already_exists' });
    const report = await sweepWaitingList(f.ctx);
    expect(report).toMatchObject({ offered: 0, looked: 2 });
    expect((await readWaitingEntry(f.ctx, first)).state).toBe('waiting');
  });

  it('a cancellation frees 08:20: the first in line gets it held and an offer mail; the public cannot book it', async () => {
    await cancelAppointment(f.ctx, manageTokens[2]!);
    expect(await loadOf(f, '2026-11-26T07:20:00Z')).toBe(0);
    const report = await sweepWaitingList(f.ctx);
    expect(report.offered).toBe(1);
    expect(await loadOf(f, '2026-11-26T07:20:00Z')).toBe(1);
    expect(await loadOf(f, '2026-11-26T07:25:00Z')).toBe(1);

    const anna = await readWaitingEntry(f.ctx, first);
    expect(anna.state).toBe('offered');
    expect(anna.offer).toMatchObject({
      officeId: 'test',
      start: THURSDAY('08:20'),
      end: THURSDAY('08:30'),
      expiresAt: f.clock.now() + 2 * H,
    });
    const mails = await outboxTo('anna@example.org');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toContain('für Sie reserviert');
    expect(mails[1]!.body_text).toContain('08:20');
    // Ben is still second: Anna is in line until she answers or the hold lapses.
    expect((await readWaitingEntry(f.ctx, second)).positions).toEqual([{ serviceId: 'short', position: 2 }]);
    expect(await outboxTo('ben@example.org')).toHaveLength(1);

    const slots = await searchAvailability(f.ctx, {
      services: [{ serviceId: 'short', persons: 1 }],
      officeId: 'test',
      from: '2026-11-26',
      to: '2026-11-26',
    });
    expect(slots.filter((s) => s.start < THURSDAY('09:00'))).toEqual([]);
    await expect(
      bookAppointment(f.ctx, {
        officeId: 'test',
        start: THURSDAY('08:20'),
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: 'Schneller', email: 'fast@example.org' },
        language: 'de',
      }),
    ).rejects.toMatchObject({ code: 'slot_unavailable' });
  });

  it('the link in the offer mail opens the same entry', async () => {
    const mails = await outboxTo('anna@example.org');
    const link = /warteliste\/([A-Za-z0-9_-]{43})/.exec(mails[1]!.body_text)![1]!;
    expect(link).not.toBe(first);
    expect((await readWaitingEntry(f.ctx, link)).offer?.start).toBe(THURSDAY('08:20'));
  });

  it('Anna does not answer: after the two hours the seat passes to Ben, and Anna is out of line', async () => {
    f.clock.advance(2 * H - 60_000);
    expect((await sweepWaitingList(f.ctx)).offered).toBe(0);
    f.clock.advance(60_000);
    // The reservation job may be first to give the seat back; the sweep copes either way.
    await expireReservations(f.ctx);
    const report = await sweepWaitingList(f.ctx);
    expect(report).toMatchObject({ lapsed: 1, offered: 1 });
    const anna = await readWaitingEntry(f.ctx, first);
    expect(anna.state).toBe('expired');
    expect(anna.positions).toBeNull();
    await expect(acceptWaitingOffer(f.ctx, first)).rejects.toMatchObject({ code: 'invalid_state' });
    const ben = await readWaitingEntry(f.ctx, second);
    expect(ben.state).toBe('offered');
    expect(ben.positions).toEqual([{ serviceId: 'short', position: 1 }]);
    expect(ben.offer?.start).toBe(THURSDAY('08:20'));
    expect(await loadOf(f, '2026-11-26T07:20:00Z')).toBe(1);
    expect((await outboxTo('ben@example.org')).map((m) => m.subject)).toEqual([
      'Sie stehen auf der Warteliste',
      expect.stringContaining('für Sie reserviert'),
    ]);
  });

  it('Ben accepts with one POST: the hold becomes his confirmed appointment, with a confirmation mail; twice books once', async () => {
    const accepted = await acceptWaitingOffer(f.ctx, second);
    expect(accepted.entry.state).toBe('booked');
    expect(accepted.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await acceptWaitingOffer(f.ctx, second);
    expect(again.appointmentId).toBe(accepted.appointmentId);
    const appointment = await f.ctx.db
      .selectFrom('appointment')
      .selectAll()
      .where('id', '=', accepted.appointmentId)
      .executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ status: 'confirmed', citizen_email: 'ben@example.org', reserved_until: null });
    expect(appointment.starts_at.getTime()).toBe(THURSDAY('08:20'));
    const mails = await outboxTo('ben@example.org');
    expect(mails).toHaveLength(3);
    expect(mails[2]!.body_text).toContain(`/termin/${accepted.manageToken}`);
    // Later sweeps leave it alone, and the reservation job does not take it away.
    f.clock.advance(3 * H);
    await expireReservations(f.ctx);
    await sweepWaitingList(f.ctx);
    expect((await readWaitingEntry(f.ctx, second)).state).toBe('booked');
    expect(await loadOf(f, '2026-11-26T07:20:00Z')).toBe(1);
  });

  it('capacity invariant: no unit holds more than its seats, and every load matches the appointments in it', async () => {
    expect(await countOverbookedUnits(f.ctx.db)).toBe(0);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM capacity_unit u WHERE u.load <> (SELECT count(*) FROM appointment a
      WHERE a.office_id = u.office_id AND a.status IN ('reserved','confirmed','checked_in','called','served') AND a.starts_at <= u.starts_at AND a.ends_at > u.starts_at)`.execute(
      f.ctx.db,
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });
});

describe('waiting list: leaving, validation, contact', () => {
  it('leaving while an offer is held gives the seat back at once; leaving twice is fine', async () => {
    const cara = { ...wish('cara@example.org', 'Cara'), fromTime: '09:00', toTime: '12:00' };
    const booked = await bookOut(f.ctx, cara);
    const c = await joinWaitingList(f.ctx, cara);
    // Thursday 10:30 is cancelled, so Cara is offered it at the next sweep.
    await cancelBookedAt(f.ctx, booked, THURSDAY('10:30'));
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);
    const offered = await readWaitingEntry(f.ctx, c.token);
    expect(offered.state).toBe('offered');
    const start = new Date(offered.offer!.start).toISOString();
    expect(await loadOf(f, start)).toBe(1);
    const left = await leaveWaitingList(f.ctx, c.token);
    expect(left.state).toBe('left');
    expect(await loadOf(f, start)).toBe(0);
    expect((await leaveWaitingList(f.ctx, c.token)).state).toBe('left');
    const offer = await f.ctx.db
      .selectFrom('replacement_offer')
      .select('state')
      .where('waiting_entry_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(offer.state).toBe('declined');
  });

  it('refuses bad criteria with every problem listed, unknown offices, and contacts that cannot be told in time', async () => {
    await expect(
      joinWaitingList(f.ctx, { ...wish('d@example.org', 'D'), earliestDate: '2026-12-10', latestDate: '2026-12-01', weekdays: [] }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ path: 'latestDate' }, { path: 'weekdays' }] },
    });
    await expect(joinWaitingList(f.ctx, { ...wish('d@example.org', 'D'), officeIds: ['nowhere'] })).rejects.toMatchObject({
      code: 'unknown_office',
    });
    await expect(
      joinWaitingList(f.ctx, { ...wish('d@example.org', 'D'), citizen: { name: 'D', phone: '0221 123456' } }),
    ).rejects.toMatchObject({ code: 'contact_required' });
    await expect(
      joinWaitingList(f.ctx, { ...wish('d@example.org', 'D'), services: [{ serviceId: 'counter-only', persons: 1 }] }),
    ).rejects.toMatchObject({ code: 'service_not_bookable_online' });
    await expect(readWaitingEntry(f.ctx, 'not-a-token')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an office closure that takes the held seat withdraws the offer without a closure notice and puts the entry back in line at its place', async () => {
    const gina = {
      ...wish('gina@example.org', 'Gina'),
      earliestDate: '2026-12-01',
      latestDate: '2026-12-04',
      weekdays: [2, 3, 4] as JoinRequest['weekdays'],
      fromTime: '08:00',
      toTime: '08:10',
    };
    let booked = await bookOut(f.ctx, gina);
    const g = await joinWaitingList(f.ctx, gina);
    // Tuesday's and Wednesday's 08:00 are cancelled after Gina joined.
    for (const day of ['2026-12-01', '2026-12-02']) booked = await cancelBookedAt(f.ctx, booked, Date.parse(`${day}T08:00:00+01:00`));
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);
    const held = await readWaitingEntry(f.ctx, g.token);
    expect(held.offer?.start).toBe(Date.parse('2026-12-01T08:00:00+01:00'));
    const before = await outboxTo('gina@example.org');
    // The office closes Tuesday 1 December. Gina had not accepted: she is nobody the closure cancels.
    const closing = {
      officeId: 'test',
      from: Date.parse('2026-12-01T00:00:00+01:00'),
      to: Date.parse('2026-12-02T00:00:00+01:00'),
      reason: 'Stromausfall',
      counters: null,
      notify: true,
      offerReplacements: true,
    };
    expect((await previewClosure(f.ctx, closing)).appointments).toBe(0);
    const opened = await openClosure(f.ctx, { ...closing, actor: 'cli' });
    expect(opened.affected).toBe(0);
    const withdrawn = await readWaitingEntry(f.ctx, g.token);
    expect(withdrawn).toMatchObject({ state: 'waiting', offer: null, positions: held.positions });
    expect(await loadOf(f, '2026-12-01T07:00:00Z')).toBe(0);
    await runClosure(f.ctx, opened.closure.id);
    // No closure notice, no replacement offer: only the two mails from before.
    expect(await outboxTo('gina@example.org')).toEqual(before);
    expect(await f.ctx.db.selectFrom('replacement_offer').select('id').where('closure_id', '=', opened.closure.id).execute()).toEqual([]);
    const hold = await f.ctx.db
      .selectFrom('appointment')
      .select('status')
      .where('reference', '=', held.offer!.reference)
      .executeTakeFirstOrThrow();
    expect(hold.status).toBe('cancelled');
    await expect(acceptWaitingOffer(f.ctx, g.token)).rejects.toMatchObject({ code: 'invalid_state' });
    const report = await sweepWaitingList(f.ctx);
    expect(report.lapsed).toBe(0);
    // Back in line and, as Wednesday 08:00 is free, offered that straight away.
    const again = await readWaitingEntry(f.ctx, g.token);
    expect(again.state).toBe('offered');
    expect(again.offer?.start).toBe(Date.parse('2026-12-02T08:00:00+01:00'));
    expect(await countOverbookedUnits(f.ctx.db)).toBe(0);
    await leaveWaitingList(f.ctx, g.token);
  });

  it('a sweep reaches everyone in line, not only the first page: the second gets what the first cannot use', async () => {
    const theo = {
      ...wish('theo@example.org', 'Theo'),
      earliestDate: '2026-12-03',
      latestDate: '2026-12-03',
      fromTime: '09:00',
      toTime: '12:00',
    };
    const booked = await bookOut(f.ctx, theo);
    const sunday = await joinWaitingList(f.ctx, {
      ...wish('sonja@example.org', 'Sonja'),
      earliestDate: '2026-11-29',
      latestDate: '2026-12-20',
      weekdays: [7],
      fromTime: '08:00',
      toTime: '12:00',
    });
    f.clock.advance(60_000);
    const thursday = await joinWaitingList(f.ctx, theo);
    await cancelBookedAt(f.ctx, booked, Date.parse('2026-12-03T09:00:00+01:00'));
    const report = await sweepWaitingList(f.ctx, { batch: 1 });
    expect(report).toMatchObject({ offered: 1, looked: 2 });
    expect((await readWaitingEntry(f.ctx, sunday.token)).state).toBe('waiting');
    expect((await readWaitingEntry(f.ctx, thursday.token)).offer?.start).toBe(Date.parse('2026-12-03T09:00:00+01:00'));
    await leaveWaitingList(f.ctx, sunday.token);
    await leaveWaitingList(f.ctx, thursday.token);
  });

  it('sweeps started at once: only one runs; seats go in joining order, at most one per entry, never overbooked', async () => {
    // Friday 27th, 08:00–09:00: six ten-minute seats, booked out; eight people who want one join,
    // then all six are cancelled.
    const friday = { earliestDate: '2026-11-27', latestDate: '2026-11-27', weekdays: [5] as JoinRequest['weekdays'] };
    const booked = await bookOut(f.ctx, { ...wish('x@example.org', 'X'), ...friday });
    expect(booked).toHaveLength(6);
    const tokens: string[] = [];
    for (let i = 0; i < 8; i++) {
      f.clock.advance(1_000);
      tokens.push((await joinWaitingList(f.ctx, { ...wish(`race${i}@example.org`, `Race ${i}`), ...friday })).token);
    }
    for (const seat of booked) await cancelBookedAt(f.ctx, booked, seat.start);
    const together = await Promise.all([sweepWaitingList(f.ctx), sweepWaitingList(f.ctx), sweepWaitingList(f.ctx)]);
    expect(together.filter((r) => !r.skipped)).toHaveLength(1);
    await sweepWaitingList(f.ctx);
    const states = await Promise.all(tokens.map((t) => readWaitingEntry(f.ctx, t)));
    // The six who joined first hold the six seats; the last two wait.
    expect(states.map((e) => e.state)).toEqual(['offered', 'offered', 'offered', 'offered', 'offered', 'offered', 'waiting', 'waiting']);
    expect(new Set(states.slice(0, 6).map((e) => e.offer!.start)).size).toBe(6);
    const holds = await f.ctx.db
      .selectFrom('replacement_offer')
      .select(['waiting_entry_id'])
      .where('state', '=', 'held')
      .where('waiting_entry_id', 'is not', null)
      .execute();
    expect(holds).toHaveLength(6);
    expect(new Set(holds.map((h) => h.waiting_entry_id)).size).toBe(6);
    expect(await countOverbookedUnits(f.ctx.db)).toBe(0);
    for (const t of tokens) await leaveWaitingList(f.ctx, t);
  });

  it.skipIf(testDbKind !== 'postgres')('two processes on one PostgreSQL: one sweeps, the other skips its turn', async () => {
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(f.ctx.db);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${rows[0]!.name}`;
    const other = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    try {
      const monday = { earliestDate: '2026-11-30', latestDate: '2026-11-30', weekdays: [1] as JoinRequest['weekdays'] };
      const booked = await bookOut(f.ctx, { ...wish('x@example.org', 'X'), ...monday });
      const tokens: string[] = [];
      for (let i = 0; i < 8; i++) {
        f.clock.advance(1_000);
        tokens.push((await joinWaitingList(f.ctx, { ...wish(`proc${i}@example.org`, `Proc ${i}`), ...monday })).token);
      }
      for (const seat of booked) await cancelBookedAt(f.ctx, booked, seat.start);
      const [a, b] = await Promise.all([sweepWaitingList(f.ctx), sweepWaitingList(contextWithDatabase(f.ctx, other.db))]);
      expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
      const states = await Promise.all(tokens.map((t) => readWaitingEntry(f.ctx, t)));
      expect(states.map((e) => e.state)).toEqual(['offered', 'offered', 'offered', 'offered', 'offered', 'offered', 'waiting', 'waiting']);
      expect(await countOverbookedUnits(f.ctx.db)).toBe(0);
      for (const t of tokens) await leaveWaitingList(f.ctx, t);
    } finally {
      await other.close();
    }
  });

  it('an entry whose dates have passed leaves the line', async () => {
    const e = await joinWaitingList(f.ctx, {
      ...wish('eva@example.org', 'Eva'),
      earliestDate: '2026-12-01',
      latestDate: '2026-12-01',
      weekdays: [2],
      fromTime: '07:00',
      toTime: '08:00',
    });
    f.clock.set(Date.parse('2026-12-02T08:00:00Z'));
    expect((await sweepWaitingList(f.ctx)).outdated).toBeGreaterThanOrEqual(1);
    expect((await readWaitingEntry(f.ctx, e.token)).state).toBe('expired');
  });
});
