import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { watchCapacityChanges } from './booking/availability-cache.ts';
import type { AppContext } from './shared/context.ts';

// The app's composition root: bootstrap.ts, the tests, e2e and the benches make their context here,
// so the caches are wired to each database explicitly instead of by a side effect of importing them,
// and read the injected clock instead of a global one.

export type AppContextInput = Omit<AppContext, 'elapsed'> & { elapsed?: AppContext['elapsed'] | undefined };

export function createAppContext(input: AppContextInput): AppContext {
  watchCapacityChanges(input.db);
  return { ...input, elapsed: input.elapsed ?? (() => performance.now()) };
}

/**
 * The same context on another database (a second process's pool, a branch node's own database): its
 * availability cache is wired too, so writes through it keep invalidating what was cached for it.
 */
export function contextWithDatabase(ctx: AppContext, db: Kysely<DB>): AppContext {
  watchCapacityChanges(db);
  return { ...ctx, db };
}
