import { describe, expect, it } from 'vitest';
import { estimateUnmetDemand, extraCounterHoursNeeded, forecastLeadTime, leadTimeDays } from '../../src/domain/statistics-planning.ts';
import {
  ALL_SERVICES,
  figuresOf,
  histogramQuantile,
  hourlyFacts,
  localDayHour,
  quantile,
  sumCounts,
  type AppointmentHistory,
  type TicketHistory,
  walkinSecondsByHour,
} from '../../src/domain/statistics.ts';

const zone = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);

// Thursday 3 December 2026, Testamt: three appointments and two walk-ins.
const appointments: AppointmentHistory[] = [
  {
    officeId: 'a',
    serviceIds: ['pa'],
    events: [
      { at: at('2026-11-20T10:00:00Z'), action: 'booked', toStatus: 'confirmed' },
      { at: at('2026-12-03T08:20:00Z'), action: 'served', toStatus: 'served' },
    ],
  },
  {
    officeId: 'a',
    serviceIds: ['pa', 'wohnsitz'],
    events: [
      { at: at('2026-11-20T10:30:00Z'), action: 'booked', toStatus: 'reserved' },
      { at: at('2026-11-20T10:31:00Z'), action: 'confirmed', toStatus: 'confirmed' },
      { at: at('2026-12-03T09:00:00Z'), action: 'no_show', toStatus: 'no_show' },
    ],
  },
  {
    officeId: 'a',
    serviceIds: ['pa'],
    events: [
      { at: at('2026-11-21T07:00:00Z'), action: 'booked', toStatus: 'confirmed' },
      { at: at('2026-11-22T07:00:00Z'), action: 'rescheduled', toStatus: 'confirmed' },
      { at: at('2026-12-01T07:00:00Z'), action: 'cancelled', toStatus: 'cancelled', reason: 'office' },
    ],
  },
  {
    officeId: 'a',
    serviceIds: ['pa'],
    events: [
      { at: at('2026-11-21T07:05:00Z'), action: 'booked', toStatus: 'confirmed' },
      { at: at('2026-11-23T07:00:00Z'), action: 'cancelled', toStatus: 'cancelled', reason: 'citizen' },
    ],
  },
];
const tickets: TicketHistory[] = [
  {
    officeId: 'a',
    serviceId: 'pa',
    kind: 'appointment',
    state: 'served',
    arrivedAt: at('2026-12-03T07:55:00Z'),
    firstCalledAt: at('2026-12-03T08:02:30Z'),
    finishedAt: at('2026-12-03T08:20:00Z'),
  },
  {
    officeId: 'a',
    serviceId: 'pa',
    kind: 'walkin',
    state: 'served',
    arrivedAt: at('2026-12-03T08:00:00Z'),
    firstCalledAt: at('2026-12-03T08:40:00Z'),
    finishedAt: at('2026-12-03T08:50:00Z'),
  },
  {
    officeId: 'a',
    serviceId: 'pa',
    kind: 'walkin',
    state: 'no_show',
    arrivedAt: at('2026-12-03T08:10:00Z'),
    firstCalledAt: at('2026-12-03T08:55:00Z'),
    finishedAt: at('2026-12-03T09:00:00Z'),
  },
];

