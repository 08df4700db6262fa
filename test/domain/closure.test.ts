import { describe, expect, it } from 'vitest';
import { UNIT_MS } from '../../src/domain/capacity-types.ts';
import {
  affectedByOfficeClosure,
  chooseNoticeChannel,
  displacedByCounterClosure,
  isMobileNumber,
  offerDeadline,
  offerReminderAt,
  reminderDue,
} from '../../src/domain/closure.ts';
import { ReplacementFinder, type ReplacementUnit } from '../../src/domain/replacement.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-11-26T07:00:00Z');
const appt = (id: string, startUnit: number, units: number, createdAt = 0) => ({
  id,
  start: T0 + startUnit * UNIT_MS,
  end: T0 + (startUnit + units) * UNIT_MS,
  createdAt,
});

describe('who a closure affects', () => {
  it('a whole-office closure takes every appointment overlapping the window that has not begun', () => {
    const list = [appt('begun', 0, 2), appt('inside', 4, 2), appt('overlapping-end', 11, 2), appt('after', 12, 2)];
    const affected = affectedByOfficeClosure(list, { from: T0, to: T0 + 12 * UNIT_MS }, T0 + UNIT_MS);
    expect(affected.map((a) => a.id)).toEqual(['inside', 'overlapping-end']);
  });

  it('closing one of two counters displaces only what no longer fits, dropping the one that ends last', () => {
    const list = [appt('a', 0, 4, 1), appt('b', 1, 1, 2), appt('c', 2, 6, 3), appt('d', 5, 1, 4)];
    const displaced = displacedByCounterClosure({ appointments: list, now: T0 - 1, seatsAt: () => 1 });
    // Two is the most that fits on one counter; at 07:05 a (ends later) gives way to b, at 07:25 c to d.
    expect(displaced.map((a) => a.id).sort()).toEqual(['a', 'c']);
  });

  it('an appointment already under way keeps its seat; others make room', () => {
    const list = [{ ...appt('served', 0, 6), movable: false }, appt('waiting', 2, 2)];
    expect(displacedByCounterClosure({ appointments: list, now: T0 + UNIT_MS, seatsAt: () => 1 }).map((a) => a.id)).toEqual(['waiting']);
  });
});

describe('how a person is told', () => {
  it('recognises German mobile numbers in national and international form', () => {
    expect(['0151 23456789', '+49 170 1234567', '0049 (0)160-1234567'.replace('(0)', ''), '+491761234567'].map(isMobileNumber)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0221 4710100', '+43 664 1234567', '110'].map(isMobileNumber)).toEqual([false, false, false]);
  });

  it('email first, SMS to a mobile when a gateway exists, else a phone call, else nobody', () => {
    expect(chooseNoticeChannel({ email: 'a@b.de', phone: '0151 23456789', smsEnabled: true })).toBe('email');
    expect(chooseNoticeChannel({ email: null, phone: '0151 23456789', smsEnabled: true })).toBe('sms');
    expect(chooseNoticeChannel({ email: null, phone: '0151 23456789', smsEnabled: false })).toBe('call');
    expect(chooseNoticeChannel({ email: null, phone: '0221 4710100', smsEnabled: true })).toBe('call');
    expect(chooseNoticeChannel({ email: null, phone: null, smsEnabled: true })).toBe('none');
  });
});

describe('deadlines', () => {
  it('a hold lasts 48 h but ends an hour before the slot, and is reminded a quarter (at most 12 h) before', () => {
    expect(offerDeadline({ now: T0, slotStart: T0 + 100 * H, holdHours: 48 })).toBe(T0 + 48 * H);
    expect(offerDeadline({ now: T0, slotStart: T0 + 5 * H, holdHours: 48 })).toBe(T0 + 4 * H);
    expect(offerReminderAt({ now: T0, deadline: T0 + 48 * H })).toBe(T0 + 36 * H);
    expect(offerReminderAt({ now: T0, deadline: T0 + 4 * H })).toBe(T0 + 3 * H);
    expect(offerReminderAt({ now: T0, deadline: T0 + H })).toBeNull();
  });

  it('an appointment reminder is due 24 h before, not for bookings made inside that window', () => {
    const start = T0 + 30 * H;
    expect(reminderDue({ start, bookedAt: T0 - H, now: start - 24 * H, leadHours: 24 })).toBe(true);
    expect(reminderDue({ start, bookedAt: T0 - H, now: start - 25 * H, leadHours: 24 })).toBe(false);
    expect(reminderDue({ start, bookedAt: start - 2 * H, now: start - H, leadHours: 24 })).toBe(false);
  });
});

describe('replacement search', () => {
  const units = (n: number, capacity: number, extra: Partial<ReplacementUnit> = {}): ReplacementUnit[] =>
    Array.from({ length: n }, (_, i) => ({ startsAt: T0 + i * UNIT_MS, capacity, heldBack: 0, phoneReserved: 0, load: 0, ...extra }));
  const office = (officeId: string, list: ReplacementUnit[]) => ({
    officeId,
    units: list,
    limit: { heldBackReleasedFrom: 0, heldBackReleasedUntil: 0 },
    earliestStart: T0,
    latestStartExclusive: T0 + 1000 * UNIT_MS,
  });

  it('prefers the same office, then the other office with the earliest time, and never overfills', () => {
    const own = units(4, 1);
    own[0]!.load = 1;
    const finder = new ReplacementFinder([office('own', own), office('far', units(8, 1)), office('near', units(8, 2))]);
    const picks = [] as string[];
    for (let i = 0; i < 4; i++) {
      const slot = finder.find({ preferredOfficeId: 'own', otherOfficeIds: ['far', 'near'], durationUnits: 2 });
      if (!slot) break;
      finder.take(slot);
      picks.push(`${slot.officeId}@${(slot.start - T0) / UNIT_MS}`);
    }
    expect(picks).toEqual(['own@1', 'far@0', 'near@0', 'near@0']);
  });

  it('phone seats are open to replacements, closed seats are not', () => {
    const finder = new ReplacementFinder([
      office('x', [
        ...units(2, 1, { closed: 1 }),
        ...units(2, 1, { phoneReserved: 1 }).map((u, i) => ({ ...u, startsAt: T0 + (2 + i) * UNIT_MS })),
      ]),
    ]);
    expect(finder.find({ preferredOfficeId: 'x', otherOfficeIds: [], durationUnits: 2 })?.start).toBe(T0 + 2 * UNIT_MS);
  });
});
