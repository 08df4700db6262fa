import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { materializeCapacity } from './app/booking/materialize-capacity.ts';
import { scheduleClosureJobs } from './app/closures/closure-runner.ts';
import { isDatabaseEmpty, seedDemo } from './app/demo/seed-demo.ts';
import { formatDate } from './app/messaging/appointment-messages.ts';
import { expireReservations } from './app/appointments/expire-reservations.ts';
import { runReleaseLottery } from './app/booking/run-release-lottery.ts';
import { scheduleStatisticsJobs } from './app/statistics/statistics-jobs.ts';
import { sweepWaitingList } from './app/waiting-list/sweep-waiting-list.ts';
import { sweepNoShows } from './app/appointments/sweep-no-shows.ts';
import { flushSearchMisses } from './app/statistics/statistics-demand.ts';
import { openRuntime, type Runtime } from './bootstrap.ts';
import { startBranchRole, type BranchRole } from './sync/branch-role.ts';
import { ConfigError, type Config } from './config.ts';
import { createHttpApp } from './http/app.ts';
import { createMailTransport } from './notify/mail-transport.ts';
import { startOutboxWorker } from './notify/outbox-worker.ts';
import { createSmsGateway } from './notify/sms-gateway.ts';
import {
  applySeatChange,
  clearAvailabilityCache,
  publishSeatChangesWith,
  setAvailabilityCacheTtl,
  SHORT_TTL_MS,
  TRUSTED_TTL_MS,
} from './app/booking/availability-cache.ts';
import { startSeatChangeNotices } from './db/seat-change-notices.ts';
import { asBackgroundWork } from './db/background-work.ts';
import { createLogger } from './logger.ts';
import { maskSecrets } from './log-masking.ts';
import { startControlListener } from './http/control/control-listener.ts';
import { takeBackup } from './db/backup-snapshot.ts';
import { exportTown, UnknownTownError } from './db/town-export.ts';
import { DomainError } from './domain/errors.ts';
import { SCHALTER_VERSION } from './version.ts';
import { createMetrics, serveClusterScrapes } from './http/metrics/metrics-registry.ts';
import { stopWithNpm } from './parent-watch.ts';
import { startupLegalWarning } from './startup-warnings.ts';

// Every line the server writes passes the secret masking (logger.ts): job errors can quote a link or
// a token. JSON lines on standard output unless it is a terminal.
const logger = createLogger();
const log = (line: string) => logger.info(line);
const logError = (message: string, error?: unknown) => logger.error(message, error);
// Start-up warnings an operator must see go to standard error as plain text.
const warn = (line: string) => console.error(maskSecrets(line));

/**
 * `schalter serve`: everything one office or a small town needs, in one process. With PostgreSQL and
 * SCHALTER_WORKERS=n it forks n HTTP processes (node:cluster) sharing the port: the app keeps no
 * state of its own beyond caches, the database is the only coordination point.
 */
export async function runServer(config: Config): Promise<void> {
  logger.setLevel(config.logLevel);
  if (config.workers > 1 && !config.databaseUrl) {
    throw new ConfigError([
      'SCHALTER_WORKERS: several processes need PostgreSQL (DATABASE_URL); the embedded database belongs to one process',
    ]);
  }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  if (cluster.isWorker && process.env[PREPARE_ROLE] === '1') return runPreparation(config);
  if (cluster.isWorker) return runWorker(config);

  const runtime = await openRuntime(config, log);
  // A branch node gets its data from the central server's change feed; jobs (mail, closures) run centrally.
  const branchConfig = config.branch;
  const branch = branchConfig ? await asBackgroundWork(() => startBranchRole(runtime, branchConfig, log)) : null;
  if (!branch) await prepareDatabase(runtime.ctx, config);
  await runHttp(config, runtime, { jobs: !branch, announce: true, branch });
}

async function prepareDatabase(ctx: Runtime['ctx'], config: Config): Promise<void> {
  const empty = await isDatabaseEmpty(ctx.db);
  if (empty && !config.seedDemoWhenEmpty) {
    // SCHALTER_DEMO=off on a fresh installation: the site says it is not set up; this line says what to do.
    log(
      'Noch keine Stadt eingerichtet. Nächster Schritt: „schalter setup init > stadt.yaml“, die Datei anpassen, „schalter setup check stadt.yaml“, dann „schalter setup apply stadt.yaml“ (geht auch, während der Server läuft). / ' +
        'No town set up yet. Next: schalter setup init > stadt.yaml, edit it, schalter setup check stadt.yaml, then schalter setup apply stadt.yaml (works while the server runs).',
    );
  }
  if (config.seedDemoWhenEmpty && empty) {
    log('Leere Datenbank: lade Demodaten „Musterstadt“ / empty database: loading demo data');
    const seeded = await seedDemo(ctx, { onProgress: (done, total, label) => log(`  ${label} ${done}/${total}`) });
    log(
      `  ${seeded.offices} Standorte, ${seeded.services} Dienstleistungen, ${seeded.appointments} Termine, die meisten am ${formatDate(new Date(`${seeded.thursday}T12:00:00Z`), 'UTC', 'de')} / ` +
        `${seeded.offices} offices, ${seeded.services} services, ${seeded.appointments} appointments, most of them on ${formatDate(new Date(`${seeded.thursday}T12:00:00Z`), 'UTC', 'en')}`,
    );
  }
  await materializeCapacity(ctx);
  // Once per start (the cluster's preparation worker, or the single process). A branch node never gets
  // here: its town comes with the central server's feed, and the central server warns.
  const legal = await startupLegalWarning(ctx, config);
  if (legal) warn(legal);
}

