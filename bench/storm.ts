import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { startServer, type ServerProcess } from '../test/helpers/server-process.ts';
import type { DB } from '../src/db/schema.ts';
import { benchDatabase, countOverbookedUnits } from './bench-town.ts';
import { drive, driveAtRate, jsonClient, percentile, timed } from './load.ts';
import { CITIZENS, seedStormDistrict, STORM_SERVICES, type StormTown } from './storm-seed.ts';

/**
 * `npm run bench -- storm [--db postgres|pglite] [--seconds 30] [--concurrency 64] [--history 1000000]
 *   [--workers N] [--pool N] [--no-pgbench] [--profile DIR] [--rate N] [--node-args "FLAGS"] [--towns N]`
 * Monday 07:00: a district's two weeks open at once and everyone comes. Clients act like people:
 * most search a few days before they book, a quarter go for the earliest slot at the popular office,
 * some give up. Prints one JSON line; on PostgreSQL also pgbench's TPC-B rate at the same concurrency.
 * `--rate N` lets N people arrive per second instead (open loop) to show latency below saturation.
 * `--node-args` adds Node flags to the server's (after the launcher's own, so the same flag overrides).
 * `--towns N` (#20): the ten offices belong to N towns of one Kreis installation, each with its own
 * services, all releasing at the same moment; every person searches and books on one town's API
 * (`?municipality=`), which keeps the search inside that town.
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'postgres' },
      seconds: { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '64' },
      history: { type: 'string', default: '1000000' },
      workers: { type: 'string' },
      pool: { type: 'string' },
      'no-pgbench': { type: 'boolean', default: false },
      rate: { type: 'string' },
      profile: { type: 'string' },
      'node-args': { type: 'string' },
      towns: { type: 'string', default: '1' },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.concurrency);
  const history = Number(values.history);
  const database = await benchDatabase(values.db);
  const isPostgres = database.kind === 'postgres';
  // One app process by default, so that server_rss_mb is the whole server; on two cores shared with
  // PostgreSQL and the load generator, --workers 2 answers 15–20 % more at twice the memory (docs/scaling.md).
  const workers = Number(values.workers ?? 1);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const pgbenchTps = isPostgres && !values['no-pgbench'] ? await runPgbench(clients, Math.min(seconds, 20), progress) : null;

    progress(`seeding a district with ${history} past appointments …`);
    const seeding = await database.open();
    const townCount = Number(values.towns);
    if (!Number.isInteger(townCount) || townCount < 1 || townCount > 10)
      throw new Error('--towns takes 1 to 10 (one office each at least)');
    const { towns } = await seedStormDistrict(seeding.db, { offices: 10, counters: 60, history, towns: townCount, onProgress: progress });
    // PostgreSQL's statistics; PGlite's restart between seeding and serving resets them.
    const seqScansBefore = isPostgres ? await seqScans(seeding.db) : null;
    const transactionsBefore = isPostgres ? await transactions(seeding.db) : null;
    await seeding.close();

    const env: Record<string, string> = {
      ...database.env,
      SCHALTER_DEMO: 'off',
      SCHALTER_CONFIRMATION: 'email',
      SCHALTER_RATE_LIMIT: 'off',
      SCHALTER_CAPACITY_DAYS: '21',
      SCHALTER_WORKERS: String(workers),
      SMTP_URL: 'smtp://127.0.0.1:9', // never reached: the outbox keeps the mails, which is what we want
    };
    if (values.pool) env.SCHALTER_DB_POOL = values.pool;
    const nodeArgs = [
      ...(values['node-args']?.split(' ').filter(Boolean) ?? []),
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
    ];
    const server = await startServer(env, 180_000, nodeArgs);
    const rss = sampleRss(server.child.pid!);
    const cpuBefore = serverCpuMs(server.child.pid!);
    const postgresCpuBefore = isPostgres ? postgresCpuMs() : 0;
    const clientCpuBefore = process.cpuUsage();
    let conflicts = 0;
    let contactLimited = 0;
    let cpuUsed = 0;
    let postgresCpuUsed: number | null = null;
    let clientCpuUsed = 0;
    let run: Awaited<ReturnType<typeof drive<'search' | 'booking'>>> & { peakInProgress?: number };
    const arrivalRate = values.rate ? Number(values.rate) : null;
    try {
      const call = jsonClient(server.url, clients);
      const step = (_n: number, record: Record_) =>
        person(
          call,
          pick(towns),
          towns.length > 1,
          record,
          () => conflicts++,
          () => contactLimited++,
        );
      run = arrivalRate
        ? await driveAtRate<'search' | 'booking'>({ rate: arrivalRate, seconds, step })
        : await drive<'search' | 'booking'>({ clients, seconds, step });
    } finally {
      rss.stop();
      cpuUsed = serverCpuMs(server.child.pid!) - cpuBefore;
      postgresCpuUsed = isPostgres ? postgresCpuMs() - postgresCpuBefore : null;
      const client = process.cpuUsage(clientCpuBefore);
      clientCpuUsed = (client.user + client.system) / 1000;
      await stopGracefully(server);
    }
    const check = await database.open();
    const overbooked = await countOverbookedUnits(check.db);
    const seqScansAfter = isPostgres ? await seqScans(check.db) : null;
    const transactionsAfter = isPostgres ? await transactions(check.db) : null;
    const historyRows = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM appointment WHERE starts_at < now() - interval '1 day'`.execute(check.db)).rows[0]
        ?.n ?? 0,
    );
    await check.close();

    const searches = run.samples.get('search') ?? { latencies: [], failures: 0 };
    const bookings = run.samples.get('booking') ?? { latencies: [], failures: 0 };
    const bookingsPerS = round(bookings.latencies.length / run.elapsedS);
    const requests = Math.max(1, searches.latencies.length + bookings.latencies.length + conflicts + contactLimited);
    console.log(
      JSON.stringify({
        db: database.kind,
        // With --rate: people arriving per second (open loop), and the most in progress at once.
        concurrency: run.peakInProgress ?? clients,
        ...(arrivalRate ? { arrivals_per_s: arrivalRate } : {}),
        workers,
        towns: towns.length,
        searches_per_s: round(searches.latencies.length / run.elapsedS),
        search_p50_ms: round(percentile(searches.latencies, 50)),
        search_p99_ms: round(percentile(searches.latencies, 99)),
        bookings_per_s: bookingsPerS,
        booking_p50_ms: round(percentile(bookings.latencies, 50)),
        booking_p99_ms: round(percentile(bookings.latencies, 99)),
        conflicts,
        contact_limited: contactLimited,
        errors: searches.failures + bookings.failures,
        overbooked_units: overbooked,
        history_rows: historyRows,
        appointment_seq_scans: seqScansAfter === null || seqScansBefore === null ? null : seqScansAfter - seqScansBefore,
        server_rss_mb: rss.peakMb(),
        server_rss_mb_largest_process: rss.largestProcessMb(),
        // Independent of how busy the shared machine is: server CPU per answered request.
        server_cpu_ms_per_request: round(cpuUsed / requests, 2),
        // Where the rest of the two cores went: PostgreSQL's processes and this load generator.
        postgres_cpu_ms_per_request: postgresCpuUsed === null ? null : round(postgresCpuUsed / requests, 2),
        client_cpu_ms_per_request: round(clientCpuUsed / requests, 2),
        // Statements in autocommit count as transactions too: about the database round trips per request.
        postgres_transactions_per_request:
          transactionsAfter === null || transactionsBefore === null ? null : round((transactionsAfter - transactionsBefore) / requests, 2),
        pgbench_tps: pgbenchTps,
        bookings_per_pgbench_tps: pgbenchTps ? round(bookingsPerS / pgbenchTps, 3) : null,
        load_avg_1m: round(Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0])),
      }),
    );
  } finally {
    await database.drop();
  }
}

type Record_ = (kind: 'search' | 'booking', ms: number, ok: boolean) => void;
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** One person: a few searches, then (usually) a booking. */
async function person(
  call: ReturnType<typeof jsonClient>,
  town: StormTown,
  kreis: boolean,
  record: Record_,
  onConflict: () => void,
  onContactLimit: () => void,
): Promise<void> {
  const service = town.serviceId(Math.random() < 0.5 ? 'ausweis' : pick(STORM_SERVICES));
  const eager = Math.random() < 0.25;
  const officeIds = town.officeIds;
  const office = eager || Math.random() < 0.3 ? officeIds[0]! : pick(officeIds);
  // A town's homepage asks its own site; one API for the whole Kreis names the town.
  const ofTown = kreis ? `&municipality=${town.id}` : '';
  let slots: { officeId: string; start: string }[] = [];
  const searches = eager ? 1 : 1 + Math.floor(Math.random() * 4);
  for (let i = 0; i < searches; i++) {
    const day = new Date(Date.now() + (1 + Math.floor(Math.random() * 13)) * 86_400_000).toISOString().slice(0, 10);
    const query = eager ? `office=${office}&limit=5` : `office=${office}&from=${day}&to=${day}&limit=20`;
    const [res, ms] = await timed(() => call('GET', `/api/v1/availability?services=${service}&${query}${ofTown}`));
    record('search', ms, res.status === 200);
    slots = (res.body as { slots?: { officeId: string; start: string }[] }).slots ?? [];
  }
  if (slots.length === 0 || Math.random() < 0.1) return;
  const slot = eager ? slots[0]! : pick(slots);
  const citizen = Math.floor(Math.random() * CITIZENS);
  const [res, ms] = await timed(() =>
    call('POST', `/api/v1/appointments${kreis ? `?municipality=${town.id}` : ''}`, {
      officeId: slot.officeId,
      start: slot.start,
      services: [{ serviceId: service, persons: 1 }],
      citizen: { name: `Bürgerin ${citizen}`, email: `buerger${citizen}@example.org` },
      language: 'de',
    }),
  );
  const code = (res.body as { error?: { code?: string } }).error?.code;
  if (res.status === 409 && code === 'slot_unavailable') onConflict();
  else if (res.status === 409 && code === 'contact_limit_reached') onContactLimit();
  else record('booking', ms, res.status === 201);
}

