import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.ts';

export async function migrateToLatest<T>(db: Kysely<T>): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
