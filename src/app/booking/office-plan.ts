import { planRange } from '../../domain/capacity-plan.ts';
import type { IsoDate, PlannedUnit } from '../../domain/capacity-types.ts';
import { isOfficeClosedOn } from '../../domain/closed-days.ts';
import type { OfficeSchedule } from '../shared/catalogue.ts';

/**
 * The units an office's plan staffs from `from` to `to` (office-local dates, inclusive): its weekly
 * lines as they repeat, its exceptions, and no unit on a public holiday of its region or one of its
 * own closing days (Rosenmontag). The nightly layout and `setup apply` plan through here alike.
 */
export function planOfficeUnits(schedule: OfficeSchedule, from: IsoDate, to: IsoDate): PlannedUnit[] {
  const { office, policy } = schedule;
  const closing = { holidayRegion: office.holiday_region, closedDays: schedule.closedDays };
  return planRange({
    from,
    to,
    timeZone: office.time_zone,
    rules: schedule.rules,
    exceptions: schedule.exceptions,
    sameDayShare: policy.sameDayShare,
    phoneShare: policy.phoneShare,
    isHoliday: (date) => isOfficeClosedOn(date, closing),
  });
}