/** Sequential scans of the appointment tables so far (PostgreSQL's statistics; null where unavailable). */
async function seqScans(db: Kysely<DB>): Promise<number | null> {
  try {
    const { rows } = await sql<{
      n: string;
    }>`SELECT coalesce(sum(seq_scan), 0) AS n FROM pg_stat_user_tables WHERE relname IN ('appointment', 'appointment_service')`.execute(db);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

/** Committed and rolled-back transactions of the bench database so far (PostgreSQL's statistics; null where unavailable). */
async function transactions(db: Kysely<DB>): Promise<number | null> {
  try {
    const { rows } = await sql<{
      n: string;
    }>`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`.execute(db);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

/** Peak resident memory of the server and its worker processes (summed, and the largest single one), sampled twice a second. */
function sampleRss(pid: number): { stop(): void; peakMb(): number; largestProcessMb(): number } {
  let peak = 0;
  let largest = 0;
  const sample = () => {
    try {
      const out = execFileSync('ps', ['-o', 'pid=,ppid=,rss=', '-e'], { encoding: 'utf8' });
      let total = 0;
      for (const line of out.trim().split('\n')) {
        const [p, pp, kb] = line.trim().split(/\s+/).map(Number);
        if (p === pid || pp === pid) {
          total += kb ?? 0;
          largest = Math.max(largest, kb ?? 0);
        }
      }
      peak = Math.max(peak, total);
    } catch {
      // ps missing: report 0
    }
  };
  const timer = setInterval(sample, 500);
  sample();
  return { stop: () => clearInterval(timer), peakMb: () => Math.round(peak / 1024), largestProcessMb: () => Math.round(largest / 1024) };
}

/** CPU time (user + system) of the server process and its workers so far, in ms. */
function serverCpuMs(pid: number): number {
  return cpuMsOf((entry, _command, parent) => entry === pid || parent === pid);
}

/** CPU time of all PostgreSQL processes on this machine (the bench's server is local), in ms. */
function postgresCpuMs(): number {
  return cpuMsOf((_entry, command) => command === 'postgres');
}

function cpuMsOf(matches: (pid: number, command: string, parent: number) => boolean): number {
  const ticksPerS = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!matches(Number(entry), command, Number(fields[1]))) continue;
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (total / ticksPerS) * 1000;
}

async function stopGracefully(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** pgbench's TPC-B-like transactions per second on the same PostgreSQL, in a database of its own. */
async function runPgbench(clients: number, seconds: number, progress: (line: string) => void): Promise<number | null> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `schalter_pgbench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    progress(`pgbench: initialising (scale 10) …`);
    execFileSync('pgbench', ['-i', '-q', '-s', '10', url.toString()], { stdio: 'ignore' });
    progress(`pgbench: ${clients} clients for ${seconds} s …`);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), url.toString()]);
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.stderr.on('data', (chunk) => (text += chunk));
      child.on('error', reject);
      child.on('exit', () => resolve(text));
    });
    const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
    return match ? round(Number(match[1])) : null;
  } catch (error) {
    progress(`pgbench failed: ${(error as Error).message}`);
    return null;
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
