import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { UNIT_MS } from '../../src/domain/capacity-types.ts';
import {
  criteriaProblems,
  earliestOfferableStart,
  firstMatch,
  offerOrder,
  searchDates,
  slotMatches,
  spreadSlots,
  waitingOfferDeadline,
  type FreeSlot,
  type WaitingCriteria,
} from '../../src/domain/waiting-list.ts';

const BERLIN = 'Europe/Berlin';
const H = 3_600_000;
/** Office-local wall time in Berlin as epoch ms. */
const at = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(BERLIN).epochMilliseconds;
const slot = (local: string, minutes: number, officeId = 'rathaus'): FreeSlot => ({
  officeId,
  start: at(local),
  end: at(local) + minutes * 60_000,
  timeZone: BERLIN,
});

const entry: WaitingCriteria & { durationUnits: number } = {
  officeIds: ['rathaus', 'nord'],
  earliestDate: '2026-12-01',
  latestDate: '2026-12-18',
  weekdays: [2, 4], // Tuesday, Thursday
  fromTime: '08:00',
  toTime: '12:00',
  durationUnits: 4, // 20 minutes
};

describe('does a free slot suit a waiting entry', () => {
  it('takes a slot in range on a wanted weekday inside the time of day', () => {
    expect(slotMatches(entry, slot('2026-12-01T09:00', 20))).toBe(true); // Tuesday
    expect(slotMatches(entry, slot('2026-12-03T08:00', 20, 'nord'))).toBe(true); // Thursday, other chosen office
  });

  it('refuses another office, a weekday not chosen, or a date outside the range', () => {
    expect(slotMatches(entry, slot('2026-12-01T09:00', 20, 'sued'))).toBe(false);
    expect(slotMatches(entry, slot('2026-12-02T09:00', 20))).toBe(false); // Wednesday
    expect(slotMatches(entry, slot('2026-11-26T09:00', 20))).toBe(false); // Thursday before the range
    expect(slotMatches(entry, slot('2026-12-22T09:00', 20))).toBe(false); // Tuesday after it
    expect(slotMatches(entry, slot('2026-12-17T09:00', 20))).toBe(true); // last Thursday inside
  });

  it('bounds are office-local: 00:30 in Berlin on the 1st is still the 30th of November in UTC', () => {
    const late = { ...entry, weekdays: [2] as const, fromTime: '00:00', toTime: '24:00' };
    const s = slot('2026-12-01T00:30', 20);
    expect(new Date(s.start).toISOString().slice(0, 10)).toBe('2026-11-30');
    expect(slotMatches({ ...late, weekdays: [2] }, s)).toBe(true);
    expect(slotMatches({ ...late, weekdays: [2], earliestDate: '2026-12-02' }, s)).toBe(false);
  });

  it('the whole appointment must lie inside the time of day, not only its start', () => {
    expect(slotMatches(entry, slot('2026-12-01T11:40', 20))).toBe(true); // ends 12:00 exactly
    expect(slotMatches(entry, slot('2026-12-01T11:45', 20))).toBe(false); // would end 12:05
    expect(slotMatches(entry, slot('2026-12-01T07:55', 30))).toBe(false); // starts before 08:00
  });

  it('time of day is wall time across the DST change (summer 08:00 is 06:00 UTC, winter 07:00 UTC)', () => {
    const summer = { ...entry, earliestDate: '2027-03-01', latestDate: '2027-04-30', weekdays: [1, 2, 3, 4, 5] as const };
    const before = slot('2027-03-26T08:00', 20); // Friday, CET
    const after = slot('2027-03-29T08:00', 20); // Monday, CEST
    expect(new Date(before.start).getUTCHours()).toBe(7);
    expect(new Date(after.start).getUTCHours()).toBe(6);
    expect(slotMatches({ ...summer, weekdays: [1, 5] }, before)).toBe(true);
    expect(slotMatches({ ...summer, weekdays: [1, 5] }, after)).toBe(true);
    expect(slotMatches({ ...summer, weekdays: [1, 5] }, { ...after, start: after.start - H, end: after.end - H })).toBe(false); // 07:00 CEST
  });

  it('agrees with Temporal at every 5-minute start of both DST weekends (the fast path uses a memoised offset)', () => {
    const wanted = {
      officeIds: ['rathaus'],
      earliestDate: '2026-03-28',
      latestDate: '2026-10-25',
      weekdays: [6, 7] as const,
      fromTime: '01:30',
      toTime: '03:15',
      durationUnits: 6,
    };
    const reference = (start: number) => {
      const s = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(BERLIN);
      const e = Temporal.Instant.fromEpochMilliseconds(start + 30 * 60_000).toZonedDateTimeISO(BERLIN);
      const endMinutes = (e.toPlainDate().equals(s.toPlainDate()) ? 0 : 1440) + e.hour * 60 + e.minute;
      const date = s.toPlainDate().toString();
      return (
        date >= wanted.earliestDate &&
        date <= wanted.latestDate &&
        [6, 7].includes(s.dayOfWeek) &&
        s.hour * 60 + s.minute >= 90 &&
        endMinutes <= 195
      );
    };
    let matches = 0;
    for (const day of ['2026-03-27T22:00:00Z', '2026-10-23T22:00:00Z']) {
      for (let t = Date.parse(day); t < Date.parse(day) + 3 * 86_400_000; t += UNIT_MS) {
        const s: FreeSlot = { officeId: 'rathaus', start: t, end: t + 30 * 60_000, timeZone: BERLIN };
        expect(slotMatches({ ...wanted, weekdays: [6, 7] }, s), new Date(t).toISOString()).toBe(reference(t));
        if (reference(t)) matches++;
      }
    }
    expect(matches).toBeGreaterThan(20);
  });

  it('a free stretch shorter than the appointment does not suit it', () => {
    expect(slotMatches(entry, slot('2026-12-01T09:00', 15))).toBe(false);
    expect(slotMatches({ ...entry, durationUnits: 3 }, slot('2026-12-01T09:00', 15))).toBe(true);
  });

  it('firstMatch picks the earliest suitable slot, whatever the order of the list', () => {
    const slots = [
      slot('2026-12-03T09:00', 20),
      slot('2026-12-02T09:00', 20),
      slot('2026-12-01T11:50', 20),
      slot('2026-12-01T10:00', 20, 'nord'),
    ];
    expect(firstMatch(entry, slots)).toEqual(slot('2026-12-01T10:00', 20, 'nord'));
    expect(firstMatch(entry, [slot('2026-12-02T09:00', 20)])).toBeNull();
  });
});

