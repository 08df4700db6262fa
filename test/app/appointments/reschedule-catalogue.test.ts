import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { rescheduleAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { rescheduleByStaff } from '../../../src/app/appointments/staff-appointments.ts';
import { invalidateCatalogue } from '../../../src/app/shared/catalogue.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const clerk: Principal = {
  kind: 'user',
  id: 'clerk',
  label: 'clerk@test',
  role: 'clerk',
  officeIds: ['test'],
  municipalityId: null,
  personalData: true,
};
const at = (time: string) => Date.parse(`2026-11-26T${time}:00+01:00`);

/** Settles with the promise's value, or with 'hangs' when it has not settled after 20 s. */
function within20s<T>(promise: Promise<T>): Promise<T | 'hangs'> {
  return Promise.race([promise, new Promise<'hangs'>((resolve) => setTimeout(() => resolve('hangs'), 20_000))]);
}

// A move reads the offices' schedules from the catalogue snapshot. Were it read inside the move's
// transaction, an expired or cold snapshot would be reloaded through ctx.db, and the embedded
// database's one connection is held by that transaction: the move would wait for itself for ever.
describe(`moving an appointment with a cold catalogue on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
  });

  it('a citizen moves their appointment right after the catalogue was dropped, instead of waiting for itself', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
    const { manageToken } = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('09:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Anna Weber', email: 'anna@example.org' },
      language: 'de',
    });
    invalidateCatalogue(f.ctx.db);
    const moved = await within20s(rescheduleAppointment(f.ctx, manageToken, { start: at('10:00') }));
    expect(moved).toMatchObject({ start: '2026-11-26T10:00:00+01:00', status: 'confirmed' });
  });

  it('a clerk moves an appointment right after the catalogue was dropped, instead of waiting for itself', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
    const { appointment } = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('09:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Ben Koch', phone: '0151 23456789' },
      language: 'de',
      channel: 'phone',
    });
    invalidateCatalogue(f.ctx.db);
    const moved = await within20s(rescheduleByStaff(f.ctx, clerk, { appointmentId: appointment.id, start: at('10:30') }));
    expect(moved).toMatchObject({ start: '2026-11-26T10:30:00+01:00' });
  });
});
