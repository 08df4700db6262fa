import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelByStaff, rescheduleByStaff } from '../../../src/app/appointments/staff-appointments.ts';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { bookConfirmed } from '../../helpers/counter.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Issue #17, item 5: „Gebucht“ counted bookings by the day they were made, next to „Bedient“ counted
// by the day of the appointment — two groups in one table. Bookings made stay counted by their day;
// the appointments of a day are counted by the day they are for, kept or cancelled, and move with
// the appointment when it is moved.

const lead: Principal = {
  kind: 'user',
  id: 'lead',
  label: 'lead@test',
  role: 'teamlead',
  officeIds: ['test'],
  municipalityId: null,
  personalData: true,
};

describe(`appointments counted by their own day (${testDbKind})`, () => {
  let f: Fixture;
  const day = async (date: string) => (await readStatistics(f.ctx, lead, { officeId: 'test', from: date, to: date, period: 'day' })).total;

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    f.clock.set(Date.parse('2026-11-25T08:00:00+01:00'));
  });
  afterAll(async () => f?.close());

  it('three bookings made on Wednesday for Thursday and Friday; one cancelled, one moved to Thursday', async () => {
    const anna = await bookConfirmed(f, '2026-11-26T09:00:00+01:00', { name: 'Anna' });
    const ben = await bookConfirmed(f, '2026-11-26T09:10:00+01:00', { name: 'Ben' });
    const cem = await bookConfirmed(f, '2026-11-27T09:00:00+01:00', { name: 'Cem' });
    await cancelByStaff(f.ctx, lead, { appointmentId: ben.id, reason: 'citizen' });
    await rescheduleByStaff(f.ctx, lead, { appointmentId: cem.id, start: Date.parse('2026-11-26T10:00:00+01:00') });
    await refreshStatistics(f.ctx);

    expect(await day('2026-11-25')).toMatchObject({ booked: 3, appointmentsDue: 0, appointmentsCancelled: 0, cancelledByCitizen: 1 });
    expect(await day('2026-11-26')).toMatchObject({ booked: 0, appointmentsDue: 2, appointmentsCancelled: 1 });
    expect(await day('2026-11-27')).toMatchObject({ booked: 0, appointmentsDue: 0, appointmentsCancelled: 0 });
    expect(anna.status).toBe('confirmed');
  });

  it('a later move takes the appointment from the day it leaves, in the next incremental refresh', async () => {
    const [anna] = await f.ctx.db.selectFrom('appointment').select('id').where('citizen_name', '=', 'Anna').execute();
    f.clock.set(Date.parse('2026-11-25T08:30:00+01:00'));
    await rescheduleByStaff(f.ctx, lead, { appointmentId: anna!.id, start: Date.parse('2026-11-27T10:00:00+01:00') });
    await refreshStatistics(f.ctx);
    expect(await day('2026-11-26')).toMatchObject({ appointmentsDue: 1, appointmentsCancelled: 1 });
    expect(await day('2026-11-27')).toMatchObject({ appointmentsDue: 1 });
  });
});
