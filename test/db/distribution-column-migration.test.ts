import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { createScratchPostgres } from '../helpers/test-db.ts';

// Migration 2026-12-07T2980-distribution-column (#20, decision 0014): capacity units, appointments
// and their services carry their office's town, backfilled; from then on a row without one is refused.

const THIS_MIGRATION = '2026-12-07T2980-distribution-column';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

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
  return database;
}

describe('migration distribution-column', () => {
  it('gives every unit, appointment and appointment service the town of its office', async () => {
    const database = await before();
    const db = database.db;
    await sql`
      INSERT INTO municipality (id, name, mail_from, imprint_url, privacy_url)
        VALUES ('castrop', 'Castrop', 'a@castrop.example', 'https://c/i', 'https://c/d'),
               ('datteln', 'Datteln', 'a@datteln.example', 'https://d/i', 'https://d/d');
      INSERT INTO office (id, municipality_id, name, address) VALUES ('c-mitte', 'castrop', 'Mitte', 'Markt 1'), ('d-rathaus', 'datteln', 'Rathaus', 'Platz 2');
      INSERT INTO service (id, municipality_id, name_de, name_en, duration_minutes) VALUES ('pass', 'castrop', 'Reisepass', 'Passport', 10);
      INSERT INTO capacity_unit (office_id, starts_at, capacity) VALUES ('c-mitte', '2026-12-08T08:00:00Z', 2), ('d-rathaus', '2026-12-08T08:00:00Z', 1);
      INSERT INTO appointment (id, reference, office_id, starts_at, ends_at, status, source, language, citizen_name, manage_token_hash)
        VALUES ('00000000-0000-7000-8000-000000000001', 'AAA-AAA', 'c-mitte', '2026-12-08T08:00:00Z', '2026-12-08T08:10:00Z', 'confirmed', 'online', 'de', 'Erika', 'h1'),
               ('00000000-0000-7000-8000-000000000002', 'BBB-BBB', 'd-rathaus', '2026-12-08T08:00:00Z', '2026-12-08T08:10:00Z', 'confirmed', 'online', 'de', 'Jonas', 'h2');
      INSERT INTO appointment_service (appointment_id, service_id, persons) VALUES ('00000000-0000-7000-8000-000000000002', 'pass', 1);
    `.execute(db);
    await migrateToLatest(db);
    expect(await db.selectFrom('capacity_unit').select(['office_id', 'municipality_id']).orderBy('office_id').execute()).toEqual([
      { office_id: 'c-mitte', municipality_id: 'castrop' },
      { office_id: 'd-rathaus', municipality_id: 'datteln' },
    ]);
    expect(await db.selectFrom('appointment').select(['reference', 'municipality_id']).orderBy('reference').execute()).toEqual([
      { reference: 'AAA-AAA', municipality_id: 'castrop' },
      { reference: 'BBB-BBB', municipality_id: 'datteln' },
    ]);
    // The service row takes its appointment's town (the office's), not the service's.
    expect(await db.selectFrom('appointment_service').select(['service_id', 'municipality_id']).execute()).toEqual([
      { service_id: 'pass', municipality_id: 'datteln' },
    ]);
    await expect(
      sql`INSERT INTO capacity_unit (office_id, starts_at, capacity) VALUES ('c-mitte', '2026-12-08T08:05:00Z', 1)`.execute(db),
    ).rejects.toThrow(/municipality_id/); // Nor one of another town than its office's: a search by the town would not find it.
    await expect(
      sql`INSERT INTO capacity_unit (municipality_id, office_id, starts_at, capacity) VALUES ('datteln', 'c-mitte', '2026-12-08T08:05:00Z', 1)`.execute(
        db,
      ),
    ).rejects.toThrow(/capacity_unit_office_fkey/);
    // An office moved to another town by hand takes its rows along.
    await sql`UPDATE office SET municipality_id = 'castrop' WHERE id = 'd-rathaus'`.execute(db);
    expect(await db.selectFrom('capacity_unit').select('municipality_id').where('office_id', '=', 'd-rathaus').execute()).toEqual([
      { municipality_id: 'castrop' },
    ]);
    expect(await db.selectFrom('appointment_service').select('municipality_id').execute()).toEqual([{ municipality_id: 'castrop' }]);
  });
});
