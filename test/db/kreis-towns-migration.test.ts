import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { createScratchPostgres } from '../helpers/test-db.ts';

// Migration 2026-12-07T2900-kreis-towns (#20): every office and service belongs to a town. An
// installation from before the town file (offices, no municipality row) gets one made from the
// environment it ran on; rows without a town beside a town file's go to that town.

const THIS_MIGRATION = '2026-12-07T2900-kreis-towns';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A database just before this migration, with an office and a service of no town. */
async function before(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  let database: Database;
  if (serverUrl) {
    const scratch = await createScratchPostgres(serverUrl);
    database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
    cleanups.push(scratch.drop);
  } else {
    database = await openDatabase({ memory: true });
  }
  cleanups.unshift(() => database.close());
  const names = Object.keys(await migrationProvider.getMigrations()).sort();
  const migrator = new Migrator({ db: database.db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error } = await migrator.migrateTo(names.filter((n) => n < THIS_MIGRATION).at(-1)!);
  if (error) throw error;
  // The schema of before: municipality_id may be NULL.
  await database.db
    .insertInto('office')
    .values({ id: 'rathaus', name: 'Rathaus', address: 'Markt 1', phone: null, email: null } as never)
    .execute();
  await database.db
    .insertInto('service')
    .values({ id: 'pass', name_de: 'Reisepass', name_en: 'Passport', duration_minutes: 20, fee_cents: 7000 } as never)
    .execute();
  return database;
}

function withEnvironment(values: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  cleanups.push(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe('migration kreis-towns', () => {
  it('an installation from before the town file gets its town from the environment, and its rows belong to it', async () => {
    const database = await before();
    withEnvironment({
      MAIL_FROM: 'Bürgerbüro Altstadt <post@altstadt.example>',
      SCHALTER_IMPRINT_URL: 'https://altstadt.example/impressum',
      SCHALTER_PRIVACY_URL: undefined,
    });
    await migrateToLatest(database.db);
    expect(
      await database.db
        .selectFrom('municipality')
        .select(['id', 'name', 'mail_from', 'imprint_url', 'privacy_url', 'host_names', 'neighbours', 'retention_days', 'site_url'])
        .execute(),
    ).toEqual([
      {
        id: 'stadt',
        name: 'Bürgerbüro Altstadt',
        mail_from: 'Bürgerbüro Altstadt <post@altstadt.example>',
        imprint_url: 'https://altstadt.example/impressum',
        // No link in the environment: none on the row either (the start-up keeps warning).
        privacy_url: '',
        host_names: [],
        neighbours: [],
        retention_days: null,
        site_url: null,
      },
    ]);
    expect(await database.db.selectFrom('office').select(['id', 'municipality_id']).execute()).toEqual([
      { id: 'rathaus', municipality_id: 'stadt' },
    ]);
    expect(await database.db.selectFrom('service').select(['id', 'municipality_id']).execute()).toEqual([
      { id: 'pass', municipality_id: 'stadt' },
    ]);
    // From now on a row of no town is refused.
    await expect(sql`INSERT INTO office (id, name, address) VALUES ('nord', 'Nord', 'Nordweg 2')`.execute(database.db)).rejects.toThrow(
      /municipality_id/,
    );
  });

  it('rows without a town beside a town file’s town go to that town; no town is made up', async () => {
    const database = await before();
    await database.db
      .insertInto('municipality')
      .values({
        id: 'musterstadt',
        name: 'Stadt Musterstadt',
        mail_from: 'post@musterstadt.example',
        imprint_url: 'https://musterstadt.example/i',
        privacy_url: 'https://musterstadt.example/d',
      } as never)
      .execute();
    await migrateToLatest(database.db);
    expect(await database.db.selectFrom('municipality').select('id').execute()).toEqual([{ id: 'musterstadt' }]);
    expect(await database.db.selectFrom('office').select(['id', 'municipality_id']).execute()).toEqual([
      { id: 'rathaus', municipality_id: 'musterstadt' },
    ]);
  });

  it('an empty database migrates without making a town', async () => {
    const database = await openDatabase({ memory: true });
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);
    expect(await database.db.selectFrom('municipality').select('id').execute()).toEqual([]);
  });
});
