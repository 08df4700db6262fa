// Closing an office, some counters or a time range: who is affected, how each person is told, and
// how long a held replacement waits for an answer. Pure rules; the closure job applies them.
import { UNIT_MS } from './capacity-types.ts';

export type ClosureWindow = { from: number; to: number };

export type OpenAppointment = { id: string; start: number; end: number; createdAt: number };

/** How the office tells one person. 'call': a clerk phones; 'none': no contact data at all. */
export type NoticeChannel = 'email' | 'sms' | 'call' | 'none';

export function overlapsWindow(appointment: Pick<OpenAppointment, 'start' | 'end'>, window: ClosureWindow): boolean {
  return appointment.start < window.to && appointment.end > window.from;
}

/**
 * A whole-office closure affects every open appointment that overlaps the window and has not begun
 * (one that has begun is being served, or is past: nobody can be told not to come any more).
 */
export function affectedByOfficeClosure<T extends OpenAppointment>(appointments: readonly T[], window: ClosureWindow, now: number): T[] {
  return appointments.filter((a) => a.start > now && overlapsWindow(a, window)).sort(byStartThenBooking);
}

/**
 * A closure of some counters leaves fewer seats; only as many appointments go as no longer fit.
 * Sweeping through time, whenever more appointments overlap a unit than seats remain, the one that
 * ends last is dropped: for interval graphs this keeps the largest number of appointments on k
 * interchangeable counters (Carlisle & Lloyd, "On the k-coloring of intervals", 1995). Ties go
 * against the appointment booked last. `seatsAt` gives the seats left in the unit starting at t.
 */
export function displacedByCounterClosure<T extends OpenAppointment & { movable?: boolean }>(input: {
  appointments: readonly T[];
  seatsAt: (unitStart: number) => number;
  now: number;
}): T[] {
  // Appointments already under way (or checked in) hold their seat and cannot be moved.
  const canGo = (a: T) => a.start > input.now && a.movable !== false;
  const all = [...input.appointments].sort(byStartThenBooking);
  if (all.length === 0) return [];
  const displaced: T[] = [];
  let active: T[] = [];
  let next = 0;
  const first = Math.floor(all[0]!.start / UNIT_MS) * UNIT_MS;
  const last = Math.max(...all.map((a) => a.end));
  for (let t = first; t < last; t += UNIT_MS) {
    active = active.filter((a) => a.end > t);
    while (next < all.length && all[next]!.start <= t) active.push(all[next++]!);
    const seats = Math.max(0, input.seatsAt(t));
    while (active.length > seats) {
      let worst = -1;
      for (let i = 0; i < active.length; i++) {
        const a = active[i]!;
        if (!canGo(a)) continue;
        const w = worst < 0 ? null : active[worst]!;
        if (!w || a.end > w.end || (a.end === w.end && a.createdAt > w.createdAt)) worst = i;
      }
      if (worst < 0) break;
      displaced.push(active[worst]!);
      active.splice(worst, 1);
    }
  }
  return displaced.sort(byStartThenBooking);
}

function byStartThenBooking(a: OpenAppointment, b: OpenAppointment): number {
  return a.start - b.start || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * German mobile numbers (Bundesnetzagentur numbering plan: 015x, 016x, 017x), written nationally
 * (0151 …) or internationally (+49 151 …, 0049 151 …). Landlines and foreign numbers are not
 * assumed to take SMS: they go to a clerk who phones, which always works.
 */
export function isMobileNumber(phone: string): boolean {
  const digits = phone.replace(/[^0-9+]/g, '');
  const national = digits.startsWith('+49')
    ? digits.slice(3)
    : digits.startsWith('0049')
      ? digits.slice(4)
      : digits.startsWith('0')
        ? digits.slice(1)
        : null;
  return national !== null && /^1[5-7]\d{7,10}$/.test(national);
}

/** Email first (it carries the links and the calendar file), then SMS to a mobile, then a phone call. */
export function chooseNoticeChannel(contact: { email: string | null; phone: string | null; smsEnabled: boolean }): NoticeChannel {
  if (contact.email) return 'email';
  if (contact.phone && contact.smsEnabled && isMobileNumber(contact.phone)) return 'sms';
  if (contact.phone) return 'call';
  return 'none';
}

export type Reachability = { appointments: number; email: number; sms: number; phoneOnly: number; unreachable: number };

export function summariseReachability(channels: readonly NoticeChannel[]): Reachability {
  const count = (c: NoticeChannel) => channels.filter((x) => x === c).length;
  return { appointments: channels.length, email: count('email'), sms: count('sms'), phoneOnly: count('call'), unreachable: count('none') };
}

const HOUR_MS = 3_600_000;

/**
 * The deadline of a held replacement: `holdHours` from now, but never later than an hour before the
 * slot itself, so an unanswered hold is given back while someone else can still use it.
 */
export function offerDeadline(input: { now: number; slotStart: number; holdHours: number }): number {
  return Math.max(input.now, Math.min(input.now + input.holdHours * HOUR_MS, input.slotStart - HOUR_MS));
}

/** The reminder goes out a quarter of the hold time before the deadline, at most 12 h; none for holds under 2 h. */
export function offerReminderAt(input: { now: number; deadline: number }): number | null {
  const span = input.deadline - input.now;
  if (span < 2 * HOUR_MS) return null;
  return input.deadline - Math.min(12 * HOUR_MS, Math.floor(span / 4));
}

/**
 * An appointment reminder is due `leadHours` before the start, unless the appointment was booked
 * inside that window (the confirmation has just told them).
 */
export function reminderDue(input: { start: number; bookedAt: number; now: number; leadHours: number }): boolean {
  const dueAt = input.start - input.leadHours * HOUR_MS;
  return input.now >= dueAt && input.now < input.start && input.bookedAt < dueAt;
}
