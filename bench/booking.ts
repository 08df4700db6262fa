import { parseArgs } from 'node:util';
import { Temporal } from 'temporal-polyfill';
import { killHard, startServer } from '../test/helpers/server-process.ts';
import { benchDatabase, countOverbookedUnits, seedBenchTown } from './bench-town.ts';
import { drive, jsonClient, percentile, timed } from './load.ts';

/**
 * `npm run bench -- booking [--db postgres|pglite] [--seconds 20] [--concurrency 32,64]`
 * Clients search a random office and day, pick one of the offered starts and book it, as people do.
 * Prints one JSON line per concurrency for booking, then one for availability search alone.
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'postgres' },
      seconds: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '32,64' },
    },
  });
  const seconds = Number(values.seconds);
  const levels = values.concurrency.split(',').map(Number);
  const database = await benchDatabase(values.db);
  try {
    const seeding = await database.open();
    const officeIds = await seedBenchTown(seeding.db, { offices: 10, counters: 20 });
    await seeding.close();

    const server = await startServer({
      ...database.env,
      SCHALTER_DEMO: 'off',
      SCHALTER_CONFIRMATION: 'none',
      SCHALTER_RATE_LIMIT: 'off',
      SCHALTER_CAPACITY_DAYS: '35',
    });
    const today = Temporal.Now.plainDateISO('Europe/Berlin');
    const randomDay = () => today.add({ days: 1 + Math.floor(Math.random() * 27) }).toString();
    const randomOffice = () => officeIds[Math.floor(Math.random() * officeIds.length)]!;
    const call = jsonClient(server.url, Math.max(...levels));
    let booked = 0;
    // Each booking by another person: the per-contact limit is not what this bench measures.
    let attempts = 0;
    try {
      for (const clients of levels) {
        let conflicts = 0;
        const run = await drive<'booking' | 'search'>({
          clients,
          seconds,
          step: async (client, record) => {
            const day = randomDay();
            const [search, searchMs] = await timed(() =>
              call('GET', `/api/v1/availability?services=short&office=${randomOffice()}&from=${day}&to=${day}&limit=20`),
            );
            const slots = (search.body as { slots?: { officeId: string; start: string }[] }).slots ?? [];
            record('search', searchMs, search.status === 200);
            const slot = slots[Math.floor(Math.random() * slots.length)];
            if (!slot) return;
            const [res, ms] = await timed(() =>
              call('POST', '/api/v1/appointments', {
                officeId: slot.officeId,
                start: slot.start,
                services: [{ serviceId: 'short', persons: 1 }],
                citizen: { name: `Bench ${client}`, email: `bench${client}-${++attempts}@example.org` },
              }),
            );
            if (res.status === 409) conflicts++;
            else record('booking', ms, res.status === 201);
            if (res.status === 201) booked++;
          },
        });
        const bookings = run.samples.get('booking') ?? { latencies: [], failures: 0 };
        const check = await database.open().catch(() => null);
        // PGlite is held by the server process; the overbooking recount runs after the server stops.
        const overbooked = check ? await countOverbookedUnits(check.db) : null;
        await check?.close();
        console.log(
          JSON.stringify({
            db: database.kind,
            concurrency: clients,
            bookings_per_s: round(bookings.latencies.length / run.elapsedS),
            p50_ms: round(percentile(bookings.latencies, 50)),
            p99_ms: round(percentile(bookings.latencies, 99)),
            errors: bookings.failures + (run.samples.get('search')?.failures ?? 0),
            conflicts,
            overbooked_units: overbooked,
          }),
        );
      }
      for (const clients of levels) {
        const run = await drive<'search'>({
          clients,
          seconds: Math.max(5, seconds / 2),
          step: async (_client, record) => {
            const day = randomDay();
            const [res, ms] = await timed(() =>
              call('GET', `/api/v1/availability?services=long&office=${randomOffice()}&from=${day}&to=${day}&limit=50`),
            );
            record('search', ms, res.status === 200);
          },
        });
        const s = run.samples.get('search') ?? { latencies: [], failures: 0 };
        console.log(
          JSON.stringify({
            db: database.kind,
            scenario: 'availability_search',
            concurrency: clients,
            requests_per_s: round(s.latencies.length / run.elapsedS),
            p50_ms: round(percentile(s.latencies, 50)),
            p99_ms: round(percentile(s.latencies, 99)),
            errors: s.failures,
          }),
        );
      }
    } finally {
      await killHard(server);
    }
    if (database.kind === 'pglite') {
      const check = await database.open();
      console.log(JSON.stringify({ db: database.kind, booked_total: booked, overbooked_units: await countOverbookedUnits(check.db) }));
      await check.close();
    }
  } finally {
    await database.drop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
