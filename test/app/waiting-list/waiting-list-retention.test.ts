import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../../src/app/statistics/apply-retention.ts';
import { cancelAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { acceptWaitingOffer, joinWaitingList, leaveWaitingList, type JoinRequest } from '../../../src/app/waiting-list/waiting-list.ts';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Invariant 6 for the waiting list: names, emails and phones of entries go once the entry is over
// for SCHALTER_RETENTION_DAYS (or its dates ran out that long ago), with the mails about them; an
// entry still in line keeps them, because the office must be able to reach the person.

const DAY = 86_400_000;
const wish = (name: string, email: string, latestDate: string): JoinRequest => ({
  services: [{ serviceId: 'short', persons: 1 }],
  officeIds: ['test'],
  earliestDate: '2026-11-26',
  latestDate,
  weekdays: [4],
  fromTime: '08:00',
  toTime: '08:10',
  citizen: { name, email },
  language: 'de',
});

describe(`waiting-list retention on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ settings: { confirmation: 'none' } });
  });
  afterAll(async () => f?.close());

  const mailsTo = async (email: string) =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM outbox WHERE recipient = ${email} OR body_text LIKE ${`%${email}%`}`.execute(
          f.ctx.db,
        )
      ).rows[0]!.n,
    );

  it('removes personal data of entries over for longer than the period, keeps it for those still in line', async () => {
    // Thursday 08:00 is taken; three people want exactly that slot.
    const taken = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse('2026-11-26T08:00:00+01:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'B', email: 'b@example.org' },
      language: 'de',
    });
    const left = await joinWaitingList(f.ctx, wish('Liese Links', 'liese@example.org', '2026-11-26'));
    f.clock.advance(60_000);
    const booked = await joinWaitingList(f.ctx, wish('Bodo Bucher', 'bodo@example.org', '2026-11-26'));
    f.clock.advance(60_000);
    await joinWaitingList(f.ctx, wish('Willi Warter', 'willi@example.org', '2026-11-26'));
    await leaveWaitingList(f.ctx, left.token);
    await cancelAppointment(f.ctx, taken.manageToken);
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);
    await acceptWaitingOffer(f.ctx, booked.token);

    // 29 days later nothing is removed yet.
    f.clock.advance(29 * DAY);
    expect((await applyRetention(f.ctx, { retentionDays: 30 })).waitingList).toBe(0);
    // After the period: Liese (left) and Bodo (booked) are over for 30 days; Willi still waits.
    f.clock.advance(2 * DAY);
    const report = await applyRetention(f.ctx, { retentionDays: 30 });
    expect(report.waitingList).toBe(2);
    const rows = await f.ctx.db
      .selectFrom('waiting_list_entry')
      .select(['state', 'citizen_name', 'citizen_email', 'citizen_phone'])
      .orderBy('joined_at')
      .execute();
    expect(rows).toEqual([
      { state: 'left', citizen_name: '', citizen_email: null, citizen_phone: null },
      { state: 'booked', citizen_name: '', citizen_email: null, citizen_phone: null },
      { state: 'waiting', citizen_name: 'Willi Warter', citizen_email: 'willi@example.org', citizen_phone: null },
    ]);
    // Their mails (joined, offer) are older than the period too: emptied.
    expect(await mailsTo('liese@example.org')).toBe(0);
    expect(await mailsTo('bodo@example.org')).toBe(0);
    expect(await mailsTo('willi@example.org')).toBe(0); // the joining mail is older than the period as well
  });

  it('an entry still waiting loses its data once its dates have run out for the period', async () => {
    f.clock.set(Date.parse('2027-01-01T08:00:00Z'));
    expect((await applyRetention(f.ctx, { retentionDays: 30 })).waitingList).toBe(1);
    const willi = await f.ctx.db
      .selectFrom('waiting_list_entry')
      .select(['citizen_name'])
      .where('citizen_name', '=', 'Willi Warter')
      .execute();
    expect(willi).toEqual([]);
  });
});
