import { matchingSlots, searchDates, type FreeSlot, type WaitingCriteria } from '../../domain/waiting-list.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { searchAvailability } from '../booking/search-availability.ts';
import type { OfficeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';

// Which free times suit a waiting-list wish, with the seat rules of an online booking: the sweep
// holds the first of them for the next in line; joining is refused while any is free (#22 item 5),
// since the person can simply book it.

/** Free starts read per entry and office: enough for months of a fully booked office. */
const SEARCH_LIMIT = 5_000;

export async function suitableFreeSlots(
  ctx: AppContext,
  input: {
    services: { serviceId: string; persons: number }[];
    criteria: WaitingCriteria;
    durationUnits: number;
    schedules: OfficeSchedule[];
    now: number;
    /** The earliest start worth offering, per office time zone. */
    notBefore: (timeZone: string) => number;
    limit: number;
  },
): Promise<FreeSlot[]> {
  const { criteria, services, schedules } = input;
  const zone = schedules.find((s) => criteria.officeIds.includes(s.office.id))?.office.time_zone ?? 'Europe/Berlin';
  const dates = searchDates(criteria, localDate(input.now, zone));
  if (!dates) return [];
  const slots: FreeSlot[] = [];
  for (const officeId of criteria.officeIds) {
    const schedule = schedules.find((s) => s.office.id === officeId);
    if (!schedule || !services.every((s) => schedule.serviceIds.has(s.serviceId))) continue;
    const found = await searchAvailability(ctx, {
      services,
      officeId,
      from: dates.from,
      to: dates.to,
      limit: SEARCH_LIMIT,
      channel: 'online',
    });
    const notBefore = input.notBefore(schedule.office.time_zone);
    for (const s of found)
      if (s.start >= notBefore) slots.push({ officeId, start: s.start, end: s.end, timeZone: schedule.office.time_zone });
  }
  return matchingSlots({ ...criteria, durationUnits: input.durationUnits }, slots, input.limit);
}
