import type { BookingChannel } from '../../domain/capacity-types.ts';
import { earliestStartAt, seatRule, type SeatRule } from '../../domain/release.ts';
import type { OfficeSchedule } from '../shared/catalogue.ts';

// seatRule() does calendar arithmetic with Temporal in the office's time zone, which costs more than
// the whole slot search. Everything it derives from the calendar (day starts, release instants) lies
// on whole minutes, so the rule of one minute holds for every instant in it; only the earliest start
// is recomputed per call. Keyed by the catalogue's schedule object, so a new snapshot starts afresh.
const memo = new WeakMap<OfficeSchedule, Map<BookingChannel, { minute: number; rule: SeatRule }>>();

export function currentSeatRule(schedule: OfficeSchedule, now: number, channel: BookingChannel): SeatRule {
  const minute = now - (now % 60_000);
  let perChannel = memo.get(schedule);
  if (!perChannel) memo.set(schedule, (perChannel = new Map()));
  let entry = perChannel.get(channel);
  if (entry?.minute !== minute) {
    entry = { minute, rule: seatRule({ policy: schedule.policy, timeZone: schedule.office.time_zone, now: minute, channel }) };
    perChannel.set(channel, entry);
  }
  return { ...entry.rule, earliestStart: earliestStartAt(schedule.policy, channel, now) };
}
