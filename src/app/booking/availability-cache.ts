import type { Kysely } from 'kysely';
import type { UnitLoad } from '../../domain/capacity-types.ts';
import { readUnitsOfOffices } from '../../db/capacity-unit-reads.ts';
import type { DB } from '../../db/schema.ts';
import type { SeatChange, TakenSeat } from '../../db/seat-change-notices.ts';
import { onCapacityCommitted } from '../../db/transaction.ts';
import { localDate, localDayStart } from '../../domain/zoned-time.ts';
import type { CacheContext } from '../shared/context.ts';
import { townsOfOffices } from '../shared/town-scope.ts';

// Capacity units per office and local day, kept between searches. A cached answer can never lead to
// an overbooking: booking re-checks every unit under its row lock. Every write of capacity_unit
// (db/capacity-units.ts) notes its change, which arrives here once committed, so the next search in
// this process sees it: a booking patches the loads of the units it took, anything else drops the
// days it touched.
// Changes made by other processes (several app processes on one PostgreSQL) arrive as notices
// (db/seat-change-notices.ts, wired in serve.ts) and are applied the same way. Entries still expire:
// after SHORT_TTL_MS while this process may miss other processes' changes (the default, and while
// the notice listener reconnects), after TRUSTED_TTL_MS once serve.ts knows it misses nothing — then
// expiry only bounds the effect of a change made behind the application's back (an admin's SQL).
export const SHORT_TTL_MS = 1_000;
export const TRUSTED_TTL_MS = 15_000;
let TTL_MS = SHORT_TTL_MS;

/** serve.ts raises expiry while notices flow (or on the single-process embedded database); tests switch it off. */
export function setAvailabilityCacheTtl(ms: number): void {
  TTL_MS = ms;
}
const MAX_DAYS_PER_OFFICE = 400;

// Day lookups of this process answered from the cache or from the database, for /metrics: plain
// numbers, read by the metrics adapter at each scrape (app code knows no metrics library).
const lookups = { hits: 0, misses: 0 };

/** Cached days served (`hits`) and days read from the database (`misses`) since the process started. */
export function availabilityCacheLookups(): { hits: number; misses: number } {
  return { ...lookups };
}

type Day = { units: UnitLoad[]; dayEnd: number; loadedAt: number };
type OfficeCache = { generation: number; days: Map<number, Day> };
type Cache = Map<string, OfficeCache>;
const caches = new WeakMap<Kysely<DB>, Cache>();

function officeCache(db: Kysely<DB>, officeId: string): OfficeCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let office = cache.get(officeId);
  if (!office) cache.set(officeId, (office = { generation: 0, days: new Map() }));
  return office;
}

type Publish = (change: SeatChange) => void;
const publishers = new WeakMap<Kysely<DB>, Publish>();

/** Tells other processes of each committed seat change made through `db` (see serve.ts). */
export function publishSeatChangesWith(db: Kysely<DB>, publish: Publish): void {
  publishers.set(db, publish);
}

/**
 * Hears of the changes every write of capacity_unit notes (db/capacity-units.ts, db/transaction.ts)
 * once committed. app/app-context.ts wires it for each database a context is made for; nothing is
 * wired at import.
 */
export function watchCapacityChanges(db: Kysely<DB>): void {
  onCapacityCommitted(db, (committed, change) =>
    change.seats
      ? seatsTaken(committed, change.officeId, change.seats, change.start, change.end)
      : seatsChanged(committed, change.officeId, change.start, change.end),
  );
}

/** Drops the cached days of an office that [start, end) touches; call after the change has committed. */
export function seatsChanged(db: Kysely<DB>, officeId: string, start: number, end: number): void {
  applySeatChange(db, { officeId, start, end });
  publishers.get(db)?.({ officeId, start, end });
}

/**
 * A booking took seats in these units and reports their load afterwards (committed): the cached days
 * are corrected in place here and in the other processes, so the next search needs no query for them.
 */
