import { describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_SHARE, MAX_LEASE_SHARE, expectedLeaseShare, leaseSeatFree, planLease } from '../../src/domain/branch-lease.ts';
import { UNIT_MS, type PlannedUnit } from '../../src/domain/capacity-types.ts';
import { seatLimit } from '../../src/domain/release.ts';

const day = (iso: string, count: number, seats: Partial<PlannedUnit> = {}): PlannedUnit[] =>
  Array.from({ length: count }, (_, i) => ({
    startsAt: Date.parse(iso) + i * UNIT_MS,
    capacity: 2,
    heldBack: 0,
    phoneReserved: 0,
    ...seats,
  }));

describe('the branch lease', () => {
  it('is the expected no-show + walk-in share, or the default without enough history, never more than half', () => {
    expect(expectedLeaseShare({ decided: 5, noShows: 5, tickets: 0, walkins: 0 })).toBe(DEFAULT_LEASE_SHARE);
    expect(expectedLeaseShare({ decided: 200, noShows: 16, tickets: 100, walkins: 10 })).toBeCloseTo(0.18);
    expect(expectedLeaseShare({ decided: 200, noShows: 100, tickets: 100, walkins: 90 })).toBe(MAX_LEASE_SHARE);
  });

  it('leases round(share × seats) per office-local day, spread over the units, at most a unit’s free seats', () => {
    const units = [...day('2026-11-25T08:00:00+01:00', 48), ...day('2026-11-26T08:00:00+01:00', 48, { heldBack: 1 })];
    const lease = planLease(units, 0.15, 'Europe/Berlin');
    const sum = (from: number, to: number) => units.slice(from, to).reduce((n, u) => n + lease.get(u.startsAt)!, 0);
    expect(sum(0, 48)).toBe(14); // round(0.15 × 96)
    expect(sum(48, 96)).toBe(14);
    for (const u of units) expect(lease.get(u.startsAt)!).toBeLessThanOrEqual(u.capacity - u.heldBack);
    // Spread, not piled up at the start of the day.
    expect(sum(0, 24)).toBe(7);
    // A day whose seats are all held back or kept for the phone has nothing to lease.
    expect([...planLease(day('2026-11-27T08:00:00+01:00', 4, { heldBack: 1, phoneReserved: 1 }), 0.5, 'Europe/Berlin').values()]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(() => planLease(units, 1.5, 'Europe/Berlin')).toThrow(RangeError);
  });

  it('takes leased seats out of every central channel’s limit, counting only the central pool’s load', () => {
    const unit = { startsAt: 0, capacity: 3, heldBack: 0, phoneReserved: 0, leased: 1 };
    const online = { heldBackReleasedFrom: 0, heldBackReleasedUntil: 0, phoneSeatsUsable: false };
    expect(seatLimit(unit, online)).toBe(2);
    // One seat of the lease in use: the load is 1 higher, and so is the limit it is compared with.
    expect(seatLimit({ ...unit, leaseLoad: 1 }, online)).toBe(3);
    expect(seatLimit({ ...unit, leased: 3, leaseLoad: 0 }, online)).toBe(0);
  });

  it('gives a walk-in slot a seat only while a leased seat is left and the closures left a seat open', () => {
    const unit = { capacity: 3, closed: 0, load: 1, leased: 1, leaseLoad: 0 };
    expect(leaseSeatFree(unit)).toBe(true);
    expect(leaseSeatFree({ ...unit, leaseLoad: 1 })).toBe(false);
    expect(leaseSeatFree({ ...unit, closed: 2 })).toBe(false);
    expect(leaseSeatFree({ ...unit, closed: 1 })).toBe(true);
    expect(leaseSeatFree({ ...unit, load: 3 })).toBe(false);
  });
});