describe('statistics figures', () => {
  const facts = hourlyFacts({
    timeZoneOf: () => zone,
    appointments,
    tickets,
    refusals: [{ officeId: 'a', serviceId: 'pa', at: at('2026-12-03T09:30:00Z') }],
  });
  const total = (serviceId: string) => sumCounts(facts.filter((f) => f.serviceId === serviceId));

  it('counts bookings once per appointment in the office total and once per service', () => {
    expect(total(ALL_SERVICES).booked).toBe(4);
    expect(total('pa').booked).toBe(4);
    expect(total('wohnsitz').booked).toBe(1);
  });

  it('tells no-shows, cancellations by the citizen and by the office apart; a move is no new booking', () => {
    const f = figuresOf(total(ALL_SERVICES), 0);
    expect(f).toMatchObject({
      served: 1,
      noShow: 1,
      noShowRate: 0.5,
      cancelledByCitizen: 1,
      cancelledByOffice: 1,
      walkinsServed: 1,
      walkinsTurnedAway: 1,
    });
  });

  it('attributes each count to the office-local hour it happened in', () => {
    const served = facts.find((f) => f.serviceId === ALL_SERVICES && f.served === 1)!;
    expect(served).toMatchObject({ day: '2026-12-03', hour: 9 });
    const booked = facts.filter((f) => f.serviceId === ALL_SERVICES && f.booked > 0).map((f) => `${f.day} ${f.hour}`);
    expect(booked).toEqual(['2026-11-20 11', '2026-11-21 8']);
  });

  it('measures the wait from check-in to the first call, median and 90th percentile in whole minutes', () => {
    const f = figuresOf(total(ALL_SERVICES), 0);
    // waits: 7.5, 40, 45 minutes -> buckets 7, 40, 45
    expect(f.waitMedianMinutes).toBe(40);
    expect(f.waitP90Minutes).toBe(45);
  });

  it('measures processing time from the call to served, and utilisation against staffed counter time', () => {
    const f = figuresOf(total(ALL_SERVICES), 3600);
    // served: 17.5 and 10 minutes; a no-show is no processing time
    expect(f.processingMedianMinutes).toBe(10);
    expect(f.processingMeanMinutes).toBe(13.8);
    expect(f.utilisation).toBeCloseTo((17.5 + 10) / 60, 5);
  });

  it('has no rates and quantiles without data rather than zeros', () => {
    expect(figuresOf(sumCounts([]), 0)).toMatchObject({ noShowRate: null, waitMedianMinutes: null, utilisation: null });
  });

  it('keeps the 25-hour DST day apart: both 02:xx hours of 25 October 2026 are hour 2 of the same day', () => {
    expect(localDayHour(at('2026-10-25T00:30:00Z'), zone)).toEqual({ day: '2026-10-25', hour: 2 });
    expect(localDayHour(at('2026-10-25T01:30:00Z'), zone)).toEqual({ day: '2026-10-25', hour: 2 });
    expect(localDayHour(at('2026-10-24T22:30:00Z'), zone)).toEqual({ day: '2026-10-25', hour: 0 });
    const dst = hourlyFacts({
      timeZoneOf: () => zone,
      appointments: [],
      tickets: [
        {
          officeId: 'a',
          serviceId: 'pa',
          kind: 'walkin',
          state: 'served',
          arrivedAt: at('2026-10-25T00:30:00Z'),
          firstCalledAt: at('2026-10-25T00:40:00Z'),
          finishedAt: at('2026-10-25T00:50:00Z'),
        },
        {
          officeId: 'a',
          serviceId: 'pa',
          kind: 'walkin',
          state: 'served',
          arrivedAt: at('2026-10-25T01:30:00Z'),
          firstCalledAt: at('2026-10-25T01:50:00Z'),
          finishedAt: at('2026-10-25T02:05:00Z'),
        },
      ],
      refusals: [],
    }).filter((f) => f.serviceId === ALL_SERVICES);
    expect(dst.find((f) => f.hour === 2)).toMatchObject({ waits: 2, waitSeconds: 30 * 60 });
  });

  it('reads quantiles from a histogram exactly like nearest rank on the whole minutes', () => {
    const values = [0, 1, 1, 2, 5, 5, 5, 9, 30, 200];
    const hist = new Array<number>(181).fill(0);
    for (const v of values) hist[Math.min(v, 180)]!++;
    for (const p of [0.1, 0.5, 0.9, 1]) expect(histogramQuantile(hist, p)).toBe(Math.min(quantile(values, p)!, 180));
  });
});

