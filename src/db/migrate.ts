import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.ts';

export async function migrateToLatest<T>(db: Kysely<T>): Promise<{ applied: string[] }> {
  // Features land in parallel branches of work, so a migration may be merged after one with a later
  // name has already run somewhere; each migration only adds its own objects, so order between
  // independent ones does not matter, and refusing to start would help nobody.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of the migrations this version has and the database has not run yet (none: the schema is current). */
export async function pendingMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  // Migrations the database has and this version does not know (a newer version ran) do not count:
  // during a rolling upgrade the previous version keeps serving (issue 23, item 6).
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
