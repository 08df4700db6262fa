import { afterEach, describe, expect, it } from 'vitest';
import { bookAppointment, type BookingRequest } from '../../../src/app/booking/book-appointment.ts';
import { cancelAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { DomainError } from '../../../src/domain/errors.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const at = (local: string) => Date.parse(`${local}+01:00`);
const request = (start: string, citizen: BookingRequest['citizen'], serviceId = 'short'): BookingRequest => ({
  officeId: 'test',
  start: at(start),
  services: [{ serviceId, persons: 1 }],
  citizen,
  language: 'de',
});
const erika = { name: 'Erika Mustermann', email: 'erika@example.org' };
const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : String(error));

describe(`one open appointment per person and service on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('refuses a second open appointment for the same service, whatever the address is spelt like', async () => {
    f = await createFixture({ counters: 3, settings: { openAppointmentsPerContact: 1 } });
    await bookAppointment(f.ctx, request('2026-11-26T09:00:00', erika));
    const second = await bookAppointment(f.ctx, request('2026-11-27T09:00:00', { ...erika, email: 'Erika@Example.org' })).catch(codeOf);
    expect(second).toBe('contact_limit_reached');
    // Another service, or another person, is fine.
    await bookAppointment(f.ctx, request('2026-11-27T09:00:00', erika, 'long'));
    await bookAppointment(f.ctx, request('2026-11-27T09:00:00', { name: 'Max', email: 'max@example.org' }));
  });

  it('frees the allowance when the appointment is cancelled', async () => {
    f = await createFixture({ counters: 3, settings: { openAppointmentsPerContact: 1 } });
    const first = await bookAppointment(f.ctx, request('2026-11-26T09:00:00', erika));
    await cancelAppointment(f.ctx, first.manageToken);
    await bookAppointment(f.ctx, request('2026-11-27T09:00:00', erika));
  });

  it('holds under 20 simultaneous attempts by one person: exactly one succeeds and no seat leaks', async () => {
    f = await createFixture({ counters: 5, settings: { openAppointmentsPerContact: 1 }, poolSize: 10 });
    const starts = Array.from({ length: 20 }, (_, i) => new Date(at('2026-11-26T08:00:00') + i * 10 * 60_000));
    const results = await Promise.allSettled(
      starts.map((s) => bookAppointment(f!.ctx, { ...request('2026-11-26T08:00:00', erika), start: s.getTime() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason))).toEqual(
      Array(19).fill('contact_limit_reached'),
    );
    const load = await f.database.db
      .selectFrom('capacity_unit')
      .select((eb) => eb.fn.sum<string>('load').as('seats'))
      .executeTakeFirstOrThrow();
    expect(Number(load.seats)).toBe(2);
  });

  it('allows as many as configured, and staff booking by phone is not limited', async () => {
    f = await createFixture({ counters: 3, settings: { openAppointmentsPerContact: 2 } });
    await bookAppointment(f.ctx, request('2026-11-26T09:00:00', erika));
    await bookAppointment(f.ctx, request('2026-11-26T10:00:00', erika));
    expect(await bookAppointment(f.ctx, request('2026-11-26T11:00:00', erika)).catch(codeOf)).toBe('contact_limit_reached');
    await bookAppointment(f.ctx, { ...request('2026-11-26T11:00:00', erika), channel: 'phone' });
  });
});
