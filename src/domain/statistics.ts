// Figures for team leads and the public transparency page, computed from recorded status changes.
// Pure: histories in, figures out. The same functions turn raw events into hourly facts (the
// aggregation job) and hourly facts into the figures of any range (pages, API, CSV), so a figure
// can always be recomputed from the events.
import { Temporal } from 'temporal-polyfill';

/** Waiting and processing times are kept as a histogram of whole minutes; the last bucket holds everything longer. */
export const HISTOGRAM_MINUTES = 180;
const BUCKETS = HISTOGRAM_MINUTES + 1;

/** What one appointment went through (from appointment_event), without any personal data. */
export type AppointmentHistory = {
  officeId: string;
  serviceIds: readonly string[];
  events: readonly { at: number; action: string; toStatus: string | null; reason?: string | null }[];
};

/** A queue ticket of one office day (appointment or walk-in), with its first call. */
export type TicketHistory = {
  officeId: string;
  serviceId: string | null;
  kind: 'appointment' | 'walkin';
  state: 'waiting' | 'called' | 'served' | 'no_show' | 'cancelled';
  arrivedAt: number;
  /** The appointment's time (ticket.due_at); null for a walk-in. */
  dueAt?: number | null;
  firstCalledAt: number | null;
  finishedAt: number | null;
};

/**
 * An appointment by the hour it was for (#17 item 5): whatever happened to it since, it belongs to
 * that day's appointments — kept, or cancelled. Reservations nobody confirmed are not counted.
 */
export type ScheduledAppointment = { officeId: string; serviceIds: readonly string[]; startsAt: number; cancelled: boolean };

/** A walk-in sent away because the day's walk-in quota was used up. */
export type WalkinRefusal = { officeId: string; serviceId: string | null; at: number };

export type Counts = {
  /** Bookings made in this hour, for whatever day (demand). */
  booked: number;
  /** Appointments for this hour that were kept (not cancelled), whatever their outcome. */
  appointmentsDue: number;
  /** Appointments for this hour that were cancelled, by anyone, whenever. */
  appointmentsCancelled: number;
  served: number;
  noShow: number;
  cancelledByCitizen: number;
  cancelledByOffice: number;
  walkinsServed: number;
  walkinsTurnedAway: number;
  /** Tickets by the hour of arrival (#17 item 2): check-ins of appointments and walk-in tickets, whatever became of them. */
  arrivals: number;
  /** Of these, walk-ins: the arrivals no booking announced. */
  walkinArrivals: number;
  /** Arrivals called within 15 / 30 minutes of their appointment time, or of arriving when that was later (#17 item 4). */
  calledWithin15: number;
  calledWithin30: number;
  waits: number;
  waitSeconds: number;
  waitHistogram: number[];
  processed: number;
  processingSeconds: number;
  processingHistogram: number[];
};

/** Counts of one office, service, local day and hour. service '*' holds the office's totals (an appointment with two services counts once). */
export type HourlyFact = Counts & { officeId: string; serviceId: string; day: string; hour: number };

export const ALL_SERVICES = '*';

export function emptyCounts(): Counts {
  return {
    booked: 0,
    appointmentsDue: 0,
    appointmentsCancelled: 0,
    served: 0,
    noShow: 0,
    cancelledByCitizen: 0,
    cancelledByOffice: 0,
    walkinsServed: 0,
    walkinsTurnedAway: 0,
    arrivals: 0,
    walkinArrivals: 0,
    calledWithin15: 0,
    calledWithin30: 0,
    waits: 0,
    waitSeconds: 0,
    waitHistogram: new Array<number>(BUCKETS).fill(0),
    processed: 0,
    processingSeconds: 0,
    processingHistogram: new Array<number>(BUCKETS).fill(0),
  };
}

/** Office-local day and hour of an instant. On the DST days the hour is the wall-clock hour: 25 October has two hours "2". */
export function localDayHour(at: number, timeZone: string): { day: string; hour: number } {
  const z = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone);
  return { day: z.toPlainDate().toString(), hour: z.hour };
}

