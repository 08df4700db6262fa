import { sql } from 'kysely';
import type { Principal } from '../../domain/staff-access.ts';
import { breakdownBy, MIN_TICKETS_PER_CLERK, type BreakdownRow, type FinishedTicket } from '../../domain/statistics-breakdown.ts';
import type { AppContext } from '../shared/context.ts';
import { assertStatisticsAccess } from './read-statistics.ts';

// Per counter and per clerk (#17 item 3), read from the office's tickets of the range. The clerk of a
// finished ticket is recorded only in the audit log (actor of `ticket.served` / `ticket.no_show`,
// entity_id = ticket id); the counter in ticket.counter_number. Team leads and admins only
// (assertStatisticsAccess); decision record 0013 says why this is lawful and what it may not become.

export type Breakdown = {
  perCounter: BreakdownRow[];
  /** SCHALTER_CLERK_FIGURES: off (the default), perClerk is empty and clerksWithheld 0. */
  clerkFigures: boolean;
  perClerk: BreakdownRow[];
  /** Clerks with fewer than `minTicketsPerClerk` finished tickets in the range: counted, not shown. */
  clerksWithheld: number;
  minTicketsPerClerk: number;
};

export async function readBreakdown(
  ctx: AppContext,
  principal: Principal,
  q: { officeId: string; from: string; to: string },
): Promise<Breakdown> {
  assertStatisticsAccess(principal, q.officeId);
  const rows = await sql<{
    counter_number: number | null;
    state: 'served' | 'no_show';
    first_called: Date | null;
    finished_at: Date | null;
    clerk: string | null;
  }>`
    SELECT t.counter_number, t.state, t.finished_at,
           (SELECT min(c.at) FROM queue_call c WHERE c.ticket_id = t.id) AS first_called,
           -- Only staff accounts are named; a token, a device or the system finishes tickets unattributed (no ids shown).
           (SELECT u.display_name
              FROM audit_log a LEFT JOIN staff_user u ON a.actor = 'staff:' || u.id::text
              WHERE a.entity = 'ticket' AND a.entity_id = t.id::text AND a.action IN ('ticket.served', 'ticket.no_show')
              ORDER BY a.id DESC LIMIT 1) AS clerk
    FROM ticket t
    WHERE t.office_id = ${q.officeId} AND t.day BETWEEN ${q.from} AND ${q.to} AND t.state IN ('served', 'no_show')
  `.execute(ctx.db);
  const tickets: FinishedTicket[] = rows.rows.map((r) => ({
    counter: r.counter_number,
    clerk: r.clerk,
    outcome: r.state,
    firstCalledAt: r.first_called ? new Date(r.first_called).getTime() : null,
    finishedAt: r.finished_at ? new Date(r.finished_at).getTime() : null,
  }));
  const clerkFigures = ctx.settings.clerkFigures === true;
  const perClerk = clerkFigures ? breakdownBy(tickets, (t) => t.clerk, MIN_TICKETS_PER_CLERK) : { rows: [], withheldGroups: 0 };
  return {
    perCounter: breakdownBy(tickets, (t) => (t.counter === null ? null : String(t.counter))).rows,
    clerkFigures,
    perClerk: perClerk.rows,
    clerksWithheld: perClerk.withheldGroups,
    minTicketsPerClerk: MIN_TICKETS_PER_CLERK,
  };
}
