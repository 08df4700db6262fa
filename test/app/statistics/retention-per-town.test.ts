import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../../src/app/booking/materialize-capacity.ts';
import { applyRetention } from '../../../src/app/statistics/apply-retention.ts';
import { createFixture, WEDNESDAY_0800, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';
import { applyThreeTowns } from '../../helpers/three-towns.ts';

// Issue #20 / decision 0014: each town is its own data controller and keeps personal data for its own
// days. Waltrop's file says 60, Castrop says nothing (the installation's 30): an appointment 42 days
// old is anonymised in Castrop and kept in Waltrop, with its confirmation mail; 61 days on, Waltrop's goes too.

const DAY = 86_400_000;
const OCTOBER_14_0900 = Date.parse('2026-10-14T09:00:00+02:00');

describe(`retention per town on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    await applyThreeTowns(f.ctx);
    f.clock.set(Date.parse('2026-10-12T08:00:00+02:00'));
    await materializeCapacity(f.ctx);
    for (const [town, name] of [
      ['castrop', 'Clara Castroper'],
      ['waltrop', 'Walter Waltroper'],
    ] as const)
      await bookAppointment(f.ctx, {
        officeId: `${town}-rathaus`,
        start: OCTOBER_14_0900,
        services: [{ serviceId: `${town}-personalausweis`, persons: 1 }],
        citizen: { name, email: `${town}@buerger.example`, phone: '0170 1234567' },
        language: 'de',
        channel: 'phone',
        source: 'phone',
        actor: 'test',
      });
  });
  afterAll(async () => f.close());

  const citizens = () =>
    f.ctx.db.selectFrom('appointment').select(['office_id', 'citizen_name', 'citizen_email']).orderBy('office_id').execute();
  const recipients = async () =>
    (await f.ctx.db.selectFrom('outbox').select(['dedupe_key', 'recipient']).execute()).map((m) => m.recipient).sort();

  it('removes a record old enough for Castrop (installation default) and keeps it in Waltrop (60 days) until its time', async () => {
    expect(await recipients()).toEqual(['castrop@buerger.example', 'waltrop@buerger.example']);

    f.clock.set(WEDNESDAY_0800); // 42 days after the appointment
    expect(WEDNESDAY_0800 - OCTOBER_14_0900).toBeGreaterThan(41 * DAY);
    const report = await applyRetention(f.ctx, { retentionDays: 30 });
    expect(report.appointments).toBe(1);
    expect(await citizens()).toEqual([
      { office_id: 'castrop-rathaus', citizen_name: null, citizen_email: null },
      { office_id: 'waltrop-rathaus', citizen_name: 'Walter Waltroper', citizen_email: 'waltrop@buerger.example' },
    ]);
    expect(await recipients()).toEqual(['', 'waltrop@buerger.example']);
    const run = await f.ctx.db.selectFrom('job_run').select('details').where('job', '=', 'retention').executeTakeFirstOrThrow();
    expect(run.details).toMatchObject({ retentionDays: 30, townDays: { waltrop: 60 } });

    // A town's own days also count when they are shorter than the installation's.
    f.clock.set(OCTOBER_14_0900 + 61 * DAY);
    expect(await applyRetention(f.ctx, { retentionDays: 90 })).toMatchObject({ appointments: 1 });
    expect((await citizens()).map((a) => a.citizen_name)).toEqual([null, null]);
    expect(await recipients()).toEqual(['', '']);
  });
});
