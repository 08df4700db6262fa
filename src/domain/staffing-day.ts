// How many counters are staffed on a date, and when (#19, the month view of „Öffnungszeiten und
// Besetzung“): the weekly lines and exceptions of the town file read the way the capacity plan lays
// them out (capacity-plan.ts planDay): lines add up, a whole-day exception sets the counters of the
// hours the plan has, an exception with times sets (or opens) its range. Worked on wall times.
import type { IsoDate, RuleRepeat, Weekday, WallTime } from './capacity-types.ts';
import { patternCovers } from './week-pattern.ts';

export type StaffingLine = { weekday: Weekday; from: WallTime; to: WallTime; appointment: number; walkin: number; repeat?: RuleRepeat };

export type StaffingChange = {
  date: IsoDate;
  until: IsoDate | null;
  from: WallTime | null;
  to: WallTime | null;
  appointment: number;
  /** null: the walk-in counters of the plan stay. */
  walkin: number | null;
  reason: string;
};

/** A stretch of the day with the same staffing. */
export type StaffedRange = { from: WallTime; to: WallTime; appointment: number; walkin: number };

export type StaffingDay = {
  date: IsoDate;
  ranges: StaffedRange[];
  /** The weekly plan alone, to show what an exception changes („3 statt 6“). */
  regular: StaffedRange[];
  /** The exceptions that cover this date. */
  changes: StaffingChange[];
};

const SLOT = 5;
const SLOTS = (24 * 60) / SLOT;
const slotOf = (time: WallTime) => {
  if (time === '24:00') return SLOTS;
  const [h = 0, m = 0] = time.split(':').map(Number);
  return Math.floor((h * 60 + m) / SLOT);
};
const timeOf = (slot: number): WallTime =>
  slot === SLOTS ? '24:00' : `${String(Math.floor((slot * SLOT) / 60)).padStart(2, '0')}:${String((slot * SLOT) % 60).padStart(2, '0')}`;

export const weekdayOf = (date: IsoDate): Weekday => (((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1) as Weekday;

type Slot = { appointment: number; walkin: number } | null;

function rangesOf(slots: Slot[]): StaffedRange[] {
  const out: StaffedRange[] = [];
  for (let s = 0; s < SLOTS; s++) {
    const here = slots[s];
    if (!here || here.appointment + here.walkin === 0) continue;
    const last = out.at(-1);
    if (last && last.to === timeOf(s) && last.appointment === here.appointment && last.walkin === here.walkin) last.to = timeOf(s + 1);
    else out.push({ from: timeOf(s), to: timeOf(s + 1), ...here });
  }
  return out;
}

export function staffingOn(date: IsoDate, plan: { lines: readonly StaffingLine[]; changes: readonly StaffingChange[] }): StaffingDay {
  const slots: Slot[] = new Array<Slot>(SLOTS).fill(null);
  const weekday = weekdayOf(date);
  for (const line of plan.lines) {
    if (line.weekday !== weekday) continue;
    if (line.repeat && !patternCovers({ weekdays: [line.weekday], ...line.repeat }, date)) continue;
    for (let s = slotOf(line.from); s < slotOf(line.to); s++) {
      const was = slots[s] ?? { appointment: 0, walkin: 0 };
      slots[s] = { appointment: was.appointment + line.appointment, walkin: was.walkin + line.walkin };
    }
  }
  const regular = rangesOf(slots);
  const changes = plan.changes.filter((c) => c.date <= date && date <= (c.until ?? c.date));
  // Whole-day changes first, so one with times on the same date (more specific) wins, as in planDay.
  for (const c of changes) {
    if (c.from !== null || c.to !== null) continue;
    for (let s = 0; s < SLOTS; s++) {
      const was = slots[s];
      if (was) slots[s] = { appointment: c.appointment, walkin: c.walkin ?? was.walkin };
    }
  }
  for (const c of changes) {
    if (c.from === null || c.to === null) continue;
    for (let s = slotOf(c.from); s < slotOf(c.to); s++)
      slots[s] = { appointment: c.appointment, walkin: c.walkin ?? slots[s]?.walkin ?? 0 };
  }
  return { date, ranges: rangesOf(slots), regular, changes };
}

/** The most counters staffed at once for appointments (the figure of „3 statt 6 Schalter“). */
export const mostCounters = (ranges: readonly StaffedRange[]) => Math.max(0, ...ranges.map((r) => r.appointment));