export function seatsTaken(db: Kysely<DB>, officeId: string, seats: readonly TakenSeat[], start: number, end: number): void {
  const change = { officeId, start, end, seats };
  applySeatChange(db, change);
  publishers.get(db)?.(change);
}

/**
 * A committed change, made here or in another process: with the units' new loads (bookings) the
 * cached days are patched, otherwise (cancellations, moves, plan changes) dropped. Either way the
 * office's generation moves on, so a search that read before the change cannot store its answer
 * afterwards. Notices of two processes' bookings may arrive out of commit order, and a booking only
 * ever raises a load, so the higher load wins: a late notice can hide a seat that a cancellation
 * freed (until the day expires) but never offer one that is taken.
 */
export function applySeatChange(db: Kysely<DB>, change: SeatChange): void {
  const office = caches.get(db)?.get(change.officeId);
  if (!office) return;
  office.generation++;
  for (const [dayStart, day] of office.days) {
    if (dayStart >= change.end || day.dayEnd <= change.start) continue;
    if (!change.seats) {
      office.days.delete(dayStart);
      continue;
    }
    let units = day.units;
    for (const seat of change.seats) {
      if (seat.startsAt < dayStart || seat.startsAt >= day.dayEnd) continue;
      const index = units.findIndex((u) => u.startsAt === seat.startsAt);
      if (index < 0) {
        // Not planned when the day was read: the plan changed meanwhile, so read the day again.
        office.days.delete(dayStart);
        break;
      }
      units = units.with(index, { ...units[index]!, load: Math.max(units[index]!.load, seat.load) });
    }
    // A new array: a search may still be reading the old one.
    if (office.days.has(dayStart)) day.units = units;
  }
}

/** Forgets everything cached through `db`, e.g. when notices from other processes may have been missed. */
export function clearAvailabilityCache(db: Kysely<DB>): void {
  for (const office of caches.get(db)?.values() ?? []) {
    office.generation++;
    office.days.clear();
  }
}

export type UnitRequest = { officeId: string; timeZone: string; from: number; to: number };
type Missing = { officeId: string; dayStart: number; dayEnd: number; generation: number };
const NO_UNITS: readonly UnitLoad[] = [];

/**
 * The units of each office on the local days that [from, to) touches, day by day, sorted; the missing
 * days of all offices are read in one query. Whole days as cached (never to be changed by the caller):
 * the slot search bounds its starts by the window itself, and copying two weeks of units out of the
 * cache for every search cost more than the search.
 */
export async function unitsFor(
  ctx: CacheContext,
  requests: readonly UnitRequest[],
): Promise<Map<string, readonly (readonly UnitLoad[])[]>> {
  const { db } = ctx;
  const now = ctx.elapsed();
  const wanted = requests.map((r) => ({
    officeId: r.officeId,
    office: officeCache(db, r.officeId),
    days: dayStartsCovering(r.timeZone, r.from, r.to),
    timeZone: r.timeZone,
  }));
  const missing: Missing[] = [];
  for (const r of wanted) {
    r.days.forEach((dayStart, i) => {
      const day = r.office.days.get(dayStart);
      if (day && now - day.loadedAt < TTL_MS) {
        lookups.hits++;
        return;
      }
      lookups.misses++;
      missing.push({
        officeId: r.officeId,
        dayStart,
        dayEnd: r.days[i + 1] ?? nextDayStart(r.timeZone, dayStart),
        generation: r.office.generation,
      });
    });
  }
  const fresh = missing.length > 0 ? await loadDays(ctx, missing) : null;

  const result = new Map<string, readonly (readonly UnitLoad[])[]>();
  for (const r of wanted) {
    result.set(
      r.officeId,
      r.days.map((dayStart) => fresh?.get(`${r.officeId}|${dayStart}`) ?? r.office.days.get(dayStart)?.units ?? NO_UNITS),
    );
  }
  return result;
}

