import fs from 'node:fs';
import path from 'node:path';
import { createAppContext } from './app/app-context.ts';
import type { AppContext } from './app/shared/context.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { openDatabase, type Database } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { pooledRandomBytes } from './random-pool.ts';

export type Runtime = { config: Config; database: Database; ctx: AppContext; shutdown(): Promise<void> };

/** Opens the configured database (locking an embedded data folder), migrates it, and builds the app context. */
export async function openRuntime(config: Config, log: (line: string) => void): Promise<Runtime> {
  let unlock = () => {};
  if (!config.databaseUrl) unlock = await lockDataDir(config.dataDir);
  try {
    const database = await openWithProgress(config, log);
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) log(`Datenbank migriert / database migrated: ${applied.join(', ')}`);
    const ctx = createAppContext({
      db: database.db,
      now: () => Date.now(),
      randomBytes: pooledRandomBytes(),
      settings: {
        publicUrl: config.publicUrl,
        confirmation: config.confirmation,
        reservationMinutes: config.reservationMinutes,
        capacityDays: config.capacityDays,
        openAppointmentsPerContact: config.openAppointmentsPerContact,
        fairReleaseMinutes: config.fairReleaseMinutes,
        closures: config.closures,
        branchLeaseShare: config.branchLeaseShare,
        clerkFigures: config.clerkFigures,
        ...(config.branch ? { branchNode: { centralUrl: config.branch.centralUrl } } : {}),
      },
    });
    return {
      config,
      database,
      ctx,
      shutdown: async () => {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openWithProgress(config: Config, log: (line: string) => void): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize });
  const pgliteDir = path.join(config.dataDir, 'pglite');
  const isFirstStart = !fs.existsSync(path.join(pgliteDir, 'PG_VERSION'));
  if (!isFirstStart) return openDatabase({ dataDir: pgliteDir });
  log(`Erstelle die eingebettete Datenbank in ${pgliteDir} (nur beim ersten Start) / creating the embedded database (first start only)`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  … ${Math.round((Date.now() - started) / 1000)} s`), 2000);
  try {
    return await openDatabase({ dataDir: pgliteDir });
  } finally {
    clearInterval(ticker);
    log(`  fertig nach ${((Date.now() - started) / 1000).toFixed(1)} s / done`);
  }
}