function bucketOf(seconds: number): number {
  return Math.min(Math.max(Math.floor(seconds / 60), 0), HISTOGRAM_MINUTES);
}

type Bumper = (officeId: string, serviceIds: readonly (string | null)[], at: number, apply: (c: Counts) => void) => void;

/**
 * Turns histories into hourly facts. Every count belongs to the office-local hour in which it
 * happened: a booking to the hour it was made (demand), served/no-show to the hour of the
 * counter's verdict, a wait to the hour of the check-in — except the appointments of a day, which
 * belong to the hour they were for (`scheduled`).
 */
export function hourlyFacts(input: {
  timeZoneOf: (officeId: string) => string;
  appointments: readonly AppointmentHistory[];
  scheduled?: readonly ScheduledAppointment[];
  tickets: readonly TicketHistory[];
  refusals: readonly WalkinRefusal[];
}): HourlyFact[] {
  const facts = new Map<string, HourlyFact>();
  const bump: Bumper = (officeId, serviceIds, at, apply) => {
    const { day, hour } = localDayHour(at, input.timeZoneOf(officeId));
    const keys = new Set<string>([ALL_SERVICES, ...serviceIds.filter((s): s is string => s !== null)]);
    for (const serviceId of keys) {
      const key = `${officeId}\u0000${serviceId}\u0000${day}\u0000${hour}`;
      let fact = facts.get(key);
      if (!fact) facts.set(key, (fact = { officeId, serviceId, day, hour, ...emptyCounts() }));
      apply(fact);
    }
  };
  for (const a of input.appointments) addAppointment(bump, a);
  for (const a of input.scheduled ?? [])
    bump(a.officeId, a.serviceIds, a.startsAt, a.cancelled ? (c) => c.appointmentsCancelled++ : (c) => c.appointmentsDue++);
  for (const t of input.tickets) addTicket(bump, t);
  for (const r of input.refusals) bump(r.officeId, [r.serviceId], r.at, (c) => c.walkinsTurnedAway++);
  return [...facts.values()].sort(
    (a, b) =>
      a.officeId.localeCompare(b.officeId) || a.serviceId.localeCompare(b.serviceId) || a.day.localeCompare(b.day) || a.hour - b.hour,
  );
}

function addAppointment(bump: Bumper, a: AppointmentHistory): void {
  for (const e of a.events) {
    const apply = appointmentEffect(e);
    if (apply) bump(a.officeId, a.serviceIds, e.at, apply);
  }
}

/**
 * Which count an event changes. A booking counts once (a move, `rescheduled`, is not a new booking);
 * a cancellation is the office's when a closure or the office caused it, the citizen's otherwise.
 */
export function appointmentEffect(e: AppointmentHistory['events'][number]): ((c: Counts) => void) | null {
  if (e.action === 'booked') return (c) => c.booked++;
  if (e.toStatus === 'served' && e.action === 'served') return (c) => c.served++;
  if (e.toStatus === 'no_show' && e.action === 'no_show') return (c) => c.noShow++;
  // A clerk took a no-show back (a late arrival, #17): the event is dated at the no-show it undoes.
  if (e.action === 'no_show_reverted') return (c) => c.noShow--;
  if (e.action === 'cancelled') return e.reason === 'office' ? (c) => c.cancelledByOffice++ : (c) => c.cancelledByCitizen++;
  return null;
}

