import { UNIT_MS } from '../../domain/capacity-types.ts';
import type { Principal } from '../../domain/staff-access.ts';
import { isoInZone } from '../appointments/appointment-record.ts';
import { findOffice } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';

// The team lead's list of an office's closures, newest first, with how far each job has come. No
// personal data: the per-person view is the closure report (closure-report.ts), which is audited.

export type ClosureSummary = {
  id: string;
  from: string;
  to: string;
  reason: string;
  counters: number[] | null;
  state: 'running' | 'done';
  createdAt: string;
  total: number;
  pending: number;
};

export async function listClosures(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; limit?: number },
): Promise<ClosureSummary[]> {
  assertOfficeAccess(principal, input.officeId);
  const zone = (await findOffice(ctx.db, input.officeId))?.time_zone ?? 'Europe/Berlin';
  const rows = await ctx.db
    .selectFrom('closure as c')
    .leftJoin('closure_item as ci', 'ci.closure_id', 'c.id')
    .select(['c.id', 'c.starts_at', 'c.ends_at', 'c.reason', 'c.counters', 'c.state', 'c.created_at'])
    .select((eb) => [
      eb.fn.count<string>('ci.appointment_id').as('total'),
      eb.fn.countAll<string>().filterWhere('ci.state', '=', 'pending').as('pending'),
    ])
    .where('c.office_id', '=', input.officeId)
    .groupBy(['c.id', 'c.starts_at', 'c.ends_at', 'c.reason', 'c.counters', 'c.state', 'c.created_at'])
    .orderBy('c.created_at', 'desc')
    .limit(input.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    from: isoInZone(r.starts_at, zone),
    to: isoInZone(r.ends_at, zone),
    reason: r.reason,
    counters: r.counters,
    state: r.state,
    createdAt: isoInZone(r.created_at, zone),
    total: Number(r.total),
    pending: Number(r.pending),
  }));
}

/**
 * A closure of the same office, period, counters and reason that the same person opened within the
 * last two minutes: a second click on "Jetzt schließen" leads to it instead of closing twice.
 */
export async function findRecentDuplicate(
  ctx: AppContext,
  input: { officeId: string; from: number; to: number; counters: number[] | null; reason: string; actor: string },
): Promise<string | null> {
  const rows = await ctx.db
    .selectFrom('closure')
    .select(['id', 'starts_at', 'ends_at', 'counters'])
    .where('office_id', '=', input.officeId)
    .where('created_by', '=', input.actor)
    .where('reason', '=', input.reason.trim())
    .where('created_at', '>=', new Date(ctx.now() - 2 * 60_000))
    .orderBy('created_at', 'desc')
    .execute();
  const key = (counters: number[] | null) => (counters === null ? '*' : [...counters].sort((a, b) => a - b).join(','));
  // Stored bounds are whole units; compare what the same request would have stored.
  const from = Math.floor(input.from / UNIT_MS) * UNIT_MS;
  const to = Math.ceil(input.to / UNIT_MS) * UNIT_MS;
  return (
    rows.find((r) => r.starts_at.getTime() === from && r.ends_at.getTime() === to && key(r.counters) === key(input.counters))?.id ?? null
  );
}
