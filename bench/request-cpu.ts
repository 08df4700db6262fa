import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { killHard, startServer } from '../test/helpers/server-process.ts';
import { benchDatabase, type BenchDatabase } from './bench-town.ts';
import { jsonClient } from './load.ts';
import { seedStormDistrict, STORM_SERVICES } from './storm-seed.ts';

type Kind = 'search_day' | 'search_earliest' | 'booking';
type Call = ReturnType<typeof jsonClient>;
type Target = {
  call: Call;
  cpuNs(): number;
  stop(): Promise<void>;
  settled?: () => Promise<void>;
  profile?: (kind: Kind) => Promise<() => Promise<void>>;
};

/**
 * `npm run bench -- request-cpu [--db postgres|pglite] [--requests 3000] [--concurrency 16] [--rounds 3]
 *   [--only search_day,search_earliest,booking] [--profile DIR] [--in-process]`
 * The server's own CPU per request on the storm's two hot paths (issue #7), without the storm's noise:
 * a fixed number of requests of one kind at a time against the storm district (no history), and the
 * CPU time the server process spent meanwhile (all its threads, in ns from /proc). On a machine shared
 * with other work throughput varies from run to run, CPU per request much less, so this is the figure
 * to compare before and after a change. `--in-process` calls app.request() in this process instead
 * (no sockets, no outbox worker; includes building each Request and reading each body): the cost of
 * the application's own JavaScript. Prints one JSON line per round and one with the medians.
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'postgres' },
      requests: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string' },
      profile: { type: 'string' },
      'in-process': { type: 'boolean', default: false },
    },
  });
  const options = {
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    kinds: values.only ? (values.only.split(',') as Kind[]) : (['search_day', 'search_earliest', 'booking'] as Kind[]),
  };
  const results: Record<string, number>[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const database = await benchDatabase(values.db);
    try {
      const seeding = await database.open();
      const { officeIds } = await seedStormDistrict(seeding.db, { offices: 10, counters: 60, history: 0 });
      await seeding.close();
      const target = values['in-process']
        ? await inProcess(database, values.profile)
        : await serverProcess(database, options.concurrency, values.profile);
      try {
        results.push(await measure(target, database, officeIds, { ...options, round }));
      } finally {
        await target.stop();
      }
    } finally {
      await database.drop();
    }
    console.log(JSON.stringify({ round, ...results.at(-1) }));
  }
  const medians = Object.fromEntries(options.kinds.map((kind) => [kind, median(results.map((r) => r[kind]!))]));
  console.log(
    JSON.stringify({
      median_server_cpu_ms_per_request: medians,
      ...options,
      inProcess: values['in-process'],
      load_avg_1m: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    }),
  );
}

// The storm bench's settings: mails are rendered into the outbox, the relay is never reached.
const SERVER_ENV = {
  SCHALTER_DEMO: 'off',
  SCHALTER_CONFIRMATION: 'email',
  SCHALTER_RATE_LIMIT: 'off',
  SCHALTER_CAPACITY_DAYS: '21',
  SMTP_URL: 'smtp://127.0.0.1:9',
};

async function serverProcess(database: BenchDatabase, connections: number, profile: string | undefined): Promise<Target> {
  const server = await startServer({ ...database.env, ...SERVER_ENV }, 180_000, profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
  const pid = server.child.pid!;
  return {
    call: jsonClient(server.url, connections),
    cpuNs: () => threadsCpuNs(pid),
    // The jobs that start 5 s after the server (statistics, lead times, retention) must not run inside a measurement.
    settled: async () => {
      const deadline = Date.now() + 60_000;
      while (!server.output().includes('Löschfrist') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    },
    stop: async () => {
      if (!profile) return killHard(server);
      // --cpu-prof writes the profile on a normal exit only.
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    },
  };
}

async function inProcess(database: BenchDatabase, profileDir: string | undefined): Promise<Target> {
  const [{ loadConfig }, { openRuntime }, { createHttpApp }, cache] = await Promise.all([
    import('../src/config.ts'),
    import('../src/bootstrap.ts'),
    import('../src/http/app.ts'),
    import('../src/app/booking/availability-cache.ts'),
  ]);
  const runtime = await openRuntime(loadConfig({ ...database.env, ...SERVER_ENV }), () => {});
  // As serve.ts does once the seat-change notices flow (or always on the embedded database).
  cache.setAvailabilityCacheTtl(cache.TRUSTED_TTL_MS);
  const app = createHttpApp({
    ctx: runtime.ctx,
    dbKind: runtime.database.kind,
    rateLimitPerMinute: null,
    log: (message, error) => console.error(message, error),
  });
  return {
    call: async (method, path, body) => {
      const res = await app.request(
        path,
        body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
      return { status: res.status, body: await res.json() };
    },
    cpuNs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) * 1000;
    },
    stop: () => runtime.shutdown(),
    ...(profileDir ? { profile: (kind: Kind) => profilePhase(profileDir, kind) } : {}),
  };
}

/** A V8 CPU profile of this process from now until the returned function is called (--in-process --profile). */
async function profilePhase(dir: string, kind: Kind): Promise<() => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${kind}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

