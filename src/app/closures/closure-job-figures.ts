import { sql } from 'kysely';
import type { AppContext } from '../shared/context.ts';

export type ClosureJobFigures = {
  /** Closures whose job has not finished yet (state running). */
  running: number;
  /** The appointments of those closures by state: pending (still to cancel and tell), done, skipped. */
  items: { state: string; count: number }[];
};

/** Progress of the closure jobs for monitoring (/metrics): a job whose pending count stops falling is stuck. */
export async function readClosureJobFigures(ctx: Pick<AppContext, 'db'>): Promise<ClosureJobFigures> {
  const running = await ctx.db
    .selectFrom('closure')
    .select(sql<string>`count(*)`.as('n'))
    .where('state', '=', 'running')
    .executeTakeFirstOrThrow();
  const items = await ctx.db
    .selectFrom('closure_item')
    .innerJoin('closure', 'closure.id', 'closure_item.closure_id')
    .select(['closure_item.state', sql<string>`count(*)`.as('n')])
    .where('closure.state', '=', 'running')
    .groupBy('closure_item.state')
    .execute();
  return { running: Number(running.n), items: items.map((r) => ({ state: r.state, count: Number(r.n) })) };
}
