import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { addRebookingSeats } from '../../db/capacity-units.ts';
import { inTransaction } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';

// Extra capacity for replacements (#5): after a closure a team lead opens a Saturday morning or
// longer hours with N more counters, and only replacement offers may use those seats. They are
// counted in capacity_unit.capacity and marked in rebooking_only: the public and phone search
// subtract rebooking_only (db/capacity-units.ts, domain/release.ts), the replacement search does not
// (domain/replacement.ts). The staffing plan's re-materialization keeps them on top of the plan.

export const MAX_EXTRA_COUNTERS = 20;
const MAX_EXTRA_HOURS = 24 * 7;

export type ExtraCapacityRequest = { officeId: string; from: number; to: number; counters: number };

export async function openExtraCapacity(
  ctx: AppContext,
  principal: Principal,
  input: ExtraCapacityRequest,
): Promise<{ units: number; seats: number; from: number; to: number }> {
  assertOfficeAccess(principal, input.officeId);
  const [schedule] = await cachedSchedules(ctx, [input.officeId]);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${input.officeId}`, { officeId: input.officeId });
  const from = Math.floor(input.from / UNIT_MS) * UNIT_MS;
  const to = Math.ceil(input.to / UNIT_MS) * UNIT_MS;
  const now = ctx.now();
  if (!(from < to))
    throw new DomainError('validation_failed', 'The extra time must end after it starts', {
      fields: [{ path: 'to', message: 'must be after from' }],
    });
  if (to <= now)
    throw new DomainError('validation_failed', 'The extra time lies in the past', {
      fields: [{ path: 'to', message: 'must be in the future' }],
    });
  if (to - from > MAX_EXTRA_HOURS * 3_600_000)
    throw new DomainError('validation_failed', 'At most a week at once', { fields: [{ path: 'to', message: 'at most 7 days' }] });
  if (!Number.isInteger(input.counters) || input.counters < 1 || input.counters > MAX_EXTRA_COUNTERS) {
    throw new DomainError('validation_failed', `Between 1 and ${MAX_EXTRA_COUNTERS} counters`, {
      fields: [{ path: 'counters', message: `1–${MAX_EXTRA_COUNTERS}` }],
    });
  }
  // Units already begun are of no use to a replacement (they need a lead time anyway).
  const first = Math.max(from, Math.ceil(now / UNIT_MS) * UNIT_MS);
  const starts: number[] = [];
  for (let t = first; t < to; t += UNIT_MS) starts.push(t);
  await inTransaction(ctx.db, async (trx) => {
    // Noted by the write: once this commits, the search's cache of these days is dropped.
    await addRebookingSeats(trx, { officeId: input.officeId, municipalityId: schedule.office.municipality_id }, starts, input.counters);
    await audit(trx, {
      actor: principal,
      action: 'capacity.extra_for_replacements',
      entity: 'office',
      entityId: input.officeId,
      officeId: input.officeId,
      at: now,
      details: { from: new Date(first).toISOString(), to: new Date(to).toISOString(), counters: input.counters, by: actorOf(principal) },
    });
  });
  return { units: starts.length, seats: starts.length * input.counters, from: first, to };
}
