import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatLimit, type SeatLimitParameters } from '../../src/domain/release.ts';
import { replacementSeatLimit, type ReplacementLimitParameters } from '../../src/domain/replacement.ts';
import { hasFreeSeat, hasLeaseSeat, takeLeaseSeats, takeReplacementSeats } from '../../src/db/capacity-units.ts';
import { readReplacementUnits } from '../../src/db/capacity-unit-reads.ts';
import { leaseSeatFree } from '../../src/domain/branch-lease.ts';
import type { Trx } from '../../src/db/transaction.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The booking UPDATE applies the seat limit in SQL; the search applies seatLimit() in TypeScript.
// If the two ever disagreed, the search would offer seats the booking refuses, or worse.
describe(`the SQL seat condition agrees with seatLimit() on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    // Deterministic variety: every combination of capacity, held-back, phone seats and load.
    await sql`UPDATE capacity_unit SET capacity = 4, held_back = (extract(epoch FROM starts_at)::bigint / 300) % 3,
      phone_reserved = (extract(epoch FROM starts_at)::bigint / 900) % 3,
      load = (extract(epoch FROM starts_at)::bigint / 2700) % 5 WHERE office_id = 'test'`.execute(f.database.db);
    // Closed seats (#5) and seats only replacement offers may use; set after the loads, which the
    // closed-seat trigger would otherwise refuse to raise.
    await sql`UPDATE capacity_unit SET closed = (extract(epoch FROM starts_at)::bigint / 8100) % 2,
      rebooking_only = (extract(epoch FROM starts_at)::bigint / 24300) % 2 WHERE office_id = 'test'`.execute(f.database.db);
    // Seats leased to a branch node (#6) and the part of the load sitting in them.
    await sql`UPDATE capacity_unit SET leased = (extract(epoch FROM starts_at)::bigint / 600) % 3,
      lease_load = LEAST(load, (extract(epoch FROM starts_at)::bigint / 1200) % 2) WHERE office_id = 'test'`.execute(f.database.db);
  });
  afterAll(async () => f.close());

  const units = async () => {
    const rows = await f.database.db.selectFrom('capacity_unit').selectAll().where('office_id', '=', 'test').orderBy('starts_at').execute();
    return rows.map((r) => ({
      startsAt: r.starts_at.getTime(),
      capacity: r.capacity,
      heldBack: r.held_back,
      phoneReserved: r.phone_reserved,
      load: r.load,
      closed: r.closed,
      rebookingOnly: r.rebooking_only,
      leased: r.leased,
      leaseLoad: r.lease_load,
    }));
  };

  const cases: [string, (first: number, last: number) => SeatLimitParameters][] = [
    ['online, held-back seats not released', () => ({ heldBackReleasedFrom: 0, heldBackReleasedUntil: 0, phoneSeatsUsable: false })],
    ['phone, held-back seats not released', () => ({ heldBackReleasedFrom: 0, heldBackReleasedUntil: 0, phoneSeatsUsable: true })],
    [
      'online, held-back seats of the first days released',
      (a, b) => ({ heldBackReleasedFrom: a, heldBackReleasedUntil: a + (b - a) / 3, phoneSeatsUsable: false }),
    ],
    [
      'phone, held-back seats released in the middle',
      (a, b) => ({ heldBackReleasedFrom: a + (b - a) / 3, heldBackReleasedUntil: b, phoneSeatsUsable: true }),
    ],
  ];
  for (const [name, parameters] of cases) {
    it(name, async () => {
      const all = await units();
      expect(all.length).toBeGreaterThan(100);
      const limit = parameters(all[0]!.startsAt, all.at(-1)!.startsAt);
      const free = await f.database.db
        .selectFrom('capacity_unit')
        .select('starts_at')
        .where('office_id', '=', 'test')
        .where(hasFreeSeat(limit))
        .orderBy('starts_at')
        .execute();
      const expected = all.filter((u) => u.load < seatLimit(u, limit)).map((u) => u.startsAt);
      expect(free.map((r) => r.starts_at.getTime())).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
    });
  }
});

/** Runs `work` in a transaction that is always rolled back, so the table's triggers and checks take part but nothing stays. */
async function rolledBack<T>(f: Fixture, work: (trx: Trx) => Promise<T>): Promise<T> {
  const rollback = new Error('rollback');
  let result: T | undefined;
  await f.database.db
    .transaction()
    .execute(async (trx) => {
      result = await work(trx);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result as T;
}

// The replacement search (closure job, offer page) applies replacementSeatLimit() in TypeScript to the
// central pool (readReplacementUnits); the guarded UPDATE that then holds the seats applies it in SQL,
// with the closed-seat and lease guard triggers behind it. Likewise the walk-in slot decides with
// leaseSeatFree() and writes with hasLeaseSeat. The real statements run here, one seat in every unit
// at once, in a transaction that is rolled back.
describe(`the replacement and lease seat writes agree with their TypeScript rules on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    // Every combination of load, closed, leased, lease load and held-back seats, counted through the
    // units in time order (i = 0, 1, …); phone and replacement-only seats vary on top. Loads first: the
    // closed-seat and lease triggers would refuse to raise them afterwards. The lease load stays within
    // load and leased, as every writer keeps it.
    const numbered = sql`(SELECT starts_at, (row_number() OVER (ORDER BY starts_at) - 1)::int AS i FROM capacity_unit WHERE office_id = 'test') AS v`;
    await sql`UPDATE capacity_unit u SET capacity = 4, load = v.i % 5, held_back = (v.i / 90) % 2, phone_reserved = (v.i / 180) % 2
      FROM ${numbered} WHERE u.office_id = 'test' AND u.starts_at = v.starts_at`.execute(f.database.db);
    await sql`UPDATE capacity_unit u SET closed = (v.i / 5) % 3, leased = (v.i / 15) % 3, lease_load = LEAST(u.load, (v.i / 15) % 3, (v.i / 45) % 2),
      rebooking_only = (v.i / 360) % 2 FROM ${numbered} WHERE u.office_id = 'test' AND u.starts_at = v.starts_at`.execute(f.database.db);
  });
  afterAll(async () => f.close());

  const cases: [string, (first: number, last: number) => ReplacementLimitParameters][] = [
    ['held-back seats not released', () => ({ heldBackReleasedFrom: 0, heldBackReleasedUntil: 0 })],
    [
      'held-back seats released in the middle',
      (a, b) => ({ heldBackReleasedFrom: a + (b - a) / 3, heldBackReleasedUntil: a + (2 * (b - a)) / 3 }),
    ],
  ];
  const loads = async () =>
    (await f.database.db.selectFrom('capacity_unit').select('load').where('office_id', '=', 'test').orderBy('starts_at').execute()).map(
      (r) => r.load,
    );
  for (const [name, parameters] of cases) {
    it(`replacement, ${name}`, async () => {
      const before = await loads();
      const view = await readReplacementUnits(f.database.db, 'test', 0, 8.64e15);
      expect(view.length).toBeGreaterThan(360);
      const limit = parameters(view[0]!.startsAt, view.at(-1)!.startsAt);
      const taken = await rolledBack(f, (trx) =>
        takeReplacementSeats(
          trx,
          view.map((u) => ({ officeId: 'test', start: u.startsAt, n: 1, limit })),
        ),
      );
      const expected = view.filter((u) => u.load < replacementSeatLimit(u, limit)).map((u) => u.startsAt);
      expect(taken.map((t) => t.start).sort((a, b) => a - b)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(view.length);
      expect(await loads()).toEqual(before);
    });
  }

  it("lease: hasLeaseSeat, and the walk-in slot's write, agree with leaseSeatFree()", async () => {
    const rows = await f.database.db.selectFrom('capacity_unit').selectAll().where('office_id', '=', 'test').orderBy('starts_at').execute();
    const units = rows.map((r) => ({
      startsAt: r.starts_at.getTime(),
      capacity: r.capacity,
      closed: r.closed,
      load: r.load,
      leased: r.leased,
      leaseLoad: r.lease_load,
    }));
    const expected = units.filter((u) => leaseSeatFree(u)).map((u) => u.startsAt);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(units.length);
    const free = await f.database.db
      .selectFrom('capacity_unit')
      .select('starts_at')
      .where('office_id', '=', 'test')
      .where(hasLeaseSeat())
      .orderBy('starts_at')
      .execute();
    expect(free.map((r) => r.starts_at.getTime())).toEqual(expected);
    const before = await loads();
    const { taken, after } = await rolledBack(f, async (trx) => ({
      taken: await takeLeaseSeats(
        trx,
        { officeId: 'test', municipalityId: 'test' },
        units.map((u) => u.startsAt),
      ),
      after: await trx
        .selectFrom('capacity_unit')
        .select(['starts_at', 'load', 'lease_load'])
        .where('office_id', '=', 'test')
        .orderBy('starts_at')
        .execute(),
    }));
    expect(taken).toBe(expected.length);
    expect(
      after.filter((r, i) => r.load === units[i]!.load + 1 && r.lease_load === units[i]!.leaseLoad + 1).map((r) => r.starts_at.getTime()),
    ).toEqual(expected);
    expect(after.filter((r, i) => r.load !== units[i]!.load || r.lease_load !== units[i]!.leaseLoad)).toHaveLength(expected.length);
    expect(await loads()).toEqual(before);
  });
});
