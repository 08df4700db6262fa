import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app/shared/context.ts';
import { checkDatabase, checkMigrations } from '../app/shared/check-database.ts';
import type { DatabaseKind } from '../db/connection.ts';

export type HealthOptions = {
  ctx: AppContext;
  dbKind: DatabaseKind;
  /** Set on a branch node: why its journal could not take an entry now, or null. */
  journalProblem?: (() => string | null) | undefined;
  /** How long a check may take before it counts as failed (a database that does not answer at all). */
  timeoutMs?: number;
};

type Check = { name: 'database' | 'migrations' | 'journal'; run: () => Promise<string | null> };

/**
 * /healthz: the process is alive and its database answers (200 also before a town is set up; the
 * branch's uploader probes it). /readyz: this process can do its work now — for load balancers and
 * systemd. Each check answers `ok` or a short reason without paths or addresses, as the endpoint is
 * as public as the site; the first failing check is named in `failed`.
 */
export function registerHealthRoutes(app: OpenAPIHono, options: HealthOptions): void {
  const { ctx, dbKind } = options;
  app.get('/healthz', async (c) => {
    await checkDatabase(ctx.db);
    return c.json({ status: 'ok', db: dbKind });
  });

  const checks: Check[] = [
    { name: 'database', run: async () => (await checkDatabase(ctx.db), null) },
    {
      name: 'migrations',
      run: async () => {
        const pending = await checkMigrations(ctx.db);
        return pending.length === 0 ? null : `${pending.length} pending (schalter migrate): ${pending.join(', ')}`;
      },
    },
  ];
  const journalProblem = options.journalProblem;
  if (journalProblem) checks.push({ name: 'journal', run: async () => journalProblem() });
  const timeoutMs = options.timeoutMs ?? 3_000;

  app.get('/readyz', async (c) => {
    const results: Record<string, string> = {};
    let failed: string | null = null;
    for (const check of checks) {
      // After a failure the rest would only repeat it (no database: no migrations to read).
      if (failed) {
        results[check.name] = 'skipped';
        continue;
      }
      const problem = await withTimeout(check.run(), timeoutMs).catch((error: unknown) => reasonOf(error));
      results[check.name] = problem ?? 'ok';
      if (problem) failed = check.name;
    }
    c.header('Cache-Control', 'no-store');
    if (failed) return c.json({ status: 'not_ready', failed, checks: results, db: dbKind }, 503);
    return c.json({ status: 'ready', checks: results, db: dbKind });
  });
}

/** An error code (ECONNREFUSED, 57P03, …), never the message: it can name hosts and users. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return `failed (${typeof code === 'string' ? code : (error as Error)?.name || 'error'})`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: `timeout after ${ms} ms` })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
