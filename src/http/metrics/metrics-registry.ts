import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { availabilityCacheLookups } from '../../app/booking/availability-cache.ts';
import { readClosureJobFigures } from '../../app/closures/closure-job-figures.ts';
import { readOutboxFigures } from '../../app/messaging/outbox-figures.ts';
import type { AppContext, AppMetrics } from '../../app/shared/context.ts';
import type { DatabaseKind, PoolView } from '../../db/connection.ts';
import type { SyncBanner } from '../../sync/branch-node.ts';

// The one module that knows prom-client (issue 23, item 1). The app counts through AppMetrics
// (ctx.metrics) and keeps plain numbers; the figures that live in the database are read when
// Prometheus scrapes, so nothing here runs between scrapes.

export type MetricsInput = {
  ctx: AppContext;
  dbKind: DatabaseKind;
  role: string;
  version: string;
  pool?: PoolView | undefined;
  /** Set on a branch node: its journal's sync state. */
  branchStatus?: (() => Promise<SyncBanner>) | undefined;
  /** Failures of scrape-time reads (the database away): logged, the gauge left without samples. */
  log?: (message: string, error?: unknown) => void;
};

export type Metrics = {
  registry: Registry;
  /** The text for GET /metrics: this process's, or with SCHALTER_WORKERS=n every worker's together. */
  scrape(): Promise<string>;
  /** What the use cases count with: put it into ctx.metrics. */
  app: AppMetrics;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
};

const OUTBOX_CHANNELS = ['email', 'sms'];
const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced'];

export function createMetrics(input: MetricsInput): Metrics {
  const { ctx } = input;
  const registry = new Registry();
  const registers = [registry];
  const log = input.log ?? (() => {});
  const startedAt = ctx.now();
  // Memory, CPU, file descriptors, event-loop delay, GC of this process.
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'schalter_info',
    aggregator: 'first',
    help: 'Always 1; the labels say the version, role and database of this process.',
    labelNames: ['version', 'role', 'db'],
    registers,
  }).set({ version: input.version, role: input.role, db: input.dbKind }, 1);

  const outbox = sharedRead(() => readOutboxFigures(ctx));
  const closures = sharedRead(() => readClosureJobFigures(ctx));

  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route pattern (never the path: paths carry tokens), method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const bookings = new Counter({
    name: 'schalter_bookings_total',
    help: 'Booking attempts by channel (online, phone, rebooking, waiting_list) and outcome (reserved, confirmed, or the refusal: slot_unavailable, …).',
    labelNames: ['channel', 'outcome'],
    registers,
  });

  new Gauge({
    name: 'schalter_outbox_messages',
    // The same figure in every worker of a cluster: shown once, not summed.
    aggregator: 'first',
    help: 'Messages in the outbox by channel and state (read from the database at scrape time).',
    labelNames: ['channel', 'state'],
    registers,
    async collect() {
      this.reset();
      try {
        const figures = await outbox();
        for (const channel of OUTBOX_CHANNELS) for (const state of OUTBOX_STATES) this.set({ channel, state }, 0);
        for (const row of figures.counts) this.set({ channel: row.channel, state: row.state }, row.count);
      } catch (error) {
        log('metrics: outbox not readable', error);
      }
    },
  });
  new Gauge({
    name: 'schalter_outbox_oldest_unsent_seconds',
    // The same figure in every worker of a cluster: shown once, not summed.
    aggregator: 'first',
    help: 'Age of the oldest queued or sending message; 0 when none waits.',
    registers,
    async collect() {
      this.reset();
      try {
        const { oldestUnsentAt } = await outbox();
        this.set(oldestUnsentAt === null ? 0 : Math.max(0, (ctx.now() - oldestUnsentAt) / 1000));
      } catch {
        // Logged by the gauge above.
      }
    },
  });

  // The cache counts since the process started; each scrape adds what came since the last one.
  let seen = { hits: 0, misses: 0 };
  new Counter({
    name: 'schalter_availability_cache_lookups_total',
    help: 'Office days the slot search needed: answered from the availability cache (hit) or read from the database (miss).',
    labelNames: ['result'],
    registers,
    collect() {
      const now = availabilityCacheLookups();
      this.inc({ result: 'hit' }, Math.max(0, now.hits - seen.hits));
      this.inc({ result: 'miss' }, Math.max(0, now.misses - seen.misses));
      seen = now;
    },
  });

  if (input.pool) registerPool(registers, input.pool);

  new Gauge({
    name: 'schalter_closure_jobs_running',
    // The same figure in every worker of a cluster: shown once, not summed.
    aggregator: 'first',
    help: 'Closure jobs not finished yet.',
    registers,
    async collect() {
      this.reset();
      try {
        this.set((await closures()).running);
      } catch (error) {
        log('metrics: closures not readable', error);
      }
    },
  });
  new Gauge({
    name: 'schalter_closure_job_appointments',
    // The same figure in every worker of a cluster: shown once, not summed.
    aggregator: 'first',
    help: 'Appointments of the running closure jobs by state: pending (still to cancel and tell), done, skipped.',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      try {
        const figures = await closures();
        for (const state of ['pending', 'done', 'skipped']) this.set({ state }, 0);
        for (const row of figures.items) this.set({ state: row.state }, row.count);
      } catch {
        // Logged by the gauge above.
      }
    },
  });

  const branchStatus = input.branchStatus;
  if (branchStatus) {
    new Gauge({
      name: 'schalter_branch_unsynced_operations',
      help: 'Operations of this branch node not yet confirmed by the central server.',
      registers,
      async collect() {
        this.set((await branchStatus()).unsynced);
      },
    });
    new Gauge({
      name: 'schalter_branch_last_contact_seconds',
      help: 'Seconds since the central server last answered this branch node (since the start while it has not yet).',
      registers,
      async collect() {
        const { lastContactAt } = await branchStatus();
        const since = lastContactAt === null ? startedAt : Date.parse(lastContactAt);
        this.set(Math.max(0, (ctx.now() - since) / 1000));
      },
    });
  }

  if (cluster.isWorker) {
    // The primary asks every worker for its figures when one of them is scraped (clusterScrape below).
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return {
    registry,
    scrape: () => (cluster.isWorker ? askPrimary() : registry.metrics()),
    app: { booking: (channel, outcome) => bookings.inc({ channel, outcome }) },
    observeRequest: (route, method, status, seconds) => requests.observe({ route, method, status: String(status) }, seconds),
  };
}

