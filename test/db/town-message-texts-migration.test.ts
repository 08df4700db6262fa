import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { createScratchPostgres, testDbKind } from '../helpers/test-db.ts';

// Issue #20 on upgrade: with one town the texts saved so far become that town's (its admin's page
// edits what it did); with several they stay the installation's, for every town as before.

const THIS_MIGRATION = '2026-12-07T2961-town-message-texts';

async function databaseBefore(cleanups: (() => Promise<void>)[], towns: string[]): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  let database: Database;
  if (serverUrl) {
    const scratch = await createScratchPostgres(serverUrl);
    database = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
    cleanups.push(scratch.drop);
  } else database = await openDatabase({ memory: true });
  cleanups.unshift(() => database.close());
  const names = Object.keys(await migrationProvider.getMigrations()).sort();
  const migrator = new Migrator({ db: database.db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error } = await migrator.migrateTo(names.filter((n) => n < THIS_MIGRATION).at(-1)!);
  if (error) throw error;
  for (const id of towns)
    await database.db
      .insertInto('municipality')
      .values({ id, name: id, mail_from: `t@${id}.example`, imprint_url: 'https://x.example/i', privacy_url: 'https://x.example/p' })
      .execute();
  // Written as the table was before: no town column yet.
  await database.db
    .insertInto('message_template')
    .values({ kind: 'closure_notice', language: 'de', intro: 'Wir müssen absagen.', sms: null, updated_by: 'test', updated_at: new Date() })
    .execute();
  await migrateToLatest(database.db);
  return database;
}

describe(`migration ${THIS_MIGRATION} (${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const texts = (database: Database) => database.db.selectFrom('message_template').select(['municipality_id', 'kind', 'intro']).execute();

  it('one town: the saved texts become the town’s own', async () => {
    expect(await texts(await databaseBefore(cleanups, ['castrop-rauxel']))).toEqual([
      { municipality_id: 'castrop-rauxel', kind: 'closure_notice', intro: 'Wir müssen absagen.' },
    ]);
  });

  it('several towns: the saved texts stay the installation’s, for every town', async () => {
    expect(await texts(await databaseBefore(cleanups, ['castrop', 'datteln']))).toEqual([
      { municipality_id: '', kind: 'closure_notice', intro: 'Wir müssen absagen.' },
    ]);
  });
});
