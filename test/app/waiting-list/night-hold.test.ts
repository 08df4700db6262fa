import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { joinWaitingList } from '../../../src/app/waiting-list/waiting-list.ts';
import { bookOut, cancelBookedAt, type BookedSeat, type Wish } from '../../helpers/book-out.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Issue #22, item 5: an offer the sweep made at night with a two-hour hold lapsed while its person
// slept. The hold now counts office daytime (07:00–20:00) only, and the first slots of the morning
// are not held for someone who cannot answer before them.

const berlin = (iso: string) => Date.parse(`${iso}+01:00`);

describe(`waiting-list offers made at night (${testDbKind})`, () => {
  let f: Fixture;
  let booked: BookedSeat[];
  beforeAll(async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
  });
  afterAll(async () => f?.close());

  it('an offer made at 23:00 for a 09:00 slot is held until 08:00: an hour of the morning to answer, as by day', async () => {
    f.clock.set(berlin('2026-11-25T23:00:00'));
    const window: Wish = {
      services: [{ serviceId: 'short', persons: 1 }],
      officeIds: ['test'],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '08:00',
      toTime: '12:00',
    };
    // Thursday is full when Nora joins; then 08:00 and 09:00 are cancelled that night.
    booked = await bookOut(f.ctx, window);
    await joinWaitingList(f.ctx, { ...window, citizen: { name: 'Nora Nacht', email: 'nora@example.org' }, language: 'de' });
    for (const time of ['08:00', '09:00']) booked = await cancelBookedAt(f.ctx, booked, berlin(`2026-11-26T${time}:00`));
    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 1 });
    const offer = await f.ctx.db
      .selectFrom('replacement_offer as o')
      .innerJoin('appointment as a', 'a.id', 'o.held_appointment_id')
      .select(['o.expires_at', 'a.starts_at'])
      .executeTakeFirstOrThrow();
    // 08:00 was free, but nobody could have answered for it by 07:00; 09:00 leaves 07:00–08:00.
    expect(offer.starts_at.getTime()).toBe(berlin('2026-11-26T09:00:00'));
    expect(offer.expires_at.getTime()).toBe(berlin('2026-11-26T08:00:00'));
    const mail = await f.ctx.db
      .selectFrom('outbox')
      .select('body_text')
      .where('dedupe_key', 'like', 'waiting-offer:%')
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain('Do., 26.11.2026, 08:00 Uhr');
  });

  it('a later slot is held for two hours of daytime: until 09:00', async () => {
    f.clock.set(berlin('2026-11-25T23:30:00'));
    await joinWaitingList(f.ctx, {
      services: [{ serviceId: 'short', persons: 1 }],
      officeIds: ['test'],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '11:00',
      toTime: '12:00',
      citizen: { name: 'Otto Spät', email: 'otto@example.org' },
      language: 'de',
    });
    booked = await cancelBookedAt(f.ctx, booked, berlin('2026-11-26T11:00:00'));
    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 1 });
    const offer = await f.ctx.db
      .selectFrom('replacement_offer as o')
      .innerJoin('appointment as a', 'a.id', 'o.held_appointment_id')
      .select(['o.expires_at', 'a.starts_at'])
      .where('a.citizen_email', '=', 'otto@example.org')
      .executeTakeFirstOrThrow();
    expect(offer.starts_at.getTime()).toBe(berlin('2026-11-26T11:00:00'));
    expect(offer.expires_at.getTime()).toBe(berlin('2026-11-26T09:00:00'));
  });
});