async function loadDays(ctx: CacheContext, missing: Missing[]): Promise<Map<string, UnitLoad[]>> {
  const { db, elapsed } = ctx;
  const loadedAt = elapsed();
  const officeIds = [...new Set(missing.map((m) => m.officeId))];
  const from = Math.min(...missing.map((m) => m.dayStart));
  const to = Math.max(...missing.map((m) => m.dayEnd));
  // The offices' towns, from the cached catalogue: the read names them (decision 0014). An office of
  // no known town has no units.
  const towns = await townsOfOffices(ctx, officeIds);
  const offices = officeIds.flatMap((officeId) => {
    const municipalityId = towns.get(officeId);
    return municipalityId === undefined ? [] : [{ officeId, municipalityId }];
  });
  const rows = await readUnitsOfOffices(db, offices, from, to);
  const byOffice = new Map<string, UnitLoad[]>();
  for (const row of rows) {
    let list = byOffice.get(row.officeId);
    if (!list) byOffice.set(row.officeId, (list = []));
    list.push(row.unit);
  }
  const fresh = new Map<string, UnitLoad[]>();
  for (const m of missing) {
    const units = (byOffice.get(m.officeId) ?? []).filter((u) => u.startsAt >= m.dayStart && u.startsAt < m.dayEnd);
    fresh.set(`${m.officeId}|${m.dayStart}`, units);
    const office = officeCache(db, m.officeId);
    // Changed while we were reading: this answer may predate the change, so keep it out of the cache.
    if (office.generation !== m.generation) continue;
    office.days.delete(m.dayStart);
    office.days.set(m.dayStart, { units, dayEnd: m.dayEnd, loadedAt });
    // Oldest first in a Map: trim from the front.
    if (office.days.size > MAX_DAYS_PER_OFFICE) office.days.delete(office.days.keys().next().value!);
  }
  return fresh;
}

// Local midnights, memoised per 15 minutes (every UTC offset is a multiple of 15 minutes), so that
// searches do calendar arithmetic with Temporal only the first time a day is seen. One map per zone,
// keyed by number: a search asks for every day it covers.
const QUARTER_HOUR = 15 * 60_000;
const MAX_MEMO = 100_000;
const dayStartMemo = new Map<string, Map<number, number>>();

function memoOf<K, V>(memo: Map<string, Map<K, V>>, timeZone: string): Map<K, V> {
  let perZone = memo.get(timeZone);
  if (!perZone) memo.set(timeZone, (perZone = new Map()));
  else if (perZone.size > MAX_MEMO) perZone.clear();
  return perZone;
}

export function dayStartAt(timeZone: string, instant: number): number {
  const bucket = instant - (((instant % QUARTER_HOUR) + QUARTER_HOUR) % QUARTER_HOUR);
  const memo = memoOf(dayStartMemo, timeZone);
  let start = memo.get(bucket);
  if (start === undefined) {
    start = localDayStart(localDate(bucket, timeZone), timeZone);
    memo.set(bucket, start);
  }
  return start;
}

const dateStartMemo = new Map<string, Map<string, number>>();

/** The first instant of an office-local date 'YYYY-MM-DD'. */
export function dateStart(timeZone: string, isoDate: string): number {
  const memo = memoOf(dateStartMemo, timeZone);
  let start = memo.get(isoDate);
  if (start === undefined) {
    start = localDayStart(isoDate, timeZone);
    memo.set(isoDate, start);
  }
  return start;
}

/** The first instant of the local day `days` days after the one starting at `dayStart`. */
export function addDays(timeZone: string, dayStart: number, days: number): number {
  // Days last 23 to 25 hours: noon of the target day is safely inside it.
  return dayStartAt(timeZone, dayStart + days * 86_400_000 + 12 * 3_600_000);
}

export function nextDayStart(timeZone: string, dayStart: number): number {
  // Days last 23 to 25 hours, so 36 hours later is always within the next day.
  return dayStartAt(timeZone, dayStart + 36 * 3_600_000);
}

function dayStartsCovering(timeZone: string, from: number, to: number): number[] {
  const days: number[] = [];
  for (let day = dayStartAt(timeZone, from); day < to; day = nextDayStart(timeZone, day)) days.push(day);
  return days;
}
