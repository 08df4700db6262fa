import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { createScratchPostgres, testDbKind } from '../helpers/test-db.ts';

// Issue #20 on upgrade: on an installation with exactly one town every account and token belongs to
// it, so nothing changes for today's single towns; with several, nobody is put into a town by guess.

const THIS_MIGRATION = '2026-12-07T2910-staff-town';

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
  await database.db
    .insertInto('staff_user')
    .values(
      ['admin', 'clerk'].map((role) => ({
        email: `${role}@stadt.example`,
        display_name: role,
        role: role as 'admin',
        password_hash: 'x',
        totp_secret: null,
      })),
    )
    .execute();
  await database.db.insertInto('api_token').values({ name: 'drucker', role: 'admin', token_hash: 'h', created_at: new Date() }).execute();
  await migrateToLatest(database.db);
  return database;
}

describe(`migration ${THIS_MIGRATION} (${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  const towns = async (database: Database) => ({
    users: await database.db.selectFrom('staff_user').select(['email', 'municipality_id', 'personal_data']).orderBy('email').execute(),
    tokens: await database.db.selectFrom('api_token').select(['name', 'municipality_id']).execute(),
  });

  it('one town: every account and token belongs to it, nobody gets the Kreis grant', async () => {
    expect(await towns(await databaseBefore(cleanups, ['castrop-rauxel']))).toEqual({
      users: [
        { email: 'admin@stadt.example', municipality_id: 'castrop-rauxel', personal_data: false },
        { email: 'clerk@stadt.example', municipality_id: 'castrop-rauxel', personal_data: false },
      ],
      tokens: [{ name: 'drucker', municipality_id: 'castrop-rauxel' }],
    });
  });

  it('several towns: no account is put into one by guess', async () => {
    const { users, tokens } = await towns(await databaseBefore(cleanups, ['castrop-rauxel', 'datteln']));
    expect([...users, ...tokens].map((r) => r.municipality_id)).toEqual([null, null, null]);
  });
});