function addTicket(bump: Bumper, t: TicketHistory): void {
  // Every ticket is someone who came, called or not (a check-in the clerk later cancelled still stood in the hall).
  // Service level (#17 item 4): a booked person is owed the call at the appointment time, or on
  // arrival if late; a walk-in on arrival. Someone never called misses it (they counted as arrivals).
  const owedAt = Math.max(t.arrivedAt, t.dueAt ?? t.arrivedAt);
  const late = t.firstCalledAt === null ? Infinity : t.firstCalledAt - owedAt;
  bump(t.officeId, [t.serviceId], t.arrivedAt, (c) => {
    c.arrivals++;
    if (t.kind === 'walkin') c.walkinArrivals++;
    if (late <= 15 * 60_000) c.calledWithin15++;
    if (late <= 30 * 60_000) c.calledWithin30++;
  });
  if (t.kind === 'walkin' && t.state === 'served' && t.finishedAt !== null)
    bump(t.officeId, [t.serviceId], t.finishedAt, (c) => c.walkinsServed++);
  if (t.firstCalledAt !== null) {
    const wait = Math.max(0, (t.firstCalledAt - t.arrivedAt) / 1000);
    bump(t.officeId, [t.serviceId], t.arrivedAt, (c) => {
      c.waits++;
      c.waitSeconds += Math.round(wait);
      c.waitHistogram[bucketOf(wait)]!++;
    });
  }
  if (t.state === 'served' && t.firstCalledAt !== null && t.finishedAt !== null) {
    const processing = Math.max(0, (t.finishedAt - t.firstCalledAt) / 1000);
    bump(t.officeId, [t.serviceId], t.firstCalledAt, (c) => {
      c.processed++;
      c.processingSeconds += Math.round(processing);
      c.processingHistogram[bucketOf(processing)]!++;
    });
  }
}

/** Adds counts (histograms bucket by bucket). */
export function sumCounts(rows: readonly Counts[]): Counts {
  const total = emptyCounts();
  for (const r of rows) {
    total.booked += r.booked;
    total.appointmentsDue += r.appointmentsDue;
    total.appointmentsCancelled += r.appointmentsCancelled;
    total.served += r.served;
    total.noShow += r.noShow;
    total.cancelledByCitizen += r.cancelledByCitizen;
    total.cancelledByOffice += r.cancelledByOffice;
    total.walkinsServed += r.walkinsServed;
    total.walkinsTurnedAway += r.walkinsTurnedAway;
    total.arrivals += r.arrivals;
    total.walkinArrivals += r.walkinArrivals;
    total.calledWithin15 += r.calledWithin15;
    total.calledWithin30 += r.calledWithin30;
    total.waits += r.waits;
    total.waitSeconds += r.waitSeconds;
    total.processed += r.processed;
    total.processingSeconds += r.processingSeconds;
    for (let i = 0; i < BUCKETS; i++) {
      total.waitHistogram[i]! += r.waitHistogram[i] ?? 0;
      total.processingHistogram[i]! += r.processingHistogram[i] ?? 0;
    }
  }
  return total;
}

/**
 * The p-quantile (0 < p <= 1) of a minute histogram by the nearest-rank rule: the smallest minute
 * m such that at least p of all values lie in minutes <= m. null without values.
 */
export function histogramQuantile(histogram: readonly number[], p: number): number | null {
  const n = histogram.reduce((s, x) => s + x, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let m = 0; m < histogram.length; m++) {
    seen += histogram[m]!;
    if (seen >= rank) return m;
  }
  return histogram.length - 1;
}

/** Nearest-rank quantile of plain values (the independent recomputation in tests uses this). */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

export type Figures = {
  /** Bookings made in the range, for any day. */
  booked: number;
  /** Appointments for days in the range, kept / cancelled (#17 item 5). */
  appointmentsDue: number;
  appointmentsCancelled: number;
  served: number;
  noShow: number;
  /** No-shows among the appointments that were due and decided (served + no-show); null when none. */
  noShowRate: number | null;
  cancelledByCitizen: number;
  cancelledByOffice: number;
  walkinsServed: number;
  walkinsTurnedAway: number;
  /** Tickets by the hour of arrival: check-ins and walk-ins (#17 item 2). */
  arrivals: number;
  walkinArrivals: number;
  /** Share of arrivals called within 15 / 30 minutes of their appointment time or arrival (later of the two); null without arrivals. */
  serviceLevel15: number | null;
  serviceLevel30: number | null;
  /** Check-in (or arrival of a walk-in) to the first call, whole minutes. */
  waitMedianMinutes: number | null;
  waitP90Minutes: number | null;
  /** First call to served, whole minutes. */
  processingMedianMinutes: number | null;
  processingMeanMinutes: number | null;
  /** Time spent serving / counter time staffed for appointments; null when nothing was staffed. */
  utilisation: number | null;
};

