import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointments, moveAppointment, type NewAppointmentWithRows } from '../../../src/app/appointments/appointment-rows.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { inTransaction } from '../../../src/db/transaction.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// References are six characters so people can read them out; a taken one is drawn again, whether
// the booking runs as one statement (the whole booking again) or inside a transaction (ON CONFLICT).

const at = (iso: string) => Date.parse(iso);
/** Six bytes that format to the reference `XXX-XXX` with X = REFERENCE_ALPHABET[k]. */
const referenceBytes = (k: number) => [k, k, k, k, k, k];

describe(`appointment rows (${testDbKind})`, () => {
  let f: Fixture;
  let draws: number[][] = [];

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    // Scripted references; every other draw (ids, tokens) stays random.
    f.ctx.randomBytes = (n) => (n === 6 && draws.length > 0 ? new Uint8Array(draws.shift()!) : randomBytes(n));
  });
  afterAll(async () => f?.close());

  const book = (email: string, start = '2026-11-26T09:00:00+01:00') =>
    bookAppointment(f.ctx, {
      officeId: 'test',
      start: at(start),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika', email },
      language: 'de',
    });
  const eventsOf = (id: string) =>
    f.ctx.db
      .selectFrom('appointment_event')
      .select(['action', 'from_status', 'to_status', 'details'])
      .where('appointment_id', '=', id)
      .orderBy('id')
      .execute();

  it('a booking whose reference is taken books again with a new one', async () => {
    draws = [referenceBytes(0)];
    const first = await book('a@example.org');
    expect(first.appointment.reference).toBe('AAA-AAA');
    draws = [referenceBytes(0), referenceBytes(1)];
    const second = await book('b@example.org');
    expect(second.appointment.reference).toBe('CCC-CCC');
    expect(draws).toEqual([]);
    const booked = await f.ctx.db.selectFrom('appointment').select('reference').where('reference', 'in', ['AAA-AAA', 'CCC-CCC']).execute();
    expect(booked).toHaveLength(2);
  });

  it('holds written together draw again for a taken reference and for one drawn twice in the batch', async () => {
    const hold = (name: string): NewAppointmentWithRows => ({
      officeId: 'test',
      municipalityId: 'test',
      start: at('2026-11-27T10:00:00+01:00'),
      end: at('2026-11-27T10:10:00+01:00'),
      status: 'reserved',
      source: 'online',
      language: 'de',
      citizen: { name, email: `${name}@example.org`, phone: null },
      manageTokenHash: null,
      reservedUntil: at('2026-11-26T10:00:00+01:00'),
      services: [{ serviceId: 'short', persons: 2 }],
      event: { actor: 'system', action: 'held', details: { channel: 'waiting_list' } },
    });
    // First round: AAA-AAA is taken (above), the second and third draw the same; second round: two new ones.
    draws = [referenceBytes(0), referenceBytes(2), referenceBytes(2), referenceBytes(3), referenceBytes(4)];
    const rows = await inTransaction(f.ctx.db, (trx) =>
      insertAppointments(f.ctx, trx, [hold('anna'), hold('ben'), hold('cem')], f.ctx.now()),
    );
    expect(draws).toEqual([]);
    expect(rows.map((r) => [r.citizen_name, r.reference, r.status])).toEqual([
      ['anna', 'EEE-EEE', 'reserved'],
      ['ben', 'DDD-DDD', 'reserved'],
      ['cem', 'FFF-FFF', 'reserved'],
    ]);
    for (const row of rows) {
      expect(
        await f.ctx.db.selectFrom('appointment_service').select(['service_id', 'persons']).where('appointment_id', '=', row.id).execute(),
      ).toEqual([{ service_id: 'short', persons: 2 }]);
      expect(await eventsOf(row.id)).toEqual([
        { action: 'held', from_status: null, to_status: 'reserved', details: { channel: 'waiting_list' } },
      ]);
    }
    // A hold's manage token is drawn and hashed, never known: each row has its own.
    expect(new Set(rows.map((r) => r.manage_token_hash)).size).toBe(3);
  });

  it('a status change always writes its event; the same status again writes only the event', async () => {
    const { appointment } = await book('c@example.org', '2026-11-26T11:00:00+01:00');
    const now = f.ctx.now();
    const moved = await inTransaction(f.ctx.db, (trx) =>
      moveAppointment(
        trx,
        {
          id: appointment.id,
          from: 'confirmed',
          to: 'checked_in',
          at: now,
          actor: 'clerk',
          action: 'checked_in',
          details: { ticket: 'T001' },
        },
        { returning: true },
      ),
    );
    expect(moved.status).toBe('checked_in');
    f.clock.advance(60_000);
    await inTransaction(f.ctx.db, (trx) =>
      moveAppointment(trx, { id: appointment.id, from: 'checked_in', to: 'checked_in', at: f.ctx.now(), actor: 'clerk', action: 'noted' }),
    );
    const row = await f.ctx.db
      .selectFrom('appointment')
      .select(['status', 'updated_at'])
      .where('id', '=', appointment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'checked_in', updated_at: new Date(now) });
    expect(await eventsOf(appointment.id)).toEqual([
      { action: 'booked', from_status: null, to_status: 'confirmed', details: { channel: 'online' } },
      { action: 'checked_in', from_status: 'confirmed', to_status: 'checked_in', details: { ticket: 'T001' } },
      { action: 'noted', from_status: 'checked_in', to_status: 'checked_in', details: null },
    ]);
  });
});
