import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppointmentStatus, DB } from '../../src/db/schema.ts';

// A realistic month at office `test`, written straight into the tables (the use cases would take
// minutes on two cores): bookings days ahead, served appointments, no-shows, cancellations by the
// citizen and by the office, walk-ins, with waits and counter times drawn from a seeded generator.
// It returns what it wrote, so tests can recompute every figure without the statistics code.

export type GeneratedAppointment = {
  id: string;
  serviceId: string;
  bookedAt: number;
  outcome: 'served' | 'no_show' | 'cancelled_citizen' | 'cancelled_office';
  outcomeAt: number;
  arrivedAt: number | null;
  calledAt: number | null;
  name: string;
  email: string;
  phone: string;
};
export type GeneratedWalkin = { serviceId: string; arrivedAt: number; calledAt: number; finishedAt: number; served: boolean };
export type GeneratedMonth = { appointments: GeneratedAppointment[]; walkins: GeneratedWalkin[]; refusals: number[] };

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;

/** Weekdays of `month` ('2026-10'), 08:00–12:00 Berlin; the month holds the end of summer time. */
export async function generateMonth(
  db: Kysely<DB>,
  month: string,
  options: {
    seed?: number;
    perDay?: number;
    names?: (i: number) => { name: string; email: string; phone: string };
    officeId?: string;
    services?: [string, string, string];
  } = {},
): Promise<GeneratedMonth> {
  const random = prng(options.seed ?? 8);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const out: GeneratedMonth = { appointments: [], walkins: [], refusals: [] };
  const office = options.officeId ?? 'test';
  // The office's town: the rows carry it (the distribution column, decision 0014).
  const { municipality_id: town } = await db
    .selectFrom('office')
    .select('municipality_id')
    .where('id', '=', office)
    .executeTakeFirstOrThrow();
  const [svcA, svcB, svcWalkin] = options.services ?? ['short', 'long', 'counter-only'];
  const [year, mon] = month.split('-').map(Number) as [number, number];
  let n = 0;
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(year, mon - 1, d));
    if (date.getUTCMonth() !== mon - 1 || date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    const day = date.toISOString().slice(0, 10);
    const offset = d >= 25 && mon === 10 ? '+01:00' : mon >= 11 || mon <= 3 ? '+01:00' : '+02:00';
    const open = Date.parse(`${day}T08:00:00${offset}`);
    const appointmentRows = [];
    const eventRows = [];
    const ticketRows = [];
    const callRows = [];
    const serviceRows = [];
    for (let k = 0; k < (options.perDay ?? 20); k++) {
      const start = open + k * 12 * MIN;
      const serviceId = pick([svcA, svcB]);
      const bookedAt = start - Math.floor(1 + random() * 40) * 86_400_000 + Math.floor(random() * 600) * MIN;
      const r = random();
      const outcome: GeneratedAppointment['outcome'] =
        r < 0.8 ? 'served' : r < 0.88 ? 'no_show' : r < 0.95 ? 'cancelled_citizen' : 'cancelled_office';
      const person = options.names?.(n) ?? { name: `Person ${n}`, email: `person${n}@example.org`, phone: `0201 ${100000 + n}` };
      n++;
      const id = randomUUID();
      const arrivedAt = outcome === 'served' ? start - Math.floor(random() * 20) * MIN : null;
      const calledAt = arrivedAt !== null ? start + Math.floor(random() * 35) * MIN + Math.floor(random() * 60) * 1000 : null;
      const outcomeAt =
        outcome === 'served'
          ? calledAt! + Math.floor(5 + random() * 25) * MIN
          : outcome === 'no_show'
            ? start + 15 * MIN
            : bookedAt + Math.floor((start - bookedAt) * random());
      const status: AppointmentStatus = outcome === 'served' || outcome === 'no_show' ? outcome : 'cancelled';
      appointmentRows.push({
        id,
        reference: `GEN-${office}-${month}-${n}`,
        municipality_id: town,
        office_id: office,
        starts_at: new Date(start),
        ends_at: new Date(start + 10 * MIN),
        status,
        source: 'online',
        language: 'de',
        citizen_name: person.name,
        citizen_email: person.email,
        citizen_phone: person.phone,
        manage_token_hash: `gen-${id}`,
        confirmation_code_hash: null,
        reserved_until: null,
        created_at: new Date(bookedAt),
        updated_at: new Date(outcomeAt),
      } as const);
      serviceRows.push({ appointment_id: id, municipality_id: town, service_id: serviceId, persons: 1 });
      eventRows.push({
        appointment_id: id,
        at: new Date(bookedAt),
        actor: 'citizen',
        action: 'booked',
        from_status: null,
        to_status: 'confirmed',
        details: JSON.stringify({ channel: 'online', email: person.email }),
      });
      if (outcome === 'served') {
        const ticketId = randomUUID();
        ticketRows.push({
          id: ticketId,
          office_id: office,
          day,
          label: `T-${k + 1}`,
          kind: 'appointment',
          appointment_id: id,
          service_id: serviceId,
          state: 'served',
          due_at: new Date(start),
          arrived_at: new Date(arrivedAt!),
          called_at: new Date(calledAt!),
          call_count: 1,
          counter_number: 1,
          target_counter: null,
          finished_at: new Date(outcomeAt),
        } as const);
        callRows.push({ office_id: office, day, ticket_id: ticketId, label: `T-${k + 1}`, counter_number: 1, at: new Date(calledAt!) });
        eventRows.push({
          appointment_id: id,
          at: new Date(arrivedAt!),
          actor: 'kiosk:test',
          action: 'checked_in',
          from_status: 'confirmed',
          to_status: 'checked_in',
          details: null,
        });
        eventRows.push({
          appointment_id: id,
          at: new Date(calledAt!),
          actor: 'staff:x',
          action: 'called',
          from_status: 'checked_in',
          to_status: 'called',
          details: null,
        });
        eventRows.push({
          appointment_id: id,
          at: new Date(outcomeAt),
          actor: 'staff:x',
          action: 'served',
          from_status: 'called',
          to_status: 'served',
          details: null,
        });
      } else if (outcome === 'no_show') {
        eventRows.push({
          appointment_id: id,
          at: new Date(outcomeAt),
          actor: 'staff:x',
          action: 'no_show',
          from_status: 'confirmed',
          to_status: 'no_show',
          details: null,
        });
      } else {
        const reason = outcome === 'cancelled_office' ? 'office' : 'citizen';
        eventRows.push({
          appointment_id: id,
          at: new Date(outcomeAt),
          actor: reason === 'office' ? 'system' : 'citizen',
          action: 'cancelled',
          from_status: 'confirmed',
          to_status: 'cancelled',
          details: JSON.stringify({ reason }),
        });
      }
      out.appointments.push({ id, serviceId, bookedAt, outcome, outcomeAt, arrivedAt, calledAt, ...person });
    }
    for (let w = 0; w < 6; w++) {
      const ticketId = randomUUID();
      const arrivedAt = open + Math.floor(random() * 200) * MIN;
      const calledAt = arrivedAt + Math.floor(random() * 70) * MIN + Math.floor(random() * 60) * 1000;
      const served = random() < 0.9;
      const finishedAt = calledAt + Math.floor(3 + random() * 15) * MIN;
      const serviceId = pick([svcA, svcWalkin]);
      ticketRows.push({
        id: ticketId,
        office_id: office,
        day,
        label: `S-${w + 1}`,
        kind: 'walkin',
        appointment_id: null,
        service_id: serviceId,
        state: served ? 'served' : 'no_show',
        due_at: null,
        arrived_at: new Date(arrivedAt),
        called_at: new Date(calledAt),
        call_count: 1,
        counter_number: 2,
        target_counter: null,
        finished_at: new Date(finishedAt),
      } as const);
      callRows.push({ office_id: office, day, ticket_id: ticketId, label: `S-${w + 1}`, counter_number: 2, at: new Date(calledAt) });
      out.walkins.push({ serviceId, arrivedAt, calledAt, finishedAt, served });
    }
    const refusal = open + 3 * 3600_000 + Math.floor(random() * 59) * MIN;
    if (random() < 0.5) out.refusals.push(refusal);
    await db.insertInto('appointment').values(appointmentRows).execute();
    await db.insertInto('appointment_service').values(serviceRows).execute();
    await db.insertInto('appointment_event').values(eventRows).execute();
    await db.insertInto('ticket').values(ticketRows).execute();
    await db.insertInto('queue_call').values(callRows).execute();
  }
  if (out.refusals.length)
    await db
      .insertInto('walkin_refusal')
      .values(out.refusals.map((at) => ({ office_id: office, service_id: svcA, at: new Date(at) })))
      .execute();
  return out;
}