const PREPARE_ROLE = 'SCHALTER_CLUSTER_PREPARE';

/**
 * The primary has the database prepared once (migrations, demo data, capacity) by a short-lived
 * worker — so that the primary itself, which only watches the workers, never holds the app's data
 * in memory — then keeps n workers running; one of them runs the jobs.
 */
async function runPrimary(config: Config): Promise<void> {
  const preparation = cluster.fork({ [PREPARE_ROLE]: '1' });
  const code = await new Promise<number | null>((resolve) => preparation.once('exit', (exitCode) => resolve(exitCode)));
  if (code !== 0) {
    logError('Vorbereitung der Datenbank fehlgeschlagen (siehe oben) / preparing the database failed (see above)');
    process.exit(1);
  }
  let lead: Worker | undefined;
  let listening = 0;
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    if (!lead || lead.isDead()) {
      lead = worker;
      worker.send({ role: 'lead' });
    }
    worker.once('listening', () => {
      if (++listening === config.workers)
        log(`Schalter läuft / is running: ${config.publicUrl}  (${config.workers} Prozesse / processes, PostgreSQL)`);
    });
    worker.once('exit', (code) => {
      if (stopping) return;
      logError(`worker ${worker.process.pid} exited with ${code}; starting another`);
      fork();
    });
  };
  serveClusterScrapes();
  for (let i = 0; i < config.workers; i++) fork();
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: fahre herunter / shutting down`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', () => --left === 0 && process.exit(0));
      worker.process.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  stopWithNpm((why) => stop(why));
}

async function runPreparation(config: Config): Promise<void> {
  const runtime = await openRuntime(config, log);
  await prepareDatabase(runtime.ctx, config);
  await runtime.shutdown();
  process.exit(0);
}

async function runWorker(config: Config): Promise<void> {
  // Only the lead worker runs the outbox and the timers; the primary tells it so.
  const isLead = new Promise<boolean>((resolve) => {
    process.once('message', (message: { role?: string }) => resolve(message?.role === 'lead'));
    setTimeout(() => resolve(false), 2_000).unref();
  });
  const runtime = await openRuntime(config, () => {});
  await runHttp(config, runtime, { jobs: await isLead, announce: false });
}

async function runHttp(
  config: Config,
  runtime: Runtime,
  options: { jobs: boolean; announce: boolean; branch?: BranchRole | null },
): Promise<void> {
  const { ctx, database } = runtime;

  const transport = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom });
  const sms = config.sms ? createSmsGateway(config.sms) : undefined;
  // Jobs run as background work: on the embedded database they let requests go first (db/background-work.ts).
  const outbox = options.jobs
    ? asBackgroundWork(() => startOutboxWorker({ db: ctx.db, transport, sms, log: { info: log, error: logError } }))
    : null;
  // Interrupted closures resume at start; unanswered replacement holds lapse at their deadline.
  const closures = options.jobs ? asBackgroundWork(() => scheduleClosureJobs(ctx, { info: log, error: logError })) : null;
  const every = (ms: number, job: () => Promise<unknown>, name: string) =>
    asBackgroundWork(() => setInterval(() => job().catch((error) => logError(`${name} failed`, error)), ms).unref());
  const timers = !options.jobs
    ? []
    : [
        every(30_000, () => expireReservations(ctx), 'Expiring reservations'),
        // A confirmed appointment nobody checked in for becomes a no-show once its check-in window closes (#17).
        every(60_000, () => sweepNoShows(ctx), 'No-show sweep'),
        // Waiting list (#5): lapsed offers pass on, free seats are held for the first suitable entry in line.
        every(30_000, () => sweepWaitingList(ctx), 'Waiting list'),
        // Keeps the capacity horizon moving forward day by day.
        every(60 * 60_000, () => materializeCapacity(ctx), 'Capacity refresh'),
        // Fair release window: decides the collected requests soon after the window closes (docs/scaling.md).
        ...(config.fairReleaseMinutes ? [every(5_000, () => runReleaseLottery(ctx), 'Release lottery')] : []),
        // Statistics refresh, lead-time snapshot, retention of personal data (#8); each run is logged.
        ...asBackgroundWork(() =>
          scheduleStatisticsJobs(ctx, {
            every,
            log,
            retentionDays: config.retentionDays,
            retentionCopies: transport.copies ? [transport.copies] : [],
          }),
        ),
      ];
  // Every process counts its citizens' empty searches in memory (#8) and adds them up each minute.
  const demandFlush = every(60_000, () => flushSearchMisses(ctx.db), 'Search-miss flush');

  // Other app processes on the same PostgreSQL learn of this one's bookings at once (and vice versa).
  // Cached availability is kept longer only while no change can be missed: always on the embedded
  // database (one process, every writer reports), on PostgreSQL while the notices flow.
  const seatNotices =
    database.kind === 'postgres' && config.databaseUrl
      ? startSeatChangeNotices({
          db: ctx.db,
          databaseUrl: config.databaseUrl,
          onChange: (change) => applySeatChange(ctx.db, change),
          onListening: () => {
            clearAvailabilityCache(ctx.db);
            setAvailabilityCacheTtl(TRUSTED_TTL_MS);
          },
          onLost: () => setAvailabilityCacheTtl(SHORT_TTL_MS),
          log: logError,
        })
      : null;
  if (seatNotices) publishSeatChangesWith(ctx.db, seatNotices.publish);
  else if (database.kind === 'pglite') setAvailabilityCacheTtl(TRUSTED_TTL_MS);

  // Counted by this process; with SCHALTER_WORKERS=n a worker's /metrics asks the primary for all of them.
  const metrics = createMetrics({
    ctx,
    dbKind: database.kind,
    role: config.role,
    version: SCHALTER_VERSION,
    pool: database.pool,
    branchStatus: options.branch?.banner,
    log: logError,
  });
  ctx.metrics = metrics.app;
  const app = createHttpApp({
    metrics: { metrics, networks: config.metricsNetworks },
    requestLog: logger.request,
    ...(options.branch ? { branchStatus: options.branch.banner, journalProblem: options.branch.journalProblem } : {}),
    ctx,
    dbKind: database.kind,
    rateLimitPerMinute: config.rateLimitPerMinute,
    log: logError,
    office: { networks: config.officeNetworks, displayConnectionsPerOffice: config.displayConnectionsPerOffice },
    sso: config.sso,
    pages: {
      altchaHmacKey: config.altchaHmacKey,
      altchaCalmPerMinute: config.altchaCalmPerMinute,
      imprintUrl: config.imprintUrl,
      privacyUrl: config.privacyUrl,
      publishReleaseTime: config.publishReleaseTime,
    },
  });
  if (options.announce && config.altchaHmacKeyGenerated && config.databaseUrl) {
    // Each process would sign bot-check challenges with its own key; behind a load balancer they must share one.
    log(
      'Hinweis: SCHALTER_ALTCHA_HMAC_KEY ist nicht gesetzt; mehrere Prozesse brauchen denselben Schlüssel. / set SCHALTER_ALTCHA_HMAC_KEY when running several processes',
    );
  }
  // On the embedded database this process holds the data folder, so `schalter user add` and the like
  // come here over loopback (docs/decisions/0011-town-file.md); ready before the start-up line below.
  // With PostgreSQL every command opens the database itself.
  const control = config.databaseUrl
    ? null
    : await startControlListener({
        ctx,
        dataDir: config.dataDir,
        version: SCHALTER_VERSION,
        log: logError,
        backup: async () => {
          const { file, manifest } = await takeBackup(database, config);
          log(`Sicherung erstellt / backup taken (${file.byteLength} bytes, ${manifest.migrations.length} migrations)`);
          return file;
        },
        townExport: async (municipalityId) => {
          const { file, counts } = await exportTown(database.db, municipalityId).catch((error: unknown) => {
            // The CLI prints the sentence as it would have in-process.
            throw error instanceof UnknownTownError ? new DomainError('not_found', error.message) : error;
          });
          log(
            `Stadt exportiert / town exported: ${municipalityId} (${counts.reduce((sum, t) => sum + t.rows, 0)} rows, ${file.byteLength} bytes)`,
          );
          return file;
        },
      });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    if (!options.announce) return;
    log(transport.describe);
    log(
      sms?.describe ??
        'SMS: kein Gateway (SCHALTER_SMS_URL) – Mobilnummern kommen auf die Anrufliste / no gateway: mobile-only people go on the call list',
    );
    log(`Datenbank / database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`);
    if (control)
      log(
        `Befehle der Kommandozeile (schalter user, token …) erreichen diesen Server über 127.0.0.1:${control.port} (control.json) / command-line commands reach this server over loopback`,
      );
    log(`Schalter läuft / is running: ${config.publicUrl}  (API: ${config.publicUrl}/api/v1/openapi.json)`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: fahre herunter / shutting down`);
    timers.forEach(clearInterval);
    clearInterval(demandFlush);
    await control?.stop();
    server.close();
    await flushSearchMisses(ctx.db).catch((error) => logError('Search-miss flush failed', error));
    await closures?.stop();
    await outbox?.stop();
    await seatNotices?.stop();
    await options.branch?.stop();
    transport.close?.();
    await runtime.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A worker's parent is the cluster's primary, which stops it; the primary watches npm itself.
  if (cluster.isPrimary) stopWithNpm((why) => void stop(why));
}