describe('who is asked first', () => {
  it('in order of joining; equal times by id so the order never flips between runs', () => {
    const list = [
      { id: 'c', joinedAt: 3 },
      { id: 'b', joinedAt: 1 },
      { id: 'a', joinedAt: 1 },
      { id: 'd', joinedAt: 2 },
    ];
    expect(offerOrder(list).map((e) => e.id)).toEqual(['a', 'b', 'd', 'c']);
  });
});

describe('criteria a citizen may give', () => {
  const today = '2026-11-25';
  it('accepts a sensible range and lists every problem of a bad one at once', () => {
    expect(criteriaProblems(entry, today)).toEqual([]);
    const bad = criteriaProblems(
      { officeIds: [], earliestDate: '2026-12-10', latestDate: '2026-12-01', weekdays: [], fromTime: '12:00', toTime: '8:00' },
      today,
    );
    expect(bad.map((p) => p.path).sort()).toEqual(['latestDate', 'officeIds', 'toTime', 'weekdays']);
    expect(criteriaProblems({ ...entry, fromTime: '12:00', toTime: '12:00' }, today).map((p) => p.path)).toEqual(['toTime']);
  });

  it('refuses a range that has passed, an impossible date, and waits beyond 180 days', () => {
    expect(criteriaProblems({ ...entry, earliestDate: '2026-11-01', latestDate: '2026-11-24' }, today).map((p) => p.path)).toEqual([
      'latestDate',
    ]);
    expect(criteriaProblems({ ...entry, earliestDate: '2026-02-30' }, today).map((p) => p.path)).toEqual(['earliestDate']);
    expect(criteriaProblems({ ...entry, latestDate: '2027-06-01' }, today).map((p) => p.path)).toEqual(['latestDate']);
    expect(criteriaProblems({ ...entry, weekdays: [0 as 1] }, today).map((p) => p.path)).toEqual(['weekdays']);
  });

  it('searches from today when the range began in the past; nothing once it has ended', () => {
    expect(searchDates({ earliestDate: '2026-11-20', latestDate: '2026-12-01' }, today)).toEqual({ from: today, to: '2026-12-01' });
    expect(searchDates({ earliestDate: '2026-12-01', latestDate: '2026-12-05' }, today)).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(searchDates({ earliestDate: '2026-11-01', latestDate: '2026-11-24' }, today)).toBeNull();
  });
});

