import { Temporal } from 'temporal-polyfill';
import { planLease } from '../../domain/branch-lease.ts';
import { localDayBounds, localDayStart, localPlainDate } from '../../domain/zoned-time.ts';
import { writePlannedUnits } from '../../db/capacity-units.ts';
import { inTransaction } from '../../db/transaction.ts';
import { leaseShareFor, officesWithBranch } from './branch-lease.ts';
import { planOfficeUnits } from './office-plan.ts';
import { invalidateCatalogue, loadOfficeSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';

/**
 * Writes the staffing plan as capacity units for the next days, so that booking is a matter of
 * locking existing rows. Safe to repeat: loads stay, capacity follows the plan but never drops
 * below what is already booked (a closure cancels appointments first, then removes capacity).
 */
export async function materializeCapacity(
  ctx: AppContext,
  options: { officeIds?: string[]; from?: string; days?: number } = {},
): Promise<{ offices: number; units: number }> {
  // A new plan is being laid out: searches and bookings must see it from now on.
  invalidateCatalogue(ctx.db);
  const schedules = await loadOfficeSchedules(ctx.db, options.officeIds);
  const withBranch = await officesWithBranch(ctx.db);
  let total = 0;
  for (const schedule of schedules) {
    const { office } = schedule;
    const today = localPlainDate(ctx.now(), office.time_zone);
    const from = options.from ? Temporal.PlainDate.from(options.from) : today;
    const to = from.add({ days: (options.days ?? ctx.settings.capacityDays) - 1 });
    const units = planOfficeUnits(schedule, from.toString(), to.toString());
    // Only an office with a branch node leases seats to it (issue #6); the others keep every seat central.
    const lease = withBranch.has(office.id)
      ? planLease(units, await leaseShareFor(ctx.db, office.id, ctx.now(), ctx.settings.branchLeaseShare), office.time_zone)
      : null;
    const rangeStart = localDayStart(from, office.time_zone);
    const [, rangeEnd] = localDayBounds(to, office.time_zone);
    const rows = units.map((u) => ({
      startsAt: u.startsAt,
      capacity: u.capacity,
      heldBack: u.heldBack,
      phoneReserved: u.phoneReserved,
      leased: lease?.get(u.startsAt) ?? 0,
    }));
    await inTransaction(ctx.db, (trx) =>
      writePlannedUnits(trx, { officeId: office.id, municipalityId: office.municipality_id }, rows, { from: rangeStart, to: rangeEnd }),
    );
    total += units.length;
  }
  return { offices: schedules.length, units: total };
}