describe('lead time and planning', () => {
  it('counts calendar days to the first free slot, also across the spring DST change', () => {
    expect(leadTimeDays({ now: at('2026-03-28T08:00:00Z'), firstFree: at('2026-03-30T06:00:00Z'), timeZone: zone })).toBe(2);
    expect(leadTimeDays({ now: at('2026-11-25T07:00:00Z'), firstFree: at('2026-11-25T15:00:00Z'), timeZone: zone })).toBe(0);
    // 23:30 UTC on the 25th is already the 26th in Berlin
    expect(leadTimeDays({ now: at('2026-11-25T07:00:00Z'), firstFree: at('2026-11-25T23:30:00Z'), timeZone: zone })).toBe(1);
    expect(leadTimeDays({ now: 0, firstFree: null, timeZone: zone })).toBeNull();
  });

  it('forecasts a growing lead time when bookings outrun the released seats', () => {
    const weeks = forecastLeadTime({ leadDays: 21, weeklySeats: 100, weeklyDemand: 120 });
    expect(weeks.map((w) => w.leadDays)).toEqual([22, 24, 25, 27]);
    expect(forecastLeadTime({ leadDays: 7, weeklySeats: 100, weeklyDemand: 50 }).map((w) => w.leadDays)).toEqual([4, 0, 0, 0]);
  });

  it('says how many extra counter hours keep the lead time under the target within four weeks', () => {
    // backlog 600 seats, 100 bookings a week: 7·(600+400−4C′)/C′ ≤ 14 → C′ ≥ 166.7 → +67 seats at 3 per hour
    expect(extraCounterHoursNeeded({ leadDays: 42, weeklySeats: 100, weeklyDemand: 100, targetDays: 14, seatsPerCounterHour: 3 })).toBe(23);
    const after = forecastLeadTime({ leadDays: 42 * (100 / 169), weeklySeats: 169, weeklyDemand: 100 });
    expect(after.at(-1)!.leadDays).toBeLessThanOrEqual(14);
    expect(extraCounterHoursNeeded({ leadDays: 3, weeklySeats: 100, weeklyDemand: 80, targetDays: 14, seatsPerCounterHour: 3 })).toBe(0);
  });

  it('estimates unmet demand without counting a person twice (#17 item 6)', () => {
    // 30 searches found nothing ≈ 10 people; 4 of them joined the waiting list: 10, not 14; plus 2 at the door.
    expect(estimateUnmetDemand({ searchMisses: 30, waitingListJoined: 4, walkinsTurnedAway: 2 })).toBe(12);
    // More joined than the searches explain (people sent to the list by phone): the list counts.
    expect(estimateUnmetDemand({ searchMisses: 3, waitingListJoined: 5, walkinsTurnedAway: 0 })).toBe(5);
    expect(estimateUnmetDemand({ searchMisses: 0, waitingListJoined: 0, walkinsTurnedAway: 0 })).toBe(0);
  });
});

describe('shortest waiting window', () => {
  it('finds the hours of the week with the shortest median wait, ignoring thin cells', async () => {
    const { shortestWaitWindow } = await import('../../src/domain/statistics.ts');
    const cells = [
      { weekday: 1, hour: 8, waits: 40, medianMinutes: 25 },
      { weekday: 4, hour: 15, waits: 12, medianMinutes: 6 },
      { weekday: 4, hour: 16, waits: 9, medianMinutes: 6 },
      { weekday: 4, hour: 17, waits: 7, medianMinutes: 9 },
      { weekday: 2, hour: 9, waits: 2, medianMinutes: 1 },
    ];
    expect(shortestWaitWindow(cells)).toEqual({ weekday: 4, fromHour: 15, toHour: 17, medianMinutes: 6 });
    expect(shortestWaitWindow([{ weekday: 2, hour: 9, waits: 2, medianMinutes: 1 }])).toBeNull();
  });
});

describe('walk-in counter time of the staffing plan', () => {
  it('spreads each line over the local hours it covers, for its weekday only', () => {
    const plan = [
      { weekday: 3, startTime: '08:00', endTime: '12:30', walkinCounters: 1 },
      { weekday: 3, startTime: '11:45', endTime: '13:00', walkinCounters: 2 },
      { weekday: 4, startTime: '08:00', endTime: '18:00', walkinCounters: 3 },
      { weekday: 3, startTime: '14:00', endTime: '16:00', walkinCounters: 0 },
    ];
    expect([...walkinSecondsByHour(plan, 3)]).toEqual([
      [8, 3600],
      [9, 3600],
      [10, 3600],
      [11, 3600 + 15 * 60 * 2],
      [12, 30 * 60 + 3600 * 2],
    ]);
    expect(walkinSecondsByHour(plan, 5).size).toBe(0);
  });
});