describe('holding an offer', () => {
  const now = Date.parse('2026-11-25T07:00:00Z'); // 08:00 in Berlin
  const berlin = (iso: string) => Date.parse(`${iso}+01:00`);
  const deadline = (at: number, slotStart: number) =>
    waitingOfferDeadline({ now: at, slotStart, holdMs: 2 * H, timeZone: 'Europe/Berlin' });

  it('holds for the configured time, but gives the seat back an hour before the slot', () => {
    expect(deadline(now, now + 24 * H)).toBe(now + 2 * H);
    expect(deadline(now, now + 2.5 * H)).toBe(now + 1.5 * H);
  });

  it('counts the hold in office daytime only: an offer made at night runs from 07:00 (#22 item 5)', () => {
    const slot = berlin('2026-11-27T10:00:00');
    expect(deadline(berlin('2026-11-25T23:00:00'), slot)).toBe(berlin('2026-11-26T09:00:00'));
    expect(deadline(berlin('2026-11-26T03:10:00'), slot)).toBe(berlin('2026-11-26T09:00:00'));
    // Half an hour left today, the rest tomorrow morning.
    expect(deadline(berlin('2026-11-25T19:30:00'), slot)).toBe(berlin('2026-11-26T08:30:00'));
    expect(deadline(berlin('2026-11-25T18:00:00'), slot)).toBe(berlin('2026-11-25T20:00:00'));
    // The night the clocks go forward: 07:00 summer time.
    expect(
      waitingOfferDeadline({
        now: Date.parse('2026-03-29T00:30:00Z'),
        slotStart: Date.parse('2026-03-30T10:00:00Z'),
        holdMs: 2 * H,
        timeZone: 'Europe/Berlin',
      }),
    ).toBe(Date.parse('2026-03-29T09:00:00+02:00'));
  });

  it('offers nothing that starts within two hours by day, on the unit grid', () => {
    const from = earliestOfferableStart(now + 60_000, 'Europe/Berlin');
    expect(from % UNIT_MS).toBe(0);
    expect(from).toBeGreaterThanOrEqual(now + 2 * H + 60_000);
    expect(from - (now + 2 * H + 60_000)).toBeLessThan(UNIT_MS);
  });

  it('at night, nothing before an hour of the morning has passed plus an hour: the first slots stay with the public', () => {
    expect(earliestOfferableStart(berlin('2026-11-25T23:00:00'), 'Europe/Berlin')).toBe(berlin('2026-11-26T09:00:00'));
    expect(earliestOfferableStart(berlin('2026-11-25T19:30:00'), 'Europe/Berlin')).toBe(berlin('2026-11-26T08:30:00'));
  });
});

describe('the free times shown instead of a waiting-list place', () => {
  const morning = ['08:00', '08:05', '08:10', '08:15', '09:00', '09:05', '10:30', '14:00'].map((t) => slot(`2026-12-03T${t}`, 5));
  const times = (slots: FreeSlot[]) => slots.map((s) => `${s.officeId} ${new Date(s.start).toISOString().slice(11, 16)}`);

  it('are an hour apart at one office, not the next 5-minute starts', () => {
    expect(times(spreadSlots(morning, 3, H))).toEqual(['rathaus 07:00', 'rathaus 08:00', 'rathaus 09:30']);
  });

  it('fill up in time order where the spread finds too few, and another office stands beside', () => {
    const few = [slot('2026-12-03T08:00', 5), slot('2026-12-03T08:05', 5), slot('2026-12-03T08:05', 5, 'nord')];
    expect(times(spreadSlots(few, 5, H))).toEqual(['rathaus 07:00', 'nord 07:05', 'rathaus 07:05']);
  });
});
