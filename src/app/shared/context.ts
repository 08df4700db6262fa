import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AppSettings } from './settings.ts';
// Type-only, from a file of types: the counter's outcome, so the context can carry the branch journal's hook.
import type { AfterApply } from '../counter/counter-outcome.ts';

/** What every use case needs: the database, the time, randomness and settings — all injectable for tests. */
export type AppContext = {
  db: Kysely<DB>;
  now: () => number;
  /**
   * A monotonic clock (ms) by which cached answers age; performance.now unless a test injects one
   * (app-context.ts). Kept apart from `now`, which tests freeze or jump by days: on a frozen `now`
   * nothing cached would ever expire, and a jump would expire it in the middle of a use case.
   */
  elapsed: () => number;
  randomBytes: (size: number) => Uint8Array;
  settings: AppSettings;
  /**
   * Set on a branch node: journals every counter command in its transaction (src/sync/branch-journal.ts).
   * executeCounterCommand runs it when the caller passes no afterApply of its own.
   */
  afterCounterCommand?: AfterApply;
  /** Set by serve.ts: what use cases count for /metrics (the adapter in http/metrics keeps the figures). */
  metrics?: AppMetrics;
};

/** Counting by use cases, without knowing the metrics library (issue 23, item 1). */
export type AppMetrics = {
  /** A booking attempt: channel as the appointment's source, outcome `reserved`, `confirmed` or the refusal's code. */
  booking(channel: string, outcome: string): void;
};

/** What the caches read: the database they belong to and the clock their entries age by. */
export type CacheContext = Pick<AppContext, 'db' | 'elapsed'>;
