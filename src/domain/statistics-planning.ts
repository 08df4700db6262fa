// Lead time ("nächster Termin in 23 Tagen"), a four-week forecast, and what it would take to keep
// the lead time under a target. Deliberately a simple fluid model a team lead can check by hand:
// seats are released at a steady weekly rate, demand arrives at a steady weekly rate, and the
// appointments already booked ahead form the backlog in front of the next free slot.
import { localPlainDate } from './zoned-time.ts';

/**
 * Calendar days from the office-local today to the day of the first free slot (0: today).
 * null: nothing free within the released horizon.
 */
export function leadTimeDays(input: { now: number; firstFree: number | null; timeZone: string }): number | null {
  if (input.firstFree === null) return null;
  const day = (ms: number) => localPlainDate(ms, input.timeZone);
  return Math.max(0, day(input.now).until(day(input.firstFree), { largestUnit: 'days' }).days);
}

export type PlanningInput = {
  /** Today's lead time in days. */
  leadDays: number;
  /** Appointments of this service the office releases per week. */
  weeklySeats: number;
  /**
   * Appointments of this service wanted per week (recent average): the bookings, plus the unmet
   * demand — bookings alone are capped by the seats, so they underestimate demand exactly when the
   * office is full.
   */
  weeklyDemand: number;
};

export type ForecastWeek = { week: number; leadDays: number };

/** Demand the office did not meet in a period (#17 item 6): people the bookings do not show. */
export type UnmetDemand = {
  /** Waiting-list entries made (each a person), less those that became a booking. */
  waitingListJoined: number;
  /** Citizen searches that found no free slot (one person searches several times). */
  searchMisses: number;
  /** Walk-ins turned away at the door. */
  walkinsTurnedAway: number;
};

/**
 * How many searches that found nothing make one person: someone who finds nothing tries other days,
 * the other office, and again the next morning. An assumption, stated on the statistics page; the
 * three counts are shown beside the estimate so a team lead can judge it.
 */
export const SEARCHES_PER_PERSON_WITHOUT_SLOT = 3;

/**
 * People who wanted an appointment and got none. Someone who finds nothing online is offered the
 * waiting list, so those who join are mostly among the searches: the larger of the two is counted,
 * never both. Walk-ins turned away came to the door and are added.
 */
export function estimateUnmetDemand(d: UnmetDemand): number {
  return Math.max(d.waitingListJoined, d.searchMisses / SEARCHES_PER_PERSON_WITHOUT_SLOT) + d.walkinsTurnedAway;
}

/**
 * Lead time at the end of each of the next `weeks` weeks. The backlog in front of the first free
 * slot is leadDays/7 weeks of seats; each week adds the demand and removes the seats released.
 */
export function forecastLeadTime(input: PlanningInput & { weeks?: number }): ForecastWeek[] {
  const weeks = input.weeks ?? 4;
  const { weeklySeats, weeklyDemand } = input;
  if (weeklySeats <= 0) return Array.from({ length: weeks }, (_, i) => ({ week: i + 1, leadDays: Number.POSITIVE_INFINITY }));
  let backlog = (input.leadDays / 7) * weeklySeats;
  const out: ForecastWeek[] = [];
  for (let week = 1; week <= weeks; week++) {
    backlog = Math.max(0, backlog + weeklyDemand - weeklySeats);
    out.push({ week, leadDays: Math.round((backlog / weeklySeats) * 7) });
  }
  return out;
}

/**
 * Extra counter hours per week that bring the lead time down to at most `targetDays` within
 * `weeks` weeks and keep it there (the seats must at least match the demand). 0 when the current
 * capacity already does it. Solves 7·(B + w·D − w·C′)/C′ ≤ N for C′ with B = L·C/7.
 */
export function extraCounterHoursNeeded(
  input: PlanningInput & { targetDays: number; seatsPerCounterHour: number; weeks?: number },
): number {
  const weeks = input.weeks ?? 4;
  const { weeklySeats: c, weeklyDemand: d, leadDays: l, targetDays: n } = input;
  const backlog = (l / 7) * c;
  const needed = Math.max(d, (7 * backlog + 7 * weeks * d) / (n + 7 * weeks));
  if (needed <= c) return 0;
  return Math.ceil((needed - c) / input.seatsPerCounterHour);
}
