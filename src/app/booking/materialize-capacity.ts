import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { planLease } from '../../domain/branch-lease.ts';
import { planRange } from '../../domain/capacity-plan.ts';
import { isPublicHoliday } from '../../domain/holidays.ts';
import { inTransaction, noteCapacityChange } from '../../db/transaction.ts';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { leaseShareFor, officesWithBranch } from './branch-lease.ts';
import { invalidateCatalogue, loadOfficeSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';

const BATCH = 1000;

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
  for (const { office, rules, exceptions, policy } of schedules) {
    const today = Temporal.Instant.fromEpochMilliseconds(ctx.now()).toZonedDateTimeISO(office.time_zone).toPlainDate();
    const from = options.from ? Temporal.PlainDate.from(options.from) : today;
    const to = from.add({ days: (options.days ?? ctx.settings.capacityDays) - 1 });
    const units = planRange({
      from: from.toString(),
      to: to.toString(),
      timeZone: office.time_zone,
      rules,
      exceptions,
      sameDayShare: policy.sameDayShare,
      phoneShare: policy.phoneShare,
      isHoliday: (date) => isPublicHoliday(date, office.holiday_region),
    });
    // Only an office with a branch node leases seats to it (issue #6); the others keep every seat central.
    const lease = withBranch.has(office.id) ? planLease(units, await leaseShareFor(ctx.db, office.id, ctx.now(), ctx.settings.branchLeaseShare), office.time_zone) : null;
    const rangeStart = new Date(from.toZonedDateTime({ timeZone: office.time_zone }).epochMilliseconds);
    const rangeEnd = new Date(to.add({ days: 1 }).toZonedDateTime({ timeZone: office.time_zone }).epochMilliseconds);
    await inTransaction(ctx.db, async (trx) => {
      // The whole range: the plan may also have dropped units (below).
      noteCapacityChange(trx, [{ officeId: office.id, start: rangeStart.getTime() }, { officeId: office.id, start: rangeEnd.getTime() - UNIT_MS }]);
      for (let i = 0; i < units.length; i += BATCH) {
        const rows = units.slice(i, i + BATCH).map((u) => ({
          office_id: office.id,
          starts_at: new Date(u.startsAt),
          capacity: u.capacity,
          held_back: u.heldBack,
          phone_reserved: u.phoneReserved,
          leased: lease?.get(u.startsAt) ?? 0,
        }));
        await trx
          .insertInto('capacity_unit')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['office_id', 'starts_at']).doUpdateSet({
              // Extra seats a team lead opened for replacements only (app/closures/open-extra-capacity.ts) come on top of the plan.
              capacity: sql`GREATEST(excluded.capacity + capacity_unit.rebooking_only, capacity_unit.load)`,
              held_back: sql`excluded.held_back`,
              phone_reserved: sql`excluded.phone_reserved`,
              // Never lease seats central channels already booked (the central pool's load stays within
              // capacity - leased), and never less than the lease already uses.
              leased: sql`GREATEST(capacity_unit.lease_load, LEAST(excluded.leased, GREATEST(excluded.capacity, capacity_unit.load) - (capacity_unit.load - capacity_unit.lease_load)))`,
            }),
          )
          .execute();
      }
      // Units that the plan no longer staffs keep only their booked seats (and extra seats opened for
      // replacements, e.g. a Saturday that the plan never staffs). Done after the upsert and only
      // for those units, so an unchanged plan changes no row (the change feed notes plan changes only).
      await trx
        .updateTable('capacity_unit')
        .set({ capacity: sql`GREATEST(load, rebooking_only)`, held_back: 0, phone_reserved: 0, leased: sql`lease_load` })
        .where('office_id', '=', office.id)
        .where('starts_at', '>=', rangeStart)
        .where('starts_at', '<', rangeEnd)
        .where(sql<boolean>`starts_at <> ALL(${units.map((u) => new Date(u.startsAt).toISOString())}::timestamptz[])`)
        .execute();
    });
    total += units.length;
  }
  return { offices: schedules.length, units: total };
}
