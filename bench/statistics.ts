import { sql } from 'kysely';
import { refreshStatistics } from '../src/app/statistics/refresh-statistics.ts';
import { readStatistics } from '../src/app/statistics/read-statistics.ts';
import { createFixture } from '../test/helpers/fixture.ts';
import { generateMonth } from '../test/helpers/statistics-month.ts';

// A year of history at one office (12 generated months, about 5 000 appointments, 20 000 events,
// 6 000 tickets): how long the first refresh takes, how long a year's report takes, and the plan of
// the report's query — it must read stat_hourly by its index, never the raw events.
// `npm run bench -- statistics` (PGlite) or with DATABASE_URL set (PostgreSQL). Prints JSON.
export async function main(): Promise<void> {
  const f = await createFixture({ counters: 2, poolSize: 4 });
  const lead = {
    kind: 'user' as const,
    id: 'bench',
    label: 'bench',
    role: 'admin' as const,
    officeIds: [],
    municipalityId: null,
    personalData: true,
  };
  let t = Date.now();
  for (let m = 1; m <= 12; m++) await generateMonth(f.ctx.db, `2025-${String(m).padStart(2, '0')}`, { perDay: 20, seed: m });
  const generateMs = Date.now() - t;
  t = Date.now();
  const refresh = await refreshStatistics(f.ctx);
  const refreshMs = Date.now() - t;
  t = Date.now();
  const again = await refreshStatistics(f.ctx);
  const incrementalMs = Date.now() - t;
  t = Date.now();
  const report = await readStatistics(f.ctx, lead, { officeId: 'test', from: '2025-01-01', to: '2025-12-31', period: 'week' });
  const reportMs = Date.now() - t;
  const plan = await sql<{
    'QUERY PLAN': string;
  }>`EXPLAIN SELECT * FROM stat_hourly WHERE office_id = 'test' AND service_id = '*' AND day >= '2025-01-01' AND day <= '2025-12-31' ORDER BY day, hour`.execute(
    f.ctx.db,
  );
  const counts = await sql<{
    events: string;
    rows: string;
  }>`SELECT (SELECT count(*) FROM appointment_event)::text AS events, (SELECT count(*) FROM stat_hourly)::text AS rows`.execute(f.ctx.db);
  console.log(
    JSON.stringify(
      {
        db: f.database.kind,
        generateMs,
        refresh: { ...refresh, wallMs: refreshMs },
        incremental: { ...again, wallMs: incrementalMs },
        reportMs,
        booked: report.total.booked,
        ...counts.rows[0],
        plan: plan.rows.map((r) => r['QUERY PLAN']),
      },
      null,
      2,
    ),
  );
  await f.close();
}
