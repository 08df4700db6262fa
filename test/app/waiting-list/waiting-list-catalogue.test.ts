import { afterEach, describe, expect, it } from 'vitest';
import { joinWaitingList, readWaitingEntry } from '../../../src/app/waiting-list/waiting-list.ts';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { bookOut, cancelBookedAt, type Wish } from '../../helpers/book-out.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

describe(`the waiting-list sweep on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
  });

  it('holds a seat even when the catalogue snapshot expires meanwhile (a busy machine), instead of waiting for itself', async () => {
    f = await createFixture({ counters: 1 });
    const wish: Wish = {
      services: [{ serviceId: 'short', persons: 1 }],
      officeIds: ['test'],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '08:00',
      toTime: '09:00',
    };
    // Joined while Thursday morning was full; 08:30 was cancelled since.
    const booked = await bookOut(f.ctx, wish);
    const { token } = await joinWaitingList(f.ctx, { ...wish, citizen: { name: 'Anna Weber', email: 'anna@example.org' }, language: 'de' });
    await cancelBookedAt(f.ctx, booked, Date.parse('2026-11-26T08:30:00+01:00'));
    // Every look at the caches' clock is six seconds later than the last: each catalogue snapshot has
    // expired (5 s) by the next use, as on a machine so busy that one sweep takes that long. The
    // embedded database has one connection; a reload inside the hold's transaction would wait for it
    // for ever. The clock is the context's own (elapsed), not a replaced global.
    const elapsed = f.ctx.elapsed;
    let looks = 0;
    const busy = { ...f.ctx, elapsed: () => elapsed() + ++looks * 6_000 };
    const sweep = sweepWaitingList(busy);
    const outcome = await Promise.race([sweep, new Promise((resolve) => setTimeout(() => resolve('hangs'), 20_000))]);
    expect(outcome).toMatchObject({ offered: 1 });
    // The sweep did read the catalogue by this clock, more than once (so snapshots did expire under it).
    expect(looks).toBeGreaterThan(1);
    expect((await readWaitingEntry(f.ctx, token)).state).toBe('offered');
  });
});