const SCRAPE_REQUEST = 'schalter:metrics-request';
const SCRAPE_RESULT = 'schalter:metrics-result';
let scrapes = 0;

/** A worker's scrape: the primary gathers every worker's figures (prom-client sums counters and histograms). */
function askPrimary(): Promise<string> {
  const id = ++scrapes;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', listen);
      reject(new Error('the primary did not answer the metrics request'));
    }, 10_000);
    const listen = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== SCRAPE_RESULT || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', listen);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    process.on('message', listen);
    process.send!({ type: SCRAPE_REQUEST, id });
  });
}

/**
 * In the primary of SCHALTER_WORKERS=n: answers a worker's scrape with the figures of all workers,
 * so Prometheus sees one process's worth of counters whichever worker the request reached.
 */
export function serveClusterScrapes(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== SCRAPE_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: SCRAPE_RESULT, id: message.id, text }),
      (error: Error) => worker.send({ type: SCRAPE_RESULT, id: message.id, error: error.message }),
    );
  });
}

/**
 * One database read for the gauges that show parts of it: a scrape starts every collect in the same
 * turn of the event loop, so they share the read in flight; the next scrape reads afresh.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => (inFlight ??= read().finally(() => (inFlight = null)));
}

function registerPool(registers: Registry[], pool: PoolView): void {
  new Gauge({
    name: 'schalter_db_pool_max_connections',
    help: 'Size of the database connection pool (1 on the embedded database: one connection, transactions in turn).',
    registers,
  }).set(pool.max);
  new Gauge({
    name: 'schalter_db_pool_connections',
    help: 'Open database connections by state (in_use, idle).',
    labelNames: ['state'],
    registers,
    collect() {
      const { total, idle } = pool.stats();
      this.set({ state: 'in_use' }, total - idle);
      this.set({ state: 'idle' }, idle);
    },
  });
  new Gauge({
    name: 'schalter_db_pool_waiting_requests',
    help: 'Queries waiting for a connection right now.',
    registers,
    collect() {
      this.set(pool.stats().waiting);
    },
  });
  const waits = new Histogram({
    name: 'schalter_db_pool_wait_seconds',
    help: 'How long each query or transaction waited for its database connection.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  pool.onWait((seconds) => waits.observe(seconds));
}
