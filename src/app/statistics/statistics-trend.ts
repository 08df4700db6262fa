import { Temporal } from 'temporal-polyfill';
import { figuresOf, sumCounts, type Counts, type Figures } from '../../domain/statistics.ts';

// Trends (#17 item 4): the week of the report's last day against the week before and the same week
// a year earlier. Only the same weekdays are compared — on a Thursday, Monday to Thursday of each
// week — so a week in progress is not set against a whole one. "A year earlier" is 52 weeks (364
// days) back: the same weekdays, which matter more at a counter than the same dates.

export type TrendWeek = { week: 'current' | 'previous' | 'lastYear'; from: string; to: string } & Figures;

/** Reads the hourly counts of a range (read-statistics' loadFacts, passed in so the two modules do not import each other). */
type LoadCounts = (range: { from: string; to: string }) => Promise<Counts[]>;

export async function readTrend(load: LoadCounts, lastDay: string): Promise<TrendWeek[]> {
  const to = Temporal.PlainDate.from(lastDay);
  const monday = to.subtract({ days: to.dayOfWeek - 1 });
  const weeks = [
    ['current', 0],
    ['previous', 7],
    ['lastYear', 364],
  ] as const;
  return Promise.all(
    weeks.map(async ([week, back]) => {
      const from = monday.subtract({ days: back }).toString();
      const until = to.subtract({ days: back }).toString();
      const facts = await load({ from, to: until });
      // Utilisation needs the office's staffed time; the trend leaves it out (null) rather than read it twice more.
      return { week, from, to: until, ...figuresOf(sumCounts(facts), 0) };
    }),
  );
}
