import { sql } from 'kysely';
import type { AppContext } from '../shared/context.ts';

// Invariant 3: everyone the office cancels hears of it through some channel, or stands on the call
// list until a clerk has handled them. A notice that failed for good (every retry used up) or
// bounced puts its person on the call list; the unique (appointment, closure) keeps it to one entry.

/** Puts people whose closure notice could not be delivered on the call list. Safe to repeat. */
export async function moveUndeliveredToCallList(ctx: AppContext): Promise<number> {
  const { rows } = await sql<{ appointment_id: string }>`
    INSERT INTO call_list_entry (office_id, closure_id, appointment_id, offer_id, reason, created_at)
    SELECT a.office_id, ci.closure_id, ci.appointment_id, ci.offer_id, 'delivery_failed', ${new Date(ctx.now())}
    FROM outbox m
    JOIN closure_item ci ON ci.message_key = m.dedupe_key
    JOIN appointment a ON a.id = ci.appointment_id
    WHERE m.state IN ('failed', 'bounced') AND m.dedupe_key LIKE 'closure:%'
    ON CONFLICT (appointment_id, closure_id) DO NOTHING
    RETURNING appointment_id`.execute(ctx.db);
  return rows.length;
}
