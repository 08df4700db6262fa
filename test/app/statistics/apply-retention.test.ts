import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../../src/app/booking/materialize-capacity.ts';
import { applyRetention } from '../../../src/app/statistics/apply-retention.ts';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { searchAppointmentsForStaff } from '../../../src/app/appointments/search-appointments.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { addCounters, id, run } from '../../helpers/counter.ts';
import { createFixture, WEDNESDAY_0800, type Fixture } from '../../helpers/fixture.ts';
import { generateMonth, type GeneratedMonth } from '../../helpers/statistics-month.ts';
import { testDbKind } from '../../helpers/test-db.ts';

const lead: Principal = {
  kind: 'user',
  id: 'lead',
  label: 'lead@test',
  role: 'teamlead',
  officeIds: ['test'],
  municipalityId: null,
  personalData: true,
};
const person = (i: number) => ({ name: `Quellmalz Annegret ${1000 + i}`, email: `a${1000 + i}@alt.example`, phone: `0170 5${1000 + i}9` });

/** Every text, json and array column of every table, searched for any of the needles. */
async function findAnywhere(f: Fixture, needles: string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`.execute(f.ctx.db);
  const hits: string[] = [];
  const patterns = needles.map((n) => `%${n.toLowerCase()}%`);
  for (const c of columns.rows) {
    const r = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM ${sql.table(c.table_name)} WHERE lower(${sql.ref(c.column_name)}::text) LIKE ANY(${patterns}::text[])`.execute(
      f.ctx.db,
    );
    if (r.rows[0]!.n !== '0') hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

describe(`retention of personal data on ${testDbKind}`, () => {
  let f: Fixture;
  let month: GeneratedMonth;
  let needles: string[];
  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 4 });
    await addCounters(f, 'test', 2);
    month = await generateMonth(f.ctx.db, '2026-09', { perDay: 4, names: person });
    needles = month.appointments.flatMap((a) => [a.name, a.email, a.phone]);
    // Copies made by the real use cases in October: a booking mail, a staff search, an ID card handed out.
    f.clock.set(Date.parse('2026-10-12T08:00:00+02:00'));
    await materializeCapacity(f.ctx);
    const extra = { name: 'Zacharias Oktoberling', email: 'zacharias@alt.example', phone: '0170 999888' };
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse('2026-10-14T09:00:00+02:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: extra,
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'test',
    });
    await searchAppointmentsForStaff(f.ctx, lead, { query: 'Oktoberling' });
    await run(f, 'document.register', {
      documentId: id(f),
      orderNumber: 'PA-4711',
      kind: 'id_card',
      holderName: 'Hildegard Ausweisholer',
      email: 'hilde@alt.example',
      phone: '0170 424242',
      state: 'ready',
    });
    await run(f, 'document.hand_out', { orderNumber: 'PA-4711', recipient: 'authorised', authorisedName: 'Bevollmächtigter Brösel' });
    needles.push(extra.name, extra.email, extra.phone, 'Hildegard Ausweisholer', 'hilde@alt.example', '0170 424242', 'Brösel');
    f.clock.set(WEDNESDAY_0800);
    // Someone with a future appointment, whose data must stay.
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse('2026-11-27T09:00:00+01:00'),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Nora Zukunft', email: 'nora@neu.example' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'test',
    });
  });
  afterAll(async () => f.close());

  it('leaves no name, email or phone of an appointment older than 30 days anywhere in the database; statistics survive', async () => {
    expect((await findAnywhere(f, needles)).length).toBeGreaterThan(3);
    await refreshStatistics(f.ctx);
    const before = await readStatistics(f.ctx, lead, { officeId: 'test', from: '2026-09-01', to: '2026-11-25', period: 'week' });

    const report = await applyRetention(f.ctx, { retentionDays: 30 });
    expect(report.appointments).toBe(month.appointments.length + 1);
    expect(report.documents).toBe(1);
    expect(await findAnywhere(f, needles)).toEqual([]);
    expect(await findAnywhere(f, ['Nora Zukunft', 'nora@neu.example'])).toEqual(
      expect.arrayContaining(['appointment.citizen_name', 'appointment.citizen_email']),
    );

    // Recomputed from scratch after the deletion, the figures are the same.
    await f.ctx.db.deleteFrom('stat_hourly').execute();
    await f.ctx.db.deleteFrom('stat_watermark').execute();
    await refreshStatistics(f.ctx);
    const after = await readStatistics(f.ctx, lead, { officeId: 'test', from: '2026-09-01', to: '2026-11-25', period: 'week' });
    expect(after.total).toEqual(before.total);
    expect(after.periods).toEqual(before.periods);

    const runs = await f.ctx.db.selectFrom('job_run').selectAll().where('job', '=', 'retention').execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.details).toMatchObject({ retentionDays: 30, appointments: month.appointments.length + 1 });
    // A second run finds nothing left to do.
    expect(await applyRetention(f.ctx, { retentionDays: 30 })).toMatchObject({ appointments: 0, outbox: 0, documents: 0 });
  });
});
