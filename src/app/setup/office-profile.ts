// The office page /standorte/{office} (#24 item 4): what the town file says about an office —
// address, contact, directions, public transport, building accessibility — and its opening hours
// from the staffing plan: the next two weeks day by day, then the days that deviate.
import { isClosedDay, readClosedDays } from '../../domain/closed-days.ts';
import type { Weekday } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { publicHolidayName } from '../../domain/holidays.ts';
import { deviates, openingOn, type DayOpening, type OpeningException, type OpeningLine } from '../../domain/opening-hours.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';
import type { Office } from '../../db/schema.ts';
import { catalogue, isOffered } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';

/** Days shown one by one: two weeks, so a Saturday every second week shows. */
export const DAYS_SHOWN = 14;
/** How far the page looks for deviating days (holidays, closing days, exceptions). */
export const DAYS_AHEAD = 91;

export type OfficeProfile = { office: Office; days: DayOpening[]; laterDeviations: DayOpening[] };

/** not_found for an office that does not exist or was removed from the town file. */
export async function readOfficeProfile(ctx: AppContext, officeId: string, language: 'de' | 'en'): Promise<OfficeProfile> {
  const { offices } = await catalogue(ctx);
  const office = offices.find((o) => o.id === officeId && isOffered(o));
  if (!office) throw new DomainError('not_found', 'Unknown office', { officeId });
  const [rules, exceptions] = await Promise.all([
    ctx.db.selectFrom('staffing_rule').selectAll().where('office_id', '=', office.id).execute(),
    ctx.db.selectFrom('staffing_exception').selectAll().where('office_id', '=', office.id).execute(),
  ]);
  const lines: OpeningLine[] = rules.map((r) => ({
    weekday: r.weekday as Weekday,
    start: r.start_time,
    end: r.end_time,
    open: r.appointment_counters + r.walkin_counters > 0,
    ...(r.every_weeks === 1 && r.starting_from === null && r.valid_from === null && r.valid_to === null
      ? {}
      : { repeat: { everyWeeks: r.every_weeks, startingFrom: r.starting_from, validFrom: r.valid_from, validTo: r.valid_to } }),
  }));
  // Walk-in counters not written in an exception are the weekly plan's; "appointmentCounters: 0" closes.
  const deviations: OpeningException[] = exceptions.map((x) => ({
    date: x.date,
    endDate: x.end_date,
    start: x.start_time,
    end: x.end_time,
    open: x.appointment_counters > 0 || (x.walkin_counters ?? 0) > 0,
    reason: x.reason,
  }));
  const closedDays = readClosedDays(office.closed_days);
  const today = localPlainDate(ctx.now(), office.time_zone);
  const all: DayOpening[] = [];
  for (let i = 0; i < DAYS_AHEAD; i++) {
    const date = today.add({ days: i }).toString();
    all.push(
      openingOn(date, {
        lines,
        exceptions: deviations,
        holiday: publicHolidayName(date, office.holiday_region, language),
        closedDay: isClosedDay(date, closedDays),
      }),
    );
  }
  return { office, days: all.slice(0, DAYS_SHOWN), laterDeviations: all.slice(DAYS_SHOWN).filter(deviates) };
}

export type { DayOpening };
