import { Temporal } from 'temporal-polyfill';
import { searchAvailability, type Slot } from '../../app/booking/search-availability.ts';
import type { OfficeSchedule } from '../../app/shared/catalogue.ts';
import { townCatalogue, type TownScope } from '../../app/shared/town-scope.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { RequestedService } from '../../app/shared/service-selection.ts';
import { nextRelease, seatRule } from '../../domain/release.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import { localDate } from './format.ts';

export const ANY_OFFICE = 'alle';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// A month has at most ~31 days x 100 five-minute starts per office; this bounds one search.
const MONTH_LIMIT = 20_000;

export type PickerQuery = {
  services: RequestedService[];
  office?: string | undefined;
  month?: string | undefined;
  day?: string | undefined;
};

export type Picker = {
  /** Offices offering every chosen service. */
  offices: OfficeSchedule[];
  /** The chosen office, or null for "any office". */
  officeId: string | null;
  timeZone: string;
  earliest: Slot | null;
  month: string;
  prevMonth: string | null;
  nextMonth: string | null;
  bookableDays: Set<string>;
  day: string | null;
  daySlots: Slot[];
  /** When the next weekly wave opens, and whether same-day seats open each morning. */
  release: { at: number; sameDayTime: string | null } | null;
};

/**
 * Everything the calendar step shows, found with the same availability search the API uses: the
 * earliest free start first, the month's bookable days, and the free starts of one day.
 */
export async function loadPicker(ctx: AppContext, scope: TownScope, query: PickerQuery): Promise<Picker> {
  const now = ctx.now();
  const serviceIds = query.services.map((s) => s.serviceId);
  // The town's offices and its neighbours' (#20): "any office" never reaches further.
  const offices = (await townCatalogue(ctx, scope)).searchSchedules.filter((o) => serviceIds.every((id) => o.serviceIds.has(id)));
  const office = offices.find((o) => o.office.id === query.office) ?? (offices.length === 1 ? offices[0] : undefined);
  const officeId = office?.office.id ?? null;
  const timeZone = (office ?? offices[0])?.office.time_zone ?? 'Europe/Berlin';
  const today = localDate(now, timeZone);
  const thisMonth = today.slice(0, 7);
  const empty: Picker = {
    offices,
    officeId,
    timeZone,
    earliest: null,
    month: thisMonth,
    prevMonth: null,
    nextMonth: null,
    bookableDays: new Set(),
    day: null,
    daySlots: [],
    release: null,
  };
  if (offices.length === 0) return empty;

  const searched = office ? [office] : offices;
  const search = (from?: string, to?: string, limit?: number, countMiss = false) =>
    searchAvailability(ctx, {
      services: query.services,
      officeId: officeId ?? undefined,
      officeIds: offices.map((o) => o.office.id),
      from,
      to,
      limit,
      countMiss,
    });
  // Only the first search of the page counts as the citizen's search (#8): the month view follows from it.
  const [earliest = null] = await search(undefined, undefined, 1, true);
  const lastMonth = lastBookableMonth(searched, now);

  const wanted = query.day && isIsoDate(query.day) ? query.day.slice(0, 7) : query.month && MONTH.test(query.month) ? query.month : null;
  const month = clampMonth(wanted ?? (earliest ? localDate(earliest.start, timeZone).slice(0, 7) : thisMonth), thisMonth, lastMonth);
  const monthStart = `${month}-01`;
  const monthEnd = Temporal.PlainDate.from(monthStart).add({ months: 1 }).subtract({ days: 1 }).toString();
  const monthSlots = earliest ? await search(monthStart < today ? today : monthStart, monthEnd, MONTH_LIMIT) : [];
  const dayOf = (slot: Slot) => localDate(slot.start, searched.find((o) => o.office.id === slot.officeId)?.office.time_zone ?? timeZone);
  const bookableDays = new Set(monthSlots.map(dayOf));

  let day: string | null = null;
  if (query.day && isIsoDate(query.day) && query.day.startsWith(month)) day = query.day;
  else if (earliest && dayOf(earliest).startsWith(month)) day = dayOf(earliest);
  else day = [...bookableDays].sort()[0] ?? null;

  return {
    ...empty,
    earliest,
    month,
    prevMonth: month > thisMonth ? shiftMonth(month, -1) : null,
    nextMonth: month < lastMonth ? shiftMonth(month, 1) : null,
    bookableDays,
    day,
    daySlots: day ? monthSlots.filter((s) => dayOf(s) === day) : [],
    release: earliest ? null : releaseInfo(searched, now),
  };
}

function shiftMonth(month: string, by: number): string {
  return Temporal.PlainYearMonth.from(month).add({ months: by }).toString();
}

function clampMonth(month: string, first: string, last: string): string {
  return month < first ? first : month > last ? last : month;
}

/** The last month with released days at any of the offices (never before this month). */
function lastBookableMonth(offices: OfficeSchedule[], now: number): string {
  let last = localDate(now, offices[0]?.office.time_zone ?? 'Europe/Berlin').slice(0, 7);
  for (const { office, policy } of offices) {
    const rule = seatRule({ policy, timeZone: office.time_zone, now, channel: 'online' });
    const month = localDate(rule.latestStartExclusive - 1, office.time_zone).slice(0, 7);
    if (month > last) last = month;
  }
  return last;
}

function releaseInfo(offices: OfficeSchedule[], now: number): Picker['release'] {
  if (offices.length === 0) return null;
  const at = Math.min(...offices.map(({ office, policy }) => nextRelease({ policy, timeZone: office.time_zone, now })));
  const sameDay = offices.find((o) => o.policy.sameDayShare > 0);
  return { at, sameDayTime: sameDay ? sameDay.policy.sameDayReleaseTime : null };
}
