import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../../src/app/closures/run-closure.ts';
import { openClosure } from '../../../src/app/closures/open-closure.ts';
import { countOverbookedUnits } from '../../../bench/bench-town.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { addOfficeNord } from '../../helpers/staff.ts';

// The closure job reads the closed office's free seats first and the district's other offices only
// when the closed office runs out — in the middle of a batch, which then starts again.

const at = (day: string, hhmm: string) => Date.parse(`2026-11-${day}T${hhmm}:00+01:00`);
let f: Fixture;

beforeAll(async () => {
  f = await createFixture({ counters: 1, settings: { confirmation: 'none', closures: { batchSize: 5 } } });
  await addOfficeNord(f);
  // Apart from Thursday the office 'test' has seats only on Friday 08:00–10:20 (14 ten-minute slots), 10 of them free.
  await f.ctx.db
    .deleteFrom('capacity_unit')
    .where('office_id', '=', 'test')
    .where((eb) => eb.or([eb('starts_at', '<', new Date(at('26', '00:00'))), eb('starts_at', '>=', new Date(at('27', '10:20')))]))
    .execute();
  const book = (start: number, i: number) =>
    bookAppointment(f.ctx, {
      officeId: 'test',
      start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: `Person ${i}`, email: `p${i}@example.org` },
      language: 'de',
      channel: 'phone',
    });
  for (let i = 0; i < 24; i++) await book(at('26', '08:00') + i * 10 * 60_000, i);
  for (let i = 0; i < 4; i++) await book(at('27', '08:00') + i * 10 * 60_000, 100 + i);
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('closing a day when the office itself has too few free seats', () => {
  it('holds replacements in the closed office while it has seats, then in the other office, each exactly once', async () => {
    const { closure, affected } = await openClosure(f.ctx, {
      officeId: 'test',
      from: at('26', '00:00'),
      to: at('27', '00:00'),
      reason: 'Netzausfall',
      counters: null,
      notify: true,
      offerReplacements: true,
      actor: 'test',
    });
    expect(affected).toBe(24);
    const progress = await runClosure(f.ctx, closure.id);
    expect(progress).toMatchObject({ total: 24, done: 24, pending: 0 });

    const { rows } = await sql<{ office_id: string; n: string }>`
      SELECT office_id, count(*) AS n FROM appointment WHERE source = 'rebooking' AND status = 'reserved' GROUP BY office_id ORDER BY office_id`.execute(
      f.ctx.db,
    );
    expect(rows.map((r) => [r.office_id, Number(r.n)])).toEqual([
      ['nord', 14],
      ['test', 10],
    ]);
    // Every cancelled appointment has one offer, none has two.
    const offers = await sql<{ n: string; distinct_original: string }>`
      SELECT count(*) AS n, count(DISTINCT original_appointment_id) AS distinct_original FROM replacement_offer`.execute(f.ctx.db);
    expect(Number(offers.rows[0]!.n)).toBe(24);
    expect(Number(offers.rows[0]!.distinct_original)).toBe(24);
    expect(await countOverbookedUnits(f.ctx.db)).toBe(0);
  });
});
