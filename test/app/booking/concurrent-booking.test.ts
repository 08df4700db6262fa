import { afterEach, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { DomainError } from '../../../src/domain/errors.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const START = Date.parse('2026-11-26T09:00:00+01:00');

async function stampede(f: Fixture, clients: number) {
  const attempts = Array.from({ length: clients }, (_, i) =>
    bookAppointment(f.ctx, {
      officeId: 'test',
      start: START,
      services: [{ serviceId: 'long', persons: 1 }],
      citizen: { name: `Client ${i}`, email: `client${i}@example.org` },
      language: 'de',
    }),
  );
  const results = await Promise.allSettled(attempts);
  const booked = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.filter(
    (r) => r.status === 'rejected' && r.reason instanceof DomainError && r.reason.code === 'slot_unavailable',
  ).length;
  const loads = await f.database.db
    .selectFrom('capacity_unit')
    .select(['load', 'capacity'])
    .where('office_id', '=', 'test')
    .where('starts_at', '>=', new Date(START))
    .where('starts_at', '<', new Date(START + 20 * 60_000))
    .execute();
  return { booked, refused, loads };
}

describe(`50 simultaneous bookings of one start on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  for (const capacity of [1, 3]) {
    it(`with capacity ${capacity}: exactly ${capacity} succeed and the rest get slot_unavailable, five rounds`, async () => {
      f = await createFixture({ counters: capacity, poolSize: 20 });
      for (let round = 0; round < 5; round++) {
        if (round > 0) {
          // Free the slot again so every round races for the same seats.
          await f.database.db.deleteFrom('appointment').execute();
          await f.database.db.updateTable('capacity_unit').set({ load: 0 }).execute();
        }
        const { booked, refused, loads } = await stampede(f, 50);
        expect({ booked, refused }).toEqual({ booked: capacity, refused: 50 - capacity });
        expect(loads).toHaveLength(4);
        for (const unit of loads) expect(unit.load).toBe(capacity);
      }
    });
  }
});
