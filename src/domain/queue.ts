// Rules of the queue on the day at the office. Pure: time is an argument, nothing is read or written.

export type TicketPrefix = 'T' | 'S';

/** `T-041`: T for appointments (Termin), S for walk-ins (Spontankunden); numbered per office and day. */
export function ticketLabel(prefix: TicketPrefix, number: number): string {
  return `${prefix}-${String(number).padStart(3, '0')}`;
}

export type CheckInWindow = { earlyMinutes: number; lateMinutes: number };

export type CheckInVerdict = { ok: true } | { ok: false; reason: 'too_early' | 'too_late'; opensAt: number; closesAt: number };

/**
 * Whether an appointment may be checked in at `now`: from `earlyMinutes` before its start to
 * `lateMinutes` after (a citizen 20 minutes late has lost the slot; a clerk may still serve them as a walk-in).
 */
export function checkInVerdict(start: number, now: number, window: CheckInWindow): CheckInVerdict {
  const opensAt = start - window.earlyMinutes * 60_000;
  const closesAt = start + window.lateMinutes * 60_000;
  if (now < opensAt) return { ok: false, reason: 'too_early', opensAt, closesAt };
  if (now > closesAt) return { ok: false, reason: 'too_late', opensAt, closesAt };
  return { ok: true };
}

export type QueueCandidate = {
  id: string;
  kind: 'appointment' | 'walkin';
  priority: boolean;
  /** Start of the appointment; null for walk-ins. */
  dueAt: number | null;
  arrivedAt: number;
  /** Forwarded to one counter: only that counter may call it. */
  targetCounter: number | null;
  label: string;
};

/**
 * The order in which a counter calls waiting tickets:
 * 0. emergencies (priority flag), by arrival;
 * 1. tickets forwarded to this very counter, by arrival (they have waited once already);
 * 2. appointments that are due (start <= now), by start — the promise of a booked time comes first;
 * 3. walk-ins, by arrival;
 * 4. appointments checked in early, by start (they are called once nothing else waits).
 * Ties fall back to the label, so the order is total and every counter computes the same one.
 */
export function callOrder(candidates: readonly QueueCandidate[], counter: number, now: number): QueueCandidate[] {
  const eligible = candidates.filter((c) => c.targetCounter === null || c.targetCounter === counter);
  const rank = (c: QueueCandidate): [number, number] => {
    if (c.priority) return [0, c.arrivedAt];
    if (c.targetCounter === counter) return [1, c.arrivedAt];
    if (c.kind === 'appointment') return (c.dueAt ?? 0) <= now ? [2, c.dueAt ?? 0] : [4, c.dueAt ?? 0];
    return [3, c.arrivedAt];
  };
  return eligible
    .map((c) => ({ c, r: rank(c) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.c.label.localeCompare(b.c.label))
    .map(({ c }) => c);
}

export type StaffingRange = { startTime: string; endTime: string; walkinCounters: number };

/**
 * Default daily walk-in quota: the minutes of walk-in counters staffed that day divided by the
 * minutes a walk-in takes on average (e.g. one walk-in counter 08:00–12:30 at 15 minutes: 18 tickets).
 */
export function defaultWalkinQuota(ranges: readonly StaffingRange[], minutesPerWalkin: number): number {
  const minutes = ranges.reduce((sum, r) => sum + Math.max(0, toMinutes(r.endTime) - toMinutes(r.startTime)) * r.walkinCounters, 0);
  return Math.floor(minutes / Math.max(1, minutesPerWalkin));
}

function toMinutes(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}

export type WaitEstimateInput = {
  /** Tickets called before a new walk-in (everyone waiting who is not an early appointment). */
  ahead: number;
  /** How long recent tickets were at the counter, in minutes (most recent first). */
  recentMinutes: readonly number[];
  /** Counters calling right now (at least 1 is assumed). */
  openCounters: number;
  /** Used while no ticket has been served yet today. */
  fallbackMinutes: number;
};

/**
 * Estimated wait of a walk-in who draws a ticket now, in whole minutes: the people ahead,
 * spread over the open counters, times the median of the last processing times (the median, so
 * one 50-minute passport case does not triple every estimate).
 */
export function estimateWaitMinutes(input: WaitEstimateInput): number {
  const sample = input.recentMinutes.slice(0, 20);
  const perTicket = sample.length === 0 ? input.fallbackMinutes : median(sample);
  const counters = Math.max(1, input.openCounters);
  return Math.ceil((input.ahead / counters) * perTicket);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
