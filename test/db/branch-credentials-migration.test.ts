import { randomBytes } from 'node:crypto';
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { listStaffAccounts, resetStaffCredentials } from '../../src/app/staff/staff-accounts.ts';
import { loginWithPassword } from '../../src/app/staff/staff-auth.ts';
import { hashPassword, newTotpSecret } from '../../src/app/staff/staff-secrets.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { createScratchPostgres, testDbKind } from '../helpers/test-db.ts';

// Issue 15, item 1, on upgrade (docs/decisions/0009-branch-credentials.md): what the old change feed
// sent to branch nodes — password hashes and TOTP secrets of every admin and of the staff of every
// office with a branch — must stop working. Centrally those accounts cannot log in with the old
// password until an operator gives them a new one-time password; a branch's copy is wiped.

const PASSWORD = 'Pferd Batterie Heftklammer';
const THIS_MIGRATION = '2026-12-07T0910-branch-credentials';

/** A database with every migration before this one, as an installation had it before the upgrade. */
async function databaseBeforeUpgrade(cleanups: (() => Promise<void>)[]): Promise<Database> {
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
  await database.db
    .insertInto('office')
    .values([
      { id: 'rathaus', name: 'Rathaus', address: 'Markt 1', phone: null, email: null },
      { id: 'nord', name: 'Nord', address: 'Nordweg 2', phone: null, email: null },
      // The schema of before the town file: no municipality_id yet.
    ] as never)
    .execute();
  return database;
}

async function addAccount(database: Database, email: string, role: 'clerk' | 'teamlead' | 'admin', officeIds: string[]) {
  const totp = role === 'clerk' ? null : newTotpSecret(randomBytes(20));
  const row = await database.db
    .insertInto('staff_user')
    .values({
      email,
      display_name: email,
      role,
      password_hash: await hashPassword(PASSWORD),
      must_change_password: false,
      totp_secret: totp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (officeIds.length > 0)
    await database.db
      .insertInto('staff_user_office')
      .values(officeIds.map((office_id) => ({ user_id: row.id, office_id })))
      .execute();
  const now = new Date();
  await database.db
    .insertInto('staff_session')
    .values({
      id_hash: `s-${row.id}`,
      user_id: row.id,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 3_600_000),
      totp_verified_at: now,
      totp_pending_secret: null,
      office_id: null,
      ip: null,
      user_agent: null,
    })
    .execute();
  return row.id;
}

describe(`upgrading to branch credentials (${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it(
    'centrally, accounts whose secrets were sendable to a branch cannot log in with them until reset; others are untouched',
    { timeout: 60_000 },
    async () => {
      const database = await databaseBeforeUpgrade(cleanups);
      const admin = await addAccount(database, 'admin@stadt.example', 'admin', []);
      const clerk = await addAccount(database, 'rathaus@stadt.example', 'clerk', ['rathaus']);
      await addAccount(database, 'nord@stadt.example', 'clerk', ['nord']);
      // A branch node of the Rathaus has pulled the old feed: every admin and the Rathaus staff went to it.
      await database.db
        .insertInto('sync_branch')
        .values({ id: 'rathaus-1', office_id: 'rathaus', name: 'PC Empfang', token_hash: 'x', created_at: new Date() })
        .execute();

      await migrateToLatest(database.db);
      const ctx = createAppContext({
        db: database.db,
        now: () => Date.now(),
        randomBytes: (n) => randomBytes(n),
        settings: { publicUrl: 'http://schalter.test', confirmation: 'none', reservationMinutes: 30, capacityDays: 14 },
      });
      const login = (email: string, password = PASSWORD) => loginWithPassword(ctx, { email, password, ip: `test-${email}` });

      await expect(login('admin@stadt.example')).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(login('rathaus@stadt.example')).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect((await login('nord@stadt.example')).stage).toBe('active');
      const rotated = await database.db
        .selectFrom('staff_user')
        .select(['id', 'totp_secret', 'must_change_password'])
        .where('id', 'in', [admin, clerk])
        .execute();
      expect(rotated.every((u) => u.totp_secret === null && u.must_change_password)).toBe(true);
      expect(await database.db.selectFrom('staff_session').select('user_id').where('user_id', 'in', [admin, clerk]).execute()).toEqual([]);
      const audit = await database.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'staff_user.credentials_revoked')
        .orderBy('entity_id')
        .execute();
      expect(audit.map((a) => a.entity_id)).toEqual([admin, clerk].sort());
      expect((await listStaffAccounts(database.db)).map((a) => [a.email, a.state])).toEqual([
        ['admin@stadt.example', 'needs_reset'],
        ['nord@stadt.example', 'active'],
        ['rathaus@stadt.example', 'needs_reset'],
      ]);

      // Renewed: a new one-time password from the operator, then the whole first-login set-up again.
      const { oneTimePassword } = await resetStaffCredentials(ctx, { email: 'admin@stadt.example', actor: 'cli' });
      await expect(login('admin@stadt.example')).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect((await login('admin@stadt.example', oneTimePassword)).stage).toBe('password_change');
    },
  );

  it('a branch database keeps no secret: no password hash, no TOTP secret, no session, no admin', { timeout: 60_000 }, async () => {
    const database = await databaseBeforeUpgrade(cleanups);
    await addAccount(database, 'admin@stadt.example', 'admin', []);
    await addAccount(database, 'leitung@stadt.example', 'teamlead', ['rathaus']);
    await database.db.insertInto('branch_sync_state').values({ branch_id: 'rathaus-1', office_id: 'rathaus' }).execute();

    await migrateToLatest(database.db);
    const users = await database.db
      .selectFrom('staff_user')
      .select(['email', 'password_hash', 'totp_secret', 'disabled_at'])
      .orderBy('email')
      .execute();
    expect(users.map((u) => [u.email, u.password_hash, u.totp_secret, u.disabled_at !== null])).toEqual([
      ['admin@stadt.example', '!no-branch-pin', null, true],
      ['leitung@stadt.example', '!no-branch-pin', null, false],
    ]);
    expect(await database.db.selectFrom('staff_session').select('user_id').execute()).toEqual([]);
  });

  it('a town without branch nodes notices nothing', { timeout: 60_000 }, async () => {
    const database = await databaseBeforeUpgrade(cleanups);
    await addAccount(database, 'admin@stadt.example', 'admin', []);
    await migrateToLatest(database.db);
    const [admin] = await database.db.selectFrom('staff_user').select(['totp_secret']).execute();
    expect(admin!.totp_secret).not.toBeNull();
    expect(await database.db.selectFrom('staff_session').select('user_id').execute()).toHaveLength(1);
  });
});
