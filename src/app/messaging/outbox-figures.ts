import { sql } from 'kysely';
import type { AppContext } from '../shared/context.ts';

export type OutboxFigures = {
  /** Messages per channel and state (queued, sending, sent, failed, bounced), all offices together. */
  counts: { channel: string; state: string; count: number }[];
  /** When the oldest message not yet handed to the mail server or SMS gateway was queued; null when none waits. */
  oldestUnsentAt: number | null;
};

/** The outbox at a glance for monitoring (/metrics): read at each scrape, so it is two aggregate queries. */
export async function readOutboxFigures(ctx: Pick<AppContext, 'db'>): Promise<OutboxFigures> {
  const counts = await ctx.db
    .selectFrom('outbox')
    .select(['channel', 'state', sql<string>`count(*)`.as('n')])
    .groupBy(['channel', 'state'])
    .execute();
  const oldest = await ctx.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirst();
  return {
    counts: counts.map((r) => ({ channel: r.channel, state: r.state, count: Number(r.n) })),
    oldestUnsentAt: oldest?.at ? new Date(oldest.at).getTime() : null,
  };
}
