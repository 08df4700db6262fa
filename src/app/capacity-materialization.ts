import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { planRange } from '../domain/capacity-plan.ts';
import { isPublicHoliday } from '../domain/holidays.ts';
import { inTransaction } from '../db/transaction.ts';
import { invalidateCatalogue, loadOfficeSchedules } from './catalogue.ts';
import type { AppContext } from './context.ts';

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
    const rangeStart = new Date(from.toZonedDateTime({ timeZone: office.time_zone }).epochMilliseconds);
    const rangeEnd = new Date(to.add({ days: 1 }).toZonedDateTime({ timeZone: office.time_zone }).epochMilliseconds);
    await inTransaction(ctx.db, async (trx) => {
      // Units that the plan no longer staffs keep only their booked seats.
      await trx
        .updateTable('capacity_unit')
        .set({ capacity: sql`load`, held_back: 0, phone_reserved: 0 })
        .where('office_id', '=', office.id)
        .where('starts_at', '>=', rangeStart)
        .where('starts_at', '<', rangeEnd)
        .execute();
      for (let i = 0; i < units.length; i += BATCH) {
        const rows = units.slice(i, i + BATCH).map((u) => ({
          office_id: office.id,
          starts_at: new Date(u.startsAt),
          capacity: u.capacity,
          held_back: u.heldBack,
          phone_reserved: u.phoneReserved,
        }));
        await trx
          .insertInto('capacity_unit')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['office_id', 'starts_at']).doUpdateSet({
              capacity: sql`GREATEST(excluded.capacity, capacity_unit.load)`,
              held_back: sql`excluded.held_back`,
              phone_reserved: sql`excluded.phone_reserved`,
            }),
          )
          .execute();
      }
    });
    total += units.length;
  }
  return { offices: schedules.length, units: total };
}
