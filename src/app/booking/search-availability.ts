import type { BookingChannel } from '../../domain/capacity-types.ts';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { findSlotStartsInDays } from '../../domain/slot-search.ts';
import { addDays, dateStart, dayStartAt, unitsFor } from './availability-cache.ts';
import { cachedSchedules, type OfficeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { currentSeatRule } from './seat-rules.ts';
import { resolveServiceSelection, type RequestedService } from '../shared/service-selection.ts';
import { recordSearchMiss } from '../statistics/statistics-demand.ts';

export type AvailabilityQuery = {
  services: RequestedService[];
  officeId?: string | undefined;
  /**
   * The offices a search may look at (a town's and its neighbours', #20); an office outside them is
   * unknown. Absent: every office of the installation (one town).
   */
  officeIds?: readonly string[] | undefined;
  /** Office-local dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  channel?: BookingChannel;
  /** A citizen's own search (API, booking pages): an empty answer is counted as unmet demand (#8). */
  countMiss?: boolean;
};

export type Slot = { officeId: string; start: number; end: number };

const DEFAULT_LIMIT = 100;
const DEFAULT_DAYS = 60;

export async function searchAvailability(ctx: AppContext, query: AvailabilityQuery): Promise<Slot[]> {
  const channel = query.channel ?? 'online';
  const selection = await resolveServiceSelection(ctx, query.services, channel);
  const schedules = await officesOffering(
    ctx,
    query.officeId,
    query.officeIds,
    selection.items.map((i) => i.service.id),
  );
  const limit = query.limit ?? DEFAULT_LIMIT;
  const now = ctx.now();
  const searches = schedules.flatMap((schedule) => {
    const rule = currentSeatRule(schedule, now, channel);
    const [from, to] = searchWindow(query, schedule.office.time_zone, now, rule.earliestStart, rule.latestStartExclusive);
    return from < to ? [{ schedule, rule, from, to }] : [];
  });
  // Units past the window end are still needed when a slot near the end runs over it.
  const span = selection.durationUnits * UNIT_MS;
  const units = await unitsFor(
    ctx,
    searches.map(({ schedule, from, to }) => ({ officeId: schedule.office.id, timeZone: schedule.office.time_zone, from, to: to + span })),
  );
  const perOffice = searches.map(({ schedule, rule, from, to }) => {
    // The days come whole: the window [from, to) bounds the starts (searchWindow keeps it inside the rule's).
    const starts = findSlotStartsInDays({
      days: units.get(schedule.office.id) ?? [],
      durationUnits: selection.durationUnits,
      rule: { ...rule, earliestStart: from, latestStartExclusive: to },
      limit,
    });
    return starts.map((start) => ({ officeId: schedule.office.id, start, end: start + span }));
  });
  const slots = perOffice
    .flat()
    .sort((a, b) => a.start - b.start || a.officeId.localeCompare(b.officeId))
    .slice(0, limit);
  // In memory only (statistics-demand.ts flushes it): the search path gets no extra round trip.
  if (query.countMiss && slots.length === 0)
    recordSearchMiss(
      ctx.db,
      schedules,
      selection.items.map((i) => i.service.id),
      now,
    );
  return slots;
}

async function officesOffering(
  ctx: AppContext,
  officeId: string | undefined,
  officeIds: readonly string[] | undefined,
  serviceIds: string[],
): Promise<OfficeSchedule[]> {
  const inReach = (id: string) => !officeIds || officeIds.includes(id);
  const schedules = (await cachedSchedules(ctx, officeId ? [officeId] : officeIds)).filter((s) => inReach(s.office.id));
  if (officeId && schedules.length === 0) throw new DomainError('unknown_office', `Unknown office: ${officeId}`, { officeId });
  const offering = schedules.filter((s) => serviceIds.every((id) => s.serviceIds.has(id)));
  if (officeId && offering.length === 0) {
    throw new DomainError('service_not_offered', `Office ${officeId} does not offer all of these services`, { officeId, serviceIds });
  }
  return offering;
}

function searchWindow(query: AvailabilityQuery, timeZone: string, now: number, earliest: number, latest: number): [number, number] {
  const firstDay = query.from ? dateStart(timeZone, query.from) : dayStartAt(timeZone, now);
  const lastDay = query.to ? dateStart(timeZone, query.to) : addDays(timeZone, firstDay, DEFAULT_DAYS);
  return [Math.max(firstDay, earliest), Math.min(addDays(timeZone, lastDay, 1), latest)];
}