async function measure(
  target: Target,
  database: BenchDatabase,
  officeIds: string[],
  options: { requests: number; concurrency: number; kinds: Kind[]; round: number },
): Promise<Record<string, number>> {
  const { call } = target;
  const days = Array.from({ length: 13 }, (_, i) =>
    Temporal.Now.plainDateISO('Europe/Berlin')
      .add({ days: i + 1 })
      .toString(),
  );
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
  const searchDay = (i: number) =>
    `/api/v1/availability?services=${pick(STORM_SERVICES, i)}&office=${pick(officeIds, i * 7)}&from=${pick(days, i * 3)}&to=${pick(days, i * 3)}&limit=20`;
  const searchEarliest = (i: number) => `/api/v1/availability?services=${pick(STORM_SERVICES, i)}&office=${officeIds[0]}&limit=5`;
  const result: Record<string, number> = {};
  // Warm-up: JIT (a few thousand requests until the hot code is optimised), connection pool, cached
  // days (the storm's searches are mostly answered from them).
  await run(options.concurrency, 4000, (i) => get(call, i % 2 ? searchDay(i) : searchEarliest(i)));
  await target.settled?.();
  for (const kind of options.kinds) {
    let work: (i: number) => Promise<void>;
    if (kind === 'booking') {
      const slots = await freeSlots(call, officeIds, days, options.requests);
      work = (i) => book(call, slots[i]!, `${options.round}-${i}`);
    } else work = (i) => get(call, kind === 'search_day' ? searchDay(i) : searchEarliest(i));
    const transactionsBefore = await transactions(database);
    const stopProfile = await target.profile?.(kind);
    const before = target.cpuNs();
    await run(options.concurrency, options.requests, work);
    result[kind] = Math.round((target.cpuNs() - before) / options.requests / 1e3) / 1e3;
    await stopProfile?.();
    const transactionsAfter = await transactions(database);
    if (transactionsBefore !== null && transactionsAfter !== null)
      result[`${kind}_db_transactions`] = Math.round(((transactionsAfter - transactionsBefore) / options.requests) * 100) / 100;
  }
  return result;
}

async function run(concurrency: number, total: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++);
    }),
  );
}

async function get(call: Call, path: string): Promise<void> {
  const res = await call('GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

type FreeSlot = { officeId: string; start: string; serviceId: string };

/** Starts that do not overlap (per office), so every booking of the phase succeeds. */
async function freeSlots(call: Call, officeIds: string[], days: string[], wanted: number): Promise<FreeSlot[]> {
  const slots: FreeSlot[] = [];
  for (const day of days) {
    for (const officeId of officeIds) {
      const res = await call('GET', `/api/v1/availability?services=ausweis&office=${officeId}&from=${day}&to=${day}&limit=1000`);
      let lastEnd = '';
      for (const slot of (res.body as { slots: { start: string; end: string }[] }).slots) {
        if (slot.start < lastEnd) continue;
        slots.push({ officeId, start: slot.start, serviceId: 'ausweis' });
        lastEnd = slot.end;
      }
    }
  }
  if (slots.length < wanted) throw new Error(`only ${slots.length} free slots for ${wanted} bookings`);
  // Spread over offices and days as the storm's people are, not one day filled after the other.
  return slots.sort((a, b) => hash(a.officeId + a.start) - hash(b.officeId + b.start)).slice(0, wanted);
}

async function book(call: Call, slot: FreeSlot, who: string): Promise<void> {
  // The storm bench's body (bench/storm.ts person()).
  const res = await call('POST', '/api/v1/appointments', {
    officeId: slot.officeId,
    start: slot.start,
    services: [{ serviceId: slot.serviceId, persons: 1 }],
    citizen: { name: `Bürgerin ${who}`, email: `buerger${who}@example.org` },
    language: 'de',
  });
  if (res.status !== 201) throw new Error(`booking ${JSON.stringify(slot)}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Transactions of the bench database so far (about the round trips); null on PGlite. */
async function transactions(database: BenchDatabase): Promise<number | null> {
  if (database.kind !== 'postgres') return null;
  const check = await database.open();
  try {
    const { rows } = await sql<{
      n: string;
    }>`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`.execute(check.db);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await check.close();
  }
}

/** CPU time of every thread of the process (main thread, GC and libuv helpers), in ns. */
function threadsCpuNs(pid: number): number {
  let total = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

const hash = (text: string) => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
