// Arrivals and served by hour of day, per weekday (#17 item 2): what a team lead staffs the counters
// by. Pure: hourly counts and the office's open days in, one cell per weekday and hour out.
import { Temporal } from 'temporal-polyfill';
import type { Counts } from './statistics.ts';

export type HourProfileCell = {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  /** Open days of this weekday in the range: the divisor of the per-day figures. */
  days: number;
  arrivals: number;
  walkinArrivals: number;
  /** Appointments served (by the hour of the counter's verdict) … */
  served: number;
  /** … and walk-ins served. */
  walkinsServed: number;
  /** Per open day of this weekday, one decimal: people who came, and people served (appointments and walk-ins). */
  arrivalsPerDay: number;
  servedPerDay: number;
};

type HourCounts = Pick<Counts, 'arrivals' | 'walkinArrivals' | 'served' | 'walkinsServed'>;
type HourRow = HourCounts & { day: string; hour: number };

const oneDecimal = (v: number) => Math.round(v * 10) / 10;

/**
 * Sums the hours by weekday and hour and divides by the open days of that weekday, so a range with
 * four Mondays and three Tuesdays (a holiday) compares fairly. `openDays` are the days the office
 * worked (staffed, or anyone came or was served); a weekday without open days has no cells, and only hours in
 * which anyone came or was served on some weekday are listed.
 */
export function hourProfile(rows: readonly HourRow[], openDays: Iterable<string>): HourProfileCell[] {
  const weekdayOf = new Map<string, number>();
  const weekday = (day: string) => weekdayOf.get(day) ?? weekdayOf.set(day, Temporal.PlainDate.from(day).dayOfWeek).get(day)!;
  // A day on which anyone came or was served was open, whatever the plan said.
  const open = new Set(openDays);
  for (const r of rows) if (r.arrivals > 0 || r.served > 0 || r.walkinsServed > 0) open.add(r.day);
  const days = new Map<number, number>();
  for (const day of open) days.set(weekday(day), (days.get(weekday(day)) ?? 0) + 1);
  const sums = new Map<string, HourCounts>();
  const hours = new Set<number>();
  for (const r of rows) {
    if (r.arrivals === 0 && r.served === 0 && r.walkinsServed === 0) continue;
    hours.add(r.hour);
    const key = `${weekday(r.day)} ${r.hour}`;
    const sum = sums.get(key) ?? { arrivals: 0, walkinArrivals: 0, served: 0, walkinsServed: 0 };
    sum.arrivals += r.arrivals;
    sum.walkinArrivals += r.walkinArrivals;
    sum.served += r.served;
    sum.walkinsServed += r.walkinsServed;
    sums.set(key, sum);
  }
  const cells: HourProfileCell[] = [];
  for (const wd of [...days.keys()].sort((a, b) => a - b)) {
    const n = days.get(wd)!;
    for (const hour of [...hours].sort((a, b) => a - b)) {
      const s = sums.get(`${wd} ${hour}`);
      const arrivals = s?.arrivals ?? 0;
      const served = s?.served ?? 0;
      const walkinsServed = s?.walkinsServed ?? 0;
      cells.push({
        weekday: wd,
        hour,
        days: n,
        arrivals,
        walkinArrivals: s?.walkinArrivals ?? 0,
        served,
        walkinsServed,
        arrivalsPerDay: oneDecimal(arrivals / n),
        servedPerDay: oneDecimal((served + walkinsServed) / n),
      });
    }
  }
  return cells;
}
