import { describe, expect, it } from 'vitest';
import { canMoveDocument, normaliseOrderNumber } from '../../src/domain/document-order.ts';
import {
  callOrder,
  checkInVerdict,
  defaultWalkinQuota,
  estimateWaitMinutes,
  ticketLabel,
  type QueueCandidate,
} from '../../src/domain/queue.ts';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const min = 60_000;
const ticket = (label: string, over: Partial<QueueCandidate>): QueueCandidate => ({
  id: label,
  label,
  kind: 'walkin',
  priority: false,
  dueAt: null,
  arrivedAt: T0,
  targetCounter: null,
  ...over,
});

describe('queue rules', () => {
  it('numbers tickets T-041 and S-007 per kind', () => {
    expect(ticketLabel('T', 41)).toBe('T-041');
    expect(ticketLabel('S', 7)).toBe('S-007');
    expect(ticketLabel('S', 1234)).toBe('S-1234');
  });

  it('lets appointments check in from 30 minutes before to 15 minutes after the start', () => {
    const window = { earlyMinutes: 30, lateMinutes: 15 };
    expect(checkInVerdict(T0, T0 - 31 * min, window)).toMatchObject({ ok: false, reason: 'too_early', opensAt: T0 - 30 * min });
    expect(checkInVerdict(T0, T0 - 30 * min, window)).toEqual({ ok: true });
    expect(checkInVerdict(T0, T0 + 15 * min, window)).toEqual({ ok: true });
    expect(checkInVerdict(T0, T0 + 16 * min, window)).toMatchObject({ ok: false, reason: 'too_late' });
  });

  it('calls emergencies first, then forwarded tickets, due appointments, walk-ins by arrival, early appointments last', () => {
    const queue = [
      ticket('S-001', { arrivedAt: T0 - 40 * min }),
      ticket('T-002', { kind: 'appointment', dueAt: T0 + 20 * min, arrivedAt: T0 - 50 * min }),
      ticket('T-001', { kind: 'appointment', dueAt: T0, arrivedAt: T0 - 10 * min }),
      ticket('S-002', { arrivedAt: T0 - 30 * min, priority: true }),
      ticket('S-003', { arrivedAt: T0 - 35 * min, targetCounter: 2 }),
      ticket('S-004', { arrivedAt: T0 - 45 * min, targetCounter: 1 }),
      ticket('T-003', { kind: 'appointment', dueAt: T0 - 5 * min, arrivedAt: T0 - 1 * min }),
    ];
    expect(callOrder(queue, 1, T0).map((c) => c.label)).toEqual(['S-002', 'S-004', 'T-003', 'T-001', 'S-001', 'T-002']);
    expect(callOrder(queue, 2, T0).map((c) => c.label)).toEqual(['S-002', 'S-003', 'T-003', 'T-001', 'S-001', 'T-002']);
  });

  it('derives the walk-in quota from the walk-in counters of the staffing plan', () => {
    expect(defaultWalkinQuota([{ startTime: '08:00', endTime: '12:30', walkinCounters: 1 }], 15)).toBe(18);
    expect(
      defaultWalkinQuota(
        [
          { startTime: '08:00', endTime: '12:30', walkinCounters: 1 },
          { startTime: '14:00', endTime: '18:00', walkinCounters: 2 },
        ],
        15,
      ),
    ).toBe(18 + 32);
    expect(defaultWalkinQuota([{ startTime: '08:00', endTime: '12:00', walkinCounters: 0 }], 15)).toBe(0);
  });

  it('estimates a walk-in wait from the median of recent processing times over the open counters', () => {
    expect(estimateWaitMinutes({ ahead: 4, recentMinutes: [8, 10, 50, 12, 9], openCounters: 2, fallbackMinutes: 15 })).toBe(20);
    expect(estimateWaitMinutes({ ahead: 3, recentMinutes: [], openCounters: 0, fallbackMinutes: 15 })).toBe(45);
    expect(estimateWaitMinutes({ ahead: 0, recentMinutes: [10], openCounters: 1, fallbackMinutes: 15 })).toBe(0);
  });
});

describe('document orders', () => {
  it('moves in_production -> ready -> handed_out | returned, and never back from handed_out', () => {
    expect(canMoveDocument('in_production', 'ready')).toBe(true);
    expect(canMoveDocument('ready', 'handed_out')).toBe(true);
    expect(canMoveDocument('ready', 'returned')).toBe(true);
    expect(canMoveDocument('in_production', 'handed_out')).toBe(false);
    expect(canMoveDocument('handed_out', 'ready')).toBe(false);
  });

  it('accepts order numbers as people type them', () => {
    expect(normaliseOrderNumber(' pa-2026 0001 ')).toBe('PA-20260001');
    expect(normaliseOrderNumber('x')).toBeNull();
    expect(normaliseOrderNumber('<script>')).toBeNull();
  });
});
