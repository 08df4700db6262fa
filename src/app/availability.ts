import { Temporal } from 'temporal-polyfill';
import type { BookingChannel } from '../domain/capacity-types.ts';
import { UNIT_MS } from '../domain/capacity-types.ts';
import { DomainError } from '../domain/errors.ts';
import { seatRule } from '../domain/release.ts';
import { findSlotStarts } from '../domain/slot-search.ts';
import { readUnits } from '../db/seats.ts';
import { cachedSchedules, type OfficeSchedule } from './catalogue.ts';
import type { AppContext } from './context.ts';
import { resolveServiceSelection, type RequestedService } from './service-selection.ts';

export type AvailabilityQuery = {
  services: RequestedService[];
  officeId?: string | undefined;
  /** Office-local dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  channel?: BookingChannel;
};

export type Slot = { officeId: string; start: number; end: number };

const DEFAULT_LIMIT = 100;
const DEFAULT_DAYS = 60;

export async function searchAvailability(ctx: AppContext, query: AvailabilityQuery): Promise<Slot[]> {
  const channel = query.channel ?? 'online';
  const selection = await resolveServiceSelection(ctx.db, query.services, channel);
  const schedules = await officesOffering(ctx, query.officeId, selection.items.map((i) => i.service.id));
  const limit = query.limit ?? DEFAULT_LIMIT;
  const now = ctx.now();
  const perOffice = await Promise.all(
    schedules.map(async (schedule) => {
      const { office, policy } = schedule;
      const rule = seatRule({ policy, timeZone: office.time_zone, now, channel });
      const [from, to] = searchWindow(query, office.time_zone, now, rule.earliestStart, rule.latestStartExclusive);
      if (from >= to) return [];
      // Units past the window end are still needed when a slot near the end runs over it.
      const units = await readUnits(ctx.db, office.id, from, to + selection.durationUnits * UNIT_MS);
      const starts = findSlotStarts({ units, durationUnits: selection.durationUnits, rule: { ...rule, latestStartExclusive: Math.min(to, rule.latestStartExclusive) }, limit });
      return starts.map((start) => ({ officeId: office.id, start, end: start + selection.durationUnits * UNIT_MS }));
    }),
  );
  return perOffice
    .flat()
    .sort((a, b) => a.start - b.start || a.officeId.localeCompare(b.officeId))
    .slice(0, limit);
}

async function officesOffering(ctx: AppContext, officeId: string | undefined, serviceIds: string[]): Promise<OfficeSchedule[]> {
  const schedules = await cachedSchedules(ctx.db, officeId ? [officeId] : undefined);
  if (officeId && schedules.length === 0) throw new DomainError('unknown_office', `Unknown office: ${officeId}`, { officeId });
  const offering = schedules.filter((s) => serviceIds.every((id) => s.serviceIds.has(id)));
  if (officeId && offering.length === 0) {
    throw new DomainError('service_not_offered', `Office ${officeId} does not offer all of these services`, { officeId, serviceIds });
  }
  return offering;
}

function searchWindow(query: AvailabilityQuery, timeZone: string, now: number, earliest: number, latest: number): [number, number] {
  const startOfDay = (date: string) => Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds;
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();
  const fromDate = query.from ?? today.toString();
  const toDate = query.to ?? Temporal.PlainDate.from(fromDate).add({ days: DEFAULT_DAYS }).toString();
  const from = Math.max(startOfDay(fromDate), earliest);
  const to = Math.min(startOfDay(Temporal.PlainDate.from(toDate).add({ days: 1 }).toString()), latest);
  return [from, to];
}
