import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { readChangeFeed, type FeedPage } from '../../src/sync/change-feed.ts';
import { applyFeedPage } from '../../src/sync/feed-puller.ts';
import { createScratchPostgres, testDbKind } from '../helpers/test-db.ts';

// Issue #18, item 1, on upgrade: queue settings and town set-up that exist before the change feed
// carries them must still reach branches that are long past their first image, whichever of the two
// is upgraded first (migrations 2026-12-07T1500-feed-queue-settings and …T1510-feed-town-setup).

const FIRST_MIGRATION = '2026-12-07T1500-feed-queue-settings';
const NOW = Date.parse('2026-11-25T08:00:00+01:00');

async function before(cleanups: (() => Promise<void>)[], options: { embedded?: boolean } = {}): Promise<Database> {
  const serverUrl = options.embedded ? undefined : process.env.DATABASE_URL;
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
  const { error } = await migrator.migrateTo(names.filter((n) => n < FIRST_MIGRATION).at(-1)!);
  if (error) throw error;
  await database.db
    .insertInto('office')
    .values({ municipality_id: 'stadt', id: 'rathaus', name: 'Rathaus', address: 'Markt 1', phone: null, email: null })
    .execute();
  return database;
}

async function wholeFeed(central: Database, since: string): Promise<FeedPage['records']> {
  const records: FeedPage['records'] = [];
  for (let more = true; more;) {
    const page = await readChangeFeed(central.db, { officeId: 'rathaus', since, now: NOW });
    records.push(...page.records);
    ({ next: since, hasMore: more } = page);
  }
  return records;
}

describe(`upgrading to queue settings and town set-up in the change feed (central on ${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it(
    'centrally, settings and set-up made before the upgrade come with the next page of a branch that is past its image',
    { timeout: 60_000 },
    async () => {
      const central = await before(cleanups);
      const db = central.db;
      await db
        .insertInto('office_queue_settings')
        .values({ office_id: 'rathaus', walkin_quota: 3, walkin_minutes: 15, checkin_early_minutes: 90, checkin_late_minutes: 15 })
        .execute();
      await db
        .insertInto('municipality')
        .values({
          id: 'stadt',
          name: 'Stadt',
          mail_from: 'post@stadt.example',
          imprint_url: 'https://stadt.example/i',
          privacy_url: 'https://stadt.example/d',
        })
        .execute();
      await db.updateTable('office').set({ municipality_id: 'stadt' }).execute();
      await db
        .insertInto('service')
        .values({
          municipality_id: 'stadt',
          id: 'pass',
          name_de: 'Reisepass',
          name_en: 'Passport',
          duration_minutes: 20,
          fee_cents: 7000,
          sort_order: 1,
        })
        .execute();
      await db.insertInto('office_service').values({ office_id: 'rathaus', service_id: 'pass' }).execute();
      await db.insertInto('counter').values({ office_id: 'rathaus', number: 1, name: 'Schalter 1' }).execute();
      await db.insertInto('counter_service').values({ office_id: 'rathaus', counter_number: 1, service_id: 'pass' }).execute();
      await db
        .insertInto('service_fee_rule')
        .values({ service_id: 'pass', position: 0, label_de: 'unter 24', label_en: 'under 24', fee_cents: 3750, age_below: 24 })
        .execute();
      await db
        .insertInto('staffing_exception')
        .values({ office_id: 'rathaus', date: '2026-12-24', appointment_counters: 0, reason: 'Heiligabend' })
        .execute();
      // The ticket printer's token (issue #18 item 4, migration …T2100-feed-api-tokens).
      const token = await db
        .insertInto('api_token')
        .values({ name: 'Ticketdrucker', role: 'clerk', token_hash: 'ab'.repeat(32), created_at: new Date(NOW) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('api_token_office').values({ token_id: token.id, office_id: 'rathaus' }).execute();
      const seq = Number(
        (
          await db
            .selectFrom('sync_change')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .executeTakeFirst()
        )?.seq ?? 0,
      );
      await migrateToLatest(db);
      const records = await wholeFeed(central, `c:${seq}:2026-11-25`);
      const of = (entity: string) => records.filter((r) => r.entity === entity).map((r) => [r.key, r.data]);
      expect(of('office_queue_settings')).toEqual([
        ['rathaus', { office_id: 'rathaus', walkin_quota: 3, walkin_minutes: 15, checkin_early_minutes: 90, checkin_late_minutes: 15 }],
      ]);
      expect(of('municipality')).toEqual([['stadt', expect.objectContaining({ id: 'stadt', imprint_url: 'https://stadt.example/i' })]]);
      expect(of('counter_service')).toEqual([['1', { counter_number: 1, service_ids: ['pass'] }]]);
      expect(of('service_fee_rule')).toEqual([
        ['pass', { service_id: 'pass', rules: [expect.objectContaining({ position: 0, fee_cents: 3750, age_below: 24 })] }],
      ]);
      expect(of('staffing_exception')).toEqual([
        [expect.any(String), expect.objectContaining({ date: '2026-12-24', reason: 'Heiligabend' })],
      ]);
      expect(of('api_token')).toEqual([[token.id, expect.objectContaining({ name: 'Ticketdrucker', token_hash: 'ab'.repeat(32) })]]);
    },
  );

  it(
    'at a branch, the next pull loads the image again, which replaces settings the branch kept for itself',
    { timeout: 60_000 },
    async () => {
      const branch = await before(cleanups, { embedded: true });
      await branch.db
        .insertInto('branch_sync_state')
        .values({ branch_id: 'rathaus-1', office_id: 'rathaus', feed_position: 'c:42:2026-11-25' })
        .execute();
      await branch.db
        .insertInto('office_queue_settings')
        .values({ office_id: 'rathaus', walkin_quota: 40, walkin_minutes: 15, checkin_early_minutes: 30, checkin_late_minutes: 15 })
        .execute();
      await migrateToLatest(branch.db);
      const state = await branch.db.selectFrom('branch_sync_state').select('feed_position').executeTakeFirstOrThrow();
      expect(state.feed_position).toBe('0');
      // Nothing of the branch's own state is noted as a change to send anywhere.
      expect(await branch.db.selectFrom('sync_change').select('entity').where('entity', '=', 'office_queue_settings').execute()).toEqual(
        [],
      );

      // The central server has no settings for the office: the image says so, and the branch's own go.
      const central = await before(cleanups);
      await migrateToLatest(central.db);
      const records = await wholeFeed(central, '0');
      expect(records.filter((r) => r.entity === 'office_queue_settings')).toEqual([
        { entity: 'office_queue_settings', key: 'rathaus', data: null },
      ]);
      await applyFeedPage(branch.db, {
        branchId: 'rathaus-1',
        officeId: 'rathaus',
        page: { records, next: 'c:1:2026-11-25', hasMore: false },
        at: NOW,
      });
      expect(await branch.db.selectFrom('office_queue_settings').selectAll().execute()).toEqual([]);
    },
  );
});
