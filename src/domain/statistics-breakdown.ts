// Breakdowns of the counter work (#17 item 3): per counter and per clerk. Pure: finished tickets in,
// one row per group out. Rows come in the order of their names, never of their figures — this is
// for planning counters and training, not a ranking of people (decision record 0013) — and a
// clerk's group below the minimum size is withheld, so a figure cannot stand for a handful of
// identifiable citizens or be read off a single bad day.

/** A ticket the counter finished, with who finished it (audit log actor) and where. */
export type FinishedTicket = {
  counter: number | null;
  clerk: string | null;
  outcome: 'served' | 'no_show';
  firstCalledAt: number | null;
  finishedAt: number | null;
};

export type BreakdownRow = {
  name: string;
  served: number;
  /** Called, did not come to the counter, marked „nicht erschienen“ there. */
  noShowsCalled: number;
  /** First call to served, whole minutes (median nearest rank, mean one decimal). */
  handlingMedianMinutes: number | null;
  handlingMeanMinutes: number | null;
};

/** Per clerk, fewer finished tickets than this in the range show no row (Dienstvereinbarung, 0013). */
export const MIN_TICKETS_PER_CLERK = 20;

export function breakdownBy(
  tickets: readonly FinishedTicket[],
  nameOf: (t: FinishedTicket) => string | null,
  minTickets = 0,
): { rows: BreakdownRow[]; withheldGroups: number } {
  const groups = new Map<string, FinishedTicket[]>();
  for (const t of tickets) {
    const name = nameOf(t);
    if (name === null) continue;
    const group = groups.get(name);
    if (group) group.push(t);
    else groups.set(name, [t]);
  }
  const rows: BreakdownRow[] = [];
  let withheldGroups = 0;
  for (const [name, group] of groups) {
    if (group.length < minTickets) {
      withheldGroups++;
      continue;
    }
    const minutes = group
      .filter((t) => t.outcome === 'served' && t.firstCalledAt !== null && t.finishedAt !== null)
      .map((t) => Math.max(0, t.finishedAt! - t.firstCalledAt!) / 60_000)
      .sort((a, b) => a - b);
    rows.push({
      name,
      served: group.filter((t) => t.outcome === 'served').length,
      noShowsCalled: group.filter((t) => t.outcome === 'no_show').length,
      handlingMedianMinutes: minutes.length ? Math.floor(minutes[Math.ceil(minutes.length / 2) - 1]!) : null,
      handlingMeanMinutes: minutes.length ? Math.round((minutes.reduce((s, m) => s + m, 0) / minutes.length) * 10) / 10 : null,
    });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name, 'de', { numeric: true }));
  return { rows, withheldGroups };
}
