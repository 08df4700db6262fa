import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applySeatChange,
  clearAvailabilityCache,
  setAvailabilityCacheTtl,
  SHORT_TTL_MS,
} from '../../../src/app/booking/availability-cache.ts';
import { searchAvailability } from '../../../src/app/booking/search-availability.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { cancelAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { inTransaction, noteCapacityChange } from '../../../src/db/transaction.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { contextWithDatabase } from '../../../src/app/app-context.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';

// With expiry switched off, what a search answers comes from the cache unless a reported change made
// it read again. Changing a row behind the application's back (plain SQL, no report) shows which.

const THURSDAY_0900 = Date.parse('2026-11-26T09:00:00+01:00');
const THURSDAY_0905 = THURSDAY_0900 + 5 * 60_000;
const THURSDAY_0930 = THURSDAY_0900 + 30 * 60_000;
const THURSDAY = { start: Date.parse('2026-11-26T00:00:00+01:00'), end: Date.parse('2026-11-27T00:00:00+01:00') };

describe('cached availability and reported changes', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    setAvailabilityCacheTtl(3_600_000);
  });
  afterAll(async () => {
    setAvailabilityCacheTtl(SHORT_TTL_MS);
    await f?.close();
  });
  beforeEach(async () => {
    await sql`UPDATE capacity_unit SET load = 0`.execute(f.ctx.db);
    clearAvailabilityCache(f.ctx.db);
  });
  afterEach(() => clearAvailabilityCache(f.ctx.db));

  const offered = async (start: number, ctx: AppContext = f.ctx) =>
    (
      await searchAvailability(ctx, {
        services: [{ serviceId: 'short', persons: 1 }],
        officeId: 'test',
        from: '2026-11-26',
        to: '2026-11-26',
      })
    ).some((s) => s.start === start);
  const fillBehindTheBack = (start: number) =>
    sql`UPDATE capacity_unit SET load = capacity WHERE office_id = 'test' AND starts_at = ${new Date(start)}`.execute(f.ctx.db);

  it('answers from the cache until a change is reported', async () => {
    expect(await offered(THURSDAY_0900)).toBe(true);
    await fillBehindTheBack(THURSDAY_0900);
    expect(await offered(THURSDAY_0900)).toBe(true); // still cached: nobody reported the change
    applySeatChange(f.ctx.db, { officeId: 'test', start: THURSDAY_0900, end: THURSDAY_0900 + 300_000 });
    expect(await offered(THURSDAY_0900)).toBe(false); // dropped and read again
  });

  it('patches the loads a booking reports instead of reading the day again, and the higher load wins', async () => {
    expect(await offered(THURSDAY_0900)).toBe(true);
    await fillBehindTheBack(THURSDAY_0905); // not reported: visible only if the day were read again
    applySeatChange(f.ctx.db, { officeId: 'test', ...THURSDAY, seats: [{ startsAt: THURSDAY_0900, load: 1 }] });
    expect(await offered(THURSDAY_0900)).toBe(false); // patched: 09:00 is full now
    expect(await offered(THURSDAY_0905)).toBe(true); // and the day was not read again
    // A late notice of an earlier booking (lower load) does not free the seat again.
    applySeatChange(f.ctx.db, { officeId: 'test', ...THURSDAY, seats: [{ startsAt: THURSDAY_0900, load: 0 }] });
    expect(await offered(THURSDAY_0900)).toBe(false);
  });

  it('reads a day again when a reported unit is not in it (the plan changed meanwhile)', async () => {
    expect(await offered(THURSDAY_0900)).toBe(true);
    await fillBehindTheBack(THURSDAY_0905);
    applySeatChange(f.ctx.db, { officeId: 'test', ...THURSDAY, seats: [{ startsAt: THURSDAY_0900 + 60_000, load: 1 }] });
    expect(await offered(THURSDAY_0905)).toBe(false);
  });

  it('a booking in this process is visible to the next search at once', async () => {
    expect(await offered(THURSDAY_0900)).toBe(true);
    await fillBehindTheBack(THURSDAY_0930);
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: THURSDAY_0900,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika Muster', phone: '0221 12345' },
      language: 'de',
      channel: 'phone',
    });
    expect(await offered(THURSDAY_0900)).toBe(false);
    expect(await offered(THURSDAY_0930)).toBe(true); // patched from the booking's own answer, not read again
  });

  it('a cancellation in this process frees the seat for the next search at once', async () => {
    const { manageToken } = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: THURSDAY_0900,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika Muster', phone: '0221 12345' },
      language: 'de',
      channel: 'phone',
    });
    expect(await offered(THURSDAY_0900)).toBe(false);
    await cancelAppointment(f.ctx, manageToken);
    expect(await offered(THURSDAY_0900)).toBe(true);
  });

  it("cached days age by the context's own clock (elapsed), which a test can move without touching now", async () => {
    let elapsed = 0;
    const ctx = { ...f.ctx, elapsed: () => elapsed };
    expect(await offered(THURSDAY_0900, ctx)).toBe(true);
    await fillBehindTheBack(THURSDAY_0900);
    elapsed = 3_600_000 - 1;
    expect(await offered(THURSDAY_0900, ctx)).toBe(true); // still cached
    elapsed = 3_600_000;
    expect(await offered(THURSDAY_0900, ctx)).toBe(false); // expired: read again
  });

  it('a context moved to another database object (contextWithDatabase) has its writes reported to the cache of that database', async () => {
    // Another Kysely instance on the same database, as a second pool or a branch node's database would be.
    const other = f.ctx.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => args.result });
    const ctx = contextWithDatabase(f.ctx, other);
    expect(await offered(THURSDAY_0900, ctx)).toBe(true);
    const { manageToken } = await bookAppointment(ctx, {
      officeId: 'test',
      start: THURSDAY_0900,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika Muster', phone: '0221 12345' },
      language: 'de',
      channel: 'phone',
    });
    expect(await offered(THURSDAY_0900, ctx)).toBe(false);
    await cancelAppointment(ctx, manageToken); // a transaction's noted change, heard after its commit
    expect(await offered(THURSDAY_0900, ctx)).toBe(true);
    clearAvailabilityCache(other);
  });

  it('a writer in a transaction reports its change after the commit, and not at all when it rolls back', async () => {
    expect(await offered(THURSDAY_0900)).toBe(true);
    await inTransaction(f.ctx.db, async (trx) => {
      noteCapacityChange(trx, [{ officeId: 'test', start: THURSDAY_0900 }]);
      await sql`UPDATE capacity_unit SET load = capacity WHERE office_id = 'test' AND starts_at = ${new Date(THURSDAY_0900)}`.execute(trx);
      throw new Error('rolled back');
    }).catch(() => {});
    await fillBehindTheBack(THURSDAY_0900);
    expect(await offered(THURSDAY_0900)).toBe(true); // nothing reported: still the cached day
    await inTransaction(f.ctx.db, async (trx) => noteCapacityChange(trx, [{ officeId: 'test', start: THURSDAY_0900 }]));
    expect(await offered(THURSDAY_0900)).toBe(false);
  });
});
