// The month view of „Öffnungszeiten und Besetzung“ (#19): per day of one office the staffed counters
// the town file plans, the booked load against the laid-out capacity, holidays and closing days,
// closures and exceptions — what a team lead needs to see before reducing a day's staff.
import { Temporal } from 'temporal-polyfill';
import { isClosedDay, readClosedDays } from '../../domain/closed-days.ts';
import type { IsoDate } from '../../domain/capacity-types.ts';
import { publicHolidayName } from '../../domain/holidays.ts';
import { staffingOn, type StaffingDay } from '../../domain/staffing-day.ts';
import { isoInZone, localDayStart } from '../../domain/zoned-time.ts';
import type { AppContext } from '../shared/context.ts';
import { staffingPlanOf } from './edit-town-hours.ts';
import type { TownFileInput } from './town-file-schema.ts';

export type ClosureOfDay = { from: string; to: string; reason: string };

export type MonthDay = StaffingDay & {
  /** The public holiday's name, or null. */
  holiday: string | null;
  /** One of the town's (or the office's) closing days: no counter opens. */
  closedDay: boolean;
  /** Seats of 5-minute units booked / laid out (0 / 0: nothing laid out, e.g. beyond the horizon). */
  booked: number;
  capacity: number;
  appointments: number;
  closures: ClosureOfDay[];
};

/** 'YYYY-MM' → its first and last date. */
export function monthBounds(month: string): { first: IsoDate; last: IsoDate } {
  const first = Temporal.PlainYearMonth.from(month).toPlainDate({ day: 1 });
  return { first: first.toString(), last: first.add({ months: 1 }).subtract({ days: 1 }).toString() };
}

export async function readStaffingMonth(
  ctx: Pick<AppContext, 'db'>,
  input: { doc: TownFileInput; officeId: string; month: string; lang: 'de' | 'en' },
): Promise<MonthDay[]> {
  const { doc, officeId, lang } = input;
  const office = doc.offices.find((o) => o.id === officeId);
  if (!office) return [];
  const zone = office.timeZone ?? 'Europe/Berlin';
  const region = office.holidayRegion ?? doc.municipality.holidayRegion ?? 'DE-NW';
  const closedDays = readClosedDays(office.closedDays ?? doc.municipality.closedDays ?? []);
  const { first, last } = monthBounds(input.month);
  const start = new Date(localDayStart(first, zone));
  const end = new Date(localDayStart(Temporal.PlainDate.from(last).add({ days: 1 }), zone));

  const [units, appointments, closures] = await Promise.all([
    ctx.db
      .selectFrom('capacity_unit')
      .select(['starts_at', 'capacity', 'load', 'closed'])
      .where('office_id', '=', officeId)
      .where('starts_at', '>=', start)
      .where('starts_at', '<', end)
      .execute(),
    ctx.db
      .selectFrom('appointment')
      .select('starts_at')
      .where('office_id', '=', officeId)
      .where('status', 'in', ['reserved', 'confirmed', 'checked_in', 'called', 'served', 'no_show'])
      .where('starts_at', '>=', start)
      .where('starts_at', '<', end)
      .execute(),
    ctx.db
      .selectFrom('closure')
      .select(['starts_at', 'ends_at', 'reason'])
      .where('office_id', '=', officeId)
      .where('starts_at', '<', end)
      .where('ends_at', '>', start)
      .orderBy('starts_at')
      .execute(),
  ]);
  const dayOf = (at: Date) => isoInZone(at, zone).slice(0, 10);
  const load = new Map<IsoDate, { booked: number; capacity: number; appointments: number }>();
  const entry = (date: IsoDate) => load.get(date) ?? load.set(date, { booked: 0, capacity: 0, appointments: 0 }).get(date)!;
  for (const u of units) {
    const e = entry(dayOf(u.starts_at));
    e.booked += u.load;
    e.capacity += Math.max(0, u.capacity - u.closed);
  }
  for (const a of appointments) entry(dayOf(a.starts_at)).appointments += 1;

  const plan = staffingPlanOf(office);
  const days: MonthDay[] = [];
  for (let d = Temporal.PlainDate.from(first); d.toString() <= last; d = d.add({ days: 1 })) {
    const date = d.toString();
    const holiday = publicHolidayName(date, region, lang);
    const closedDay = isClosedDay(date, closedDays);
    const staffed = staffingOn(date, plan);
    const [dayStart, dayEnd] = [localDayStart(d, zone), localDayStart(d.add({ days: 1 }), zone)];
    days.push({
      ...staffed,
      ranges: holiday || closedDay ? [] : staffed.ranges,
      holiday,
      closedDay,
      ...(load.get(date) ?? { booked: 0, capacity: 0, appointments: 0 }),
      closures: closures
        .filter((c) => c.starts_at.getTime() < dayEnd && c.ends_at.getTime() > dayStart)
        .map((c) => ({ from: isoInZone(c.starts_at, zone), to: isoInZone(c.ends_at, zone), reason: c.reason })),
    });
  }
  return days;
}
