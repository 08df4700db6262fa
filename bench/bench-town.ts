import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';

export type BenchDatabase = {
  kind: 'postgres' | 'pglite';
  env: Record<string, string>;
  open(): Promise<{ db: Kysely<DB>; close(): Promise<void> }>;
  drop(): Promise<void>;
};

/** A database of its own for one bench run: a fresh PostgreSQL database or a fresh PGlite folder. */
export async function benchDatabase(kind: string): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-bench-'));
    const pgliteDir = path.join(dataDir, 'pglite');
    return {
      kind: 'pglite',
      env: { SCHALTER_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: pgliteDir }),
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (kind !== 'postgres') throw new Error(`--db must be postgres or pglite, not ${kind}`);
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `schalter_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ databaseUrl: url.toString(), poolSize: 4 }),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * `offices` offices with `counters` appointment counters 07:00–20:00 every day, all released for
 * four weeks, no held-back or phone seats: enough seats that a 20 s run never sells out.
 */
export async function seedBenchTown(db: Kysely<DB>, options: { offices: number; counters: number }): Promise<string[]> {
  await migrateToLatest(db);
  const officeIds = Array.from({ length: options.offices }, (_, i) => `bench-${i + 1}`);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('office')
      .values(
        officeIds.map((id, i) => ({
          municipality_id: 'bench',
          id,
          name: `Bürgerbüro Bench ${i + 1}`,
          address: `Benchweg ${i + 1}, 10000 Benchstadt`,
          phone: null,
          email: null,
        })),
      )
      .execute();
    await trx
      .insertInto('service')
      .values([
        {
          municipality_id: 'bench',
          id: 'short',
          name_de: 'Meldebescheinigung',
          name_en: 'Certificate of registration',
          duration_minutes: 10,
          fee_cents: 1000,
        },
        {
          municipality_id: 'bench',
          id: 'long',
          name_de: 'Personalausweis beantragen',
          name_en: 'Apply for an ID card',
          duration_minutes: 20,
          fee_cents: 3700,
        },
      ])
      .execute();
    await trx
      .insertInto('office_service')
      .values(officeIds.flatMap((office_id) => ['short', 'long'].map((service_id) => ({ office_id, service_id }))))
      .execute();
    await trx
      .insertInto('staffing_rule')
      .values(
        officeIds.flatMap((office_id) =>
          [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            office_id,
            weekday,
            start_time: '07:00',
            end_time: '20:00',
            appointment_counters: options.counters,
          })),
        ),
      )
      .execute();
    await trx
      .insertInto('release_policy')
      .values(
        officeIds.map((office_id) => ({
          office_id,
          release_weekday: 1,
          release_time: '00:00',
          horizon_days: 35,
          same_day_share: 0,
          same_day_release_time: '00:00',
          phone_share: 0,
          min_lead_minutes: 0,
        })),
      )
      .execute();
  });
  return officeIds;
}

/** Independent of the load counters: units where more live appointments overlap than there are seats. */
export async function countOverbookedUnits(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM capacity_unit u
    WHERE u.capacity < (SELECT count(*) FROM appointment a
                        WHERE a.office_id = u.office_id AND a.status IN ('reserved','confirmed','checked_in','called','served')
                          AND a.starts_at <= u.starts_at AND a.ends_at > u.starts_at
                          -- no appointment lasts a day: keeps the index range small with a year of history
                          AND a.starts_at > u.starts_at - interval '1 day')`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
