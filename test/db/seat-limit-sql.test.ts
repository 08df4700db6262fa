import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatLimit, type SeatLimitParameters } from '../../src/domain/release.ts';
import { hasFreeSeat } from '../../src/db/seats.ts';
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
    return rows.map((r) => ({ startsAt: r.starts_at.getTime(), capacity: r.capacity, heldBack: r.held_back, phoneReserved: r.phone_reserved, load: r.load, closed: r.closed, rebookingOnly: r.rebooking_only, leased: r.leased, leaseLoad: r.lease_load }));
  };

  const cases: [string, (first: number, last: number) => SeatLimitParameters][] = [
    ['online, held-back seats not released', () => ({ heldBackReleasedFrom: 0, heldBackReleasedUntil: 0, phoneSeatsUsable: false })],
    ['phone, held-back seats not released', () => ({ heldBackReleasedFrom: 0, heldBackReleasedUntil: 0, phoneSeatsUsable: true })],
    ['online, held-back seats of the first days released', (a, b) => ({ heldBackReleasedFrom: a, heldBackReleasedUntil: a + (b - a) / 3, phoneSeatsUsable: false })],
    ['phone, held-back seats released in the middle', (a, b) => ({ heldBackReleasedFrom: a + (b - a) / 3, heldBackReleasedUntil: b, phoneSeatsUsable: true })],
  ];
  for (const [name, parameters] of cases) {
    it(name, async () => {
      const all = await units();
      expect(all.length).toBeGreaterThan(100);
      const limit = parameters(all[0]!.startsAt, all.at(-1)!.startsAt);
      const free = await f.database.db.selectFrom('capacity_unit').select('starts_at').where('office_id', '=', 'test').where(hasFreeSeat(limit)).orderBy('starts_at').execute();
      const expected = all.filter((u) => u.load < seatLimit(u, limit)).map((u) => u.startsAt);
      expect(free.map((r) => r.starts_at.getTime())).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
    });
  }
});