/** The figures of any set of hourly facts; `staffedSeconds` is the counter time staffed in the same range. */
export function figuresOf(counts: Counts, staffedSeconds: number): Figures {
  const decided = counts.served + counts.noShow;
  return {
    booked: counts.booked,
    appointmentsDue: counts.appointmentsDue,
    appointmentsCancelled: counts.appointmentsCancelled,
    served: counts.served,
    noShow: counts.noShow,
    noShowRate: decided > 0 ? counts.noShow / decided : null,
    cancelledByCitizen: counts.cancelledByCitizen,
    cancelledByOffice: counts.cancelledByOffice,
    walkinsServed: counts.walkinsServed,
    walkinsTurnedAway: counts.walkinsTurnedAway,
    arrivals: counts.arrivals,
    walkinArrivals: counts.walkinArrivals,
    serviceLevel15: counts.arrivals > 0 ? counts.calledWithin15 / counts.arrivals : null,
    serviceLevel30: counts.arrivals > 0 ? counts.calledWithin30 / counts.arrivals : null,
    waitMedianMinutes: histogramQuantile(counts.waitHistogram, 0.5),
    waitP90Minutes: histogramQuantile(counts.waitHistogram, 0.9),
    processingMedianMinutes: histogramQuantile(counts.processingHistogram, 0.5),
    processingMeanMinutes: counts.processed > 0 ? Math.round(counts.processingSeconds / counts.processed / 6) / 10 : null,
    utilisation: staffedSeconds > 0 ? counts.processingSeconds / staffedSeconds : null,
  };
}

/** A weekday-and-hour cell of typical waiting times (ISO weekday 1 = Monday). */
export type WaitCell = { weekday: number; hour: number; waits: number; medianMinutes: number | null };

/**
 * The hours of the week with the shortest typical wait ("donnerstags 15–17 Uhr am kürzesten"): the
 * cell with the lowest median, widened to the neighbouring hours of the same day with the same
 * median. Cells with fewer than `minWaits` waits say too little (and could single people out).
 */
export function shortestWaitWindow(
  cells: readonly WaitCell[],
  minWaits = 5,
): { weekday: number; fromHour: number; toHour: number; medianMinutes: number } | null {
  const usable = cells.filter((c): c is WaitCell & { medianMinutes: number } => c.medianMinutes !== null && c.waits >= minWaits);
  if (usable.length === 0) return null;
  const best = [...usable].sort(
    (a, b) => a.medianMinutes - b.medianMinutes || b.waits - a.waits || a.weekday - b.weekday || a.hour - b.hour,
  )[0]!;
  const same = (hour: number) =>
    usable.some((c) => c.weekday === best.weekday && c.hour === hour && c.medianMinutes === best.medianMinutes);
  let from = best.hour;
  let to = best.hour + 1;
  while (same(from - 1)) from--;
  while (same(to)) to++;
  return { weekday: best.weekday, fromHour: from, toHour: to, medianMinutes: best.medianMinutes };
}

/** A line of the weekly staffing plan, as far as walk-in counters are concerned. */
export type WalkinStaffing = { weekday: number; startTime: string; endTime: string; walkinCounters: number };

/**
 * Seconds of walk-in counter time staffed in each local hour of a day with the given weekday
 * (1 = Monday). Walk-in counters have no capacity units, so without this, utilisation would set
 * the serving time of walk-ins against appointment counter time only and overstate it.
 */
export function walkinSecondsByHour(plan: readonly WalkinStaffing[], weekday: number): Map<number, number> {
  const byHour = new Map<number, number>();
  for (const line of plan) {
    if (line.weekday !== weekday || line.walkinCounters <= 0) continue;
    const from = minutesOf(line.startTime);
    const to = minutesOf(line.endTime);
    for (let hour = Math.floor(from / 60); hour * 60 < to; hour++) {
      const minutes = Math.min(to, (hour + 1) * 60) - Math.max(from, hour * 60);
      if (minutes > 0) byHour.set(hour, (byHour.get(hour) ?? 0) + minutes * 60 * line.walkinCounters);
    }
  }
  return byHour;
}

function minutesOf(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}
