import path from 'node:path';
import { serve } from '@hono/node-server';
import { materializeCapacity } from './app/capacity-materialization.ts';
import { isDatabaseEmpty, seedDemo } from './app/demo-seed.ts';
import { expireReservations } from './app/expire-reservations.ts';
import { openRuntime } from './bootstrap.ts';
import type { Config } from './config.ts';
import { createHttpApp } from './http/app.ts';
import { createMailTransport } from './notify/mail-transport.ts';
import { startOutboxWorker } from './notify/outbox-worker.ts';

const log = (line: string) => console.log(line);
const logError = (message: string, error?: unknown) => console.error(message, error ?? '');

/** `schalter serve`: everything one office or a small town needs, in one process. */
export async function runServer(config: Config): Promise<void> {
  const runtime = await openRuntime(config, log);
  const { ctx, database } = runtime;

  if (config.seedDemoWhenEmpty && (await isDatabaseEmpty(ctx.db))) {
    log('Leere Datenbank: lade Demodaten „Musterstadt“ / empty database: loading demo data');
    const seeded = await seedDemo(ctx, { onProgress: (done, total, label) => log(`  ${label} ${done}/${total}`) });
    log(`  ${seeded.offices} Standorte, ${seeded.services} Dienstleistungen, ${seeded.appointments} Termine (Donnerstag ${seeded.thursday})`);
  }
  await materializeCapacity(ctx);

  const transport = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom });
  const outbox = startOutboxWorker({ db: ctx.db, transport, log: { info: log, error: logError } });
  const every = (ms: number, job: () => Promise<unknown>, name: string) =>
    setInterval(() => job().catch((error) => logError(`${name} failed`, error)), ms).unref();
  const timers = [
    every(30_000, () => expireReservations(ctx), 'Expiring reservations'),
    // Keeps the capacity horizon moving forward day by day.
    every(60 * 60_000, () => materializeCapacity(ctx), 'Capacity refresh'),
  ];

  const app = createHttpApp({ ctx, dbKind: database.kind, rateLimitPerMinute: config.rateLimitPerMinute, log: logError });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    log(transport.describe);
    log(`Datenbank / database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`);
    log(`Schalter läuft / is running: ${config.publicUrl}  (API: ${config.publicUrl}/api/v1/openapi.json)`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: fahre herunter / shutting down`);
    timers.forEach(clearInterval);
    server.close();
    await outbox.stop();
    await runtime.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
