// When an office is open on a date (#24 item 4, the office page): the same week pattern and
// exceptions the capacity plan lays out (capacity-plan.ts), read for people. Open is any staffed
// counter, for appointments or walk-ins. Worked on wall times, so a DST day reads 08:00–12:30 too.
import type { IsoDate, RuleRepeat, Weekday, WallTime } from './capacity-types.ts';
import { patternCovers } from './week-pattern.ts';

/** A line of the weekly plan (a staffing_rule row): its weekday and times, open if any counter is staffed. */
export type OpeningLine = { weekday: Weekday; start: WallTime; end: WallTime; open: boolean; repeat?: RuleRepeat };

/** An exception of the plan: `open` false closes its range (or the whole day's opening hours). */
export type OpeningException = {
  date: IsoDate;
  endDate: IsoDate | null;
  start: WallTime | null;
  end: WallTime | null;
  open: boolean;
  reason: string;
};

export type TimeRange = { from: WallTime; to: WallTime };

export type DayOpening = {
  date: IsoDate;
  ranges: TimeRange[];
  /** The opening hours of the weekly plan alone, for "abweichend" and "sonst". */
  regular: TimeRange[];
  /** Closed all day by a public holiday (its name) or one of the town's closing days. */
  holiday: string | null;
  closedDay: boolean;
  /** Reasons of the exceptions that change this date's hours. */
  reasons: string[];
};

const SLOT = 5;
const SLOTS = (24 * 60) / SLOT;
const slotOf = (time: WallTime) => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return Math.floor((h * 60 + m) / SLOT);
};
const timeOf = (slot: number): WallTime =>
  `${String(Math.floor((slot * SLOT) / 60)).padStart(2, '0')}:${String((slot * SLOT) % 60).padStart(2, '0')}`;

const weekdayOf = (date: IsoDate): Weekday => (((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1) as Weekday;

function lineCovers(line: OpeningLine, date: IsoDate): boolean {
  if (line.weekday !== weekdayOf(date)) return false;
  return line.repeat === undefined || patternCovers({ weekdays: [line.weekday], ...line.repeat }, date);
}

function ranges(open: boolean[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (let s = 0; s < SLOTS; s++) {
    if (!open[s] || open[s - 1]) continue;
    let e = s;
    while (e < SLOTS && open[e]) e++;
    out.push({ from: timeOf(s), to: e === SLOTS ? '24:00' : timeOf(e) });
  }
  return out;
}

/**
 * The opening hours on `date`: the weekly lines that cover it, then whole-day exceptions (they change
 * only the hours the plan has), then exceptions with times (they may also open extra hours), as
 * planDay applies them; a holiday or closing day closes all day.
 */
export function openingOn(
  date: IsoDate,
  plan: { lines: readonly OpeningLine[]; exceptions: readonly OpeningException[]; holiday: string | null; closedDay: boolean },
): DayOpening {
  const open = new Array<boolean>(SLOTS).fill(false);
  for (const line of plan.lines) {
    if (!line.open || !lineCovers(line, date)) continue;
    for (let s = slotOf(line.start); s < (line.end === '24:00' ? SLOTS : slotOf(line.end)); s++) open[s] = true;
  }
  const regular = ranges(open);
  const reasons: string[] = [];
  const covering = plan.exceptions.filter((e) => e.date <= date && date <= (e.endDate ?? e.date));
  for (const e of covering) {
    if (e.start !== null || e.end !== null) continue;
    if (!e.open && open.some(Boolean)) reasons.push(e.reason);
    if (!e.open) open.fill(false);
  }
  for (const e of covering) {
    if (e.start === null || e.end === null) continue;
    const before = open.join();
    for (let s = slotOf(e.start); s < (e.end === '24:00' ? SLOTS : slotOf(e.end)); s++) open[s] = e.open;
    if (open.join() !== before) reasons.push(e.reason);
  }
  const closedAllDay = plan.holiday !== null || plan.closedDay;
  return {
    date,
    ranges: closedAllDay ? [] : ranges(open),
    regular,
    holiday: plan.holiday,
    closedDay: plan.closedDay,
    reasons: closedAllDay ? [] : reasons,
  };
}

/** Whether the day's hours are not those of the weekly plan. */
export const deviates = (day: DayOpening): boolean => JSON.stringify(day.ranges) !== JSON.stringify(day.regular);
