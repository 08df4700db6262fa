import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

// A mail the relay accepted can still come back (unknown mailbox, full inbox). Whoever reads the
// bounces (the relay's DSN, a mailbox watcher) reports the Message-ID we gave the mail:
// <outbox-ID@schalter>. The row becomes 'bounced', which staff see, and closure notices move on
// to the call list (app/messaging/move-undelivered-to-call-list.ts).

export async function markBounced(db: Kysely<DB>, input: { messageId: string; reason: string }): Promise<boolean> {
  const id = /^<?outbox-(\d+)@schalter>?$/.exec(input.messageId.trim())?.[1];
  if (!id) return false;
  const result = await db
    .updateTable('outbox')
    .set({ state: 'bounced', last_error: input.reason.slice(0, 1000) })
    .where('id', '=', id)
    .where('state', 'in', ['sent', 'sending', 'queued', 'failed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
