import { sql, type Kysely, type RawBuilder } from 'kysely';
import { UNIT_MS } from '../domain/capacity-types.ts';
import type { SeatLimitParameters } from '../domain/release.ts';
import type { ReplacementLimitParameters } from '../domain/replacement.ts';
import type { TakenSeat } from './seat-change-notices.ts';
import type { DB } from './schema.ts';
import { capacityCommitted, noteCapacityChange, type Trx } from './transaction.ts';

// The one module that changes capacity_unit (decision 0001; #16). Each write notes the units it
// touches itself (db/transaction.ts), so the availability cache drops or patches them once the
// transaction commits: a writer that forgot would leave searches showing stale seats until expiry
// (never an overbooking: booking re-checks under the row lock). The seat rules the domain applies in
// TypeScript are written here in SQL; test/db/seat-limit-sql.test.ts proves each pair agrees, and
// test/architecture/capacity-owner.test.ts keeps every other file from writing the table. The plain
// reads are in db/capacity-unit-reads.ts.

/**
 * An office with its town. The town is the table's distribution column (decision 0014): every
 * insert writes it (Citus routes an INSERT by the value in the statement) and the hot statements
 * filter by it, so that on Citus each is routed to the one worker that holds the town. The caller
 * takes it from the office (the catalogue knows each office's town).
 */
export type TownOffice = { officeId: string; municipalityId: string };

// ---------------------------------------------------------------------------------------------
// Seat rules in SQL, for a row of capacity_unit

/**
 * "This unit has a seat free for the channel": load < seatLimit(unit) of src/domain/release.ts.
 */
export function hasFreeSeat(limit: SeatLimitParameters): RawBuilder<boolean> {
  const from = new Date(Math.max(limit.heldBackReleasedFrom, -8.64e15)).toISOString();
  const until = new Date(Math.min(limit.heldBackReleasedUntil, 8.64e15)).toISOString();
  // The central pool: leased seats are the branch's (src/app/booking/branch-lease.ts), lease_load their load.
  return sql<boolean>`load - lease_load < GREATEST(0, capacity - leased - closed - rebooking_only
    - CASE WHEN starts_at >= ${from}::timestamptz AND starts_at < ${until}::timestamptz THEN 0 ELSE held_back END
    - CASE WHEN ${limit.phoneSeatsUsable}::boolean THEN 0 ELSE phone_reserved END)`;
}

/** leaseSeatFree() of src/domain/branch-lease.ts. */
export function hasLeaseSeat(): RawBuilder<boolean> {
  return sql<boolean>`(lease_load < leased AND load < capacity - closed)`;
}

// ---------------------------------------------------------------------------------------------
// Writes; each notes its change

/**
 * Takes one seat in each given unit that has one free and returns how many it took. Row locks are
 * taken in index order and the condition is re-checked on the newest row version, so two
 * transactions can never both take the last seat; the caller rolls back unless all were taken.
 */
export async function takeFreeSeats(trx: Trx, office: TownOffice, starts: readonly number[], limit: SeatLimitParameters): Promise<number> {
  if (starts.length === 0) return 0;
  const { officeId, municipalityId } = office;
  noteCapacityChange(
    trx,
    starts.map((start) => ({ officeId, start })),
  );
  const result = await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + 1` })
    .where('municipality_id', '=', municipalityId)
    .where('office_id', '=', officeId)
    .where(
      'starts_at',
      'in',
      starts.map((s) => new Date(s)),
    )
    .where(hasFreeSeat(limit))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The seat-taking step of the one-statement booking (src/db/booking-statement.ts): one seat in each
 * unit `units` selects, if `go` holds; returns each unit's start (epoch ms, t) and load afterwards.
 * Only a fragment: the booking's text must stay the same to run as one prepared statement.
 */
export function bookingSeatsUpdate(units: RawBuilder<unknown>, go: RawBuilder<boolean>): RawBuilder<unknown> {
  return sql`UPDATE capacity_unit SET load = load + 1
      WHERE ${units} AND ${go}
      RETURNING (extract(epoch FROM starts_at) * 1000)::float8 AS t, load`;
}

/**
 * Notes the seats a booking statement took, with the units' loads afterwards, so cached days are
 * patched rather than read again: after the commit in a transaction, at once otherwise (a statement
 * on its own is its own transaction, and has committed when it returns).
 */
export function noteBookingSeats(db: Kysely<DB> | Trx, officeId: string, seats: readonly TakenSeat[]): void {
  if (seats.length === 0) return;
  const units = seats.map((s) => ({ officeId, start: s.startsAt }));
  if (db.isTransaction) noteCapacityChange(db as Trx, units, { seats });
  else
    capacityCommitted(db, {
      officeId,
      start: Math.min(...units.map((u) => u.start)),
      end: Math.max(...units.map((u) => u.start)) + UNIT_MS,
      seats,
    });
}

/** Adds delta to the load of each unit. The table's CHECK (load <= capacity) is the last line of defence. */
export async function changeLoad(trx: Trx, officeId: string, starts: readonly number[], delta: 1 | -1): Promise<void> {
  if (starts.length === 0) return;
  noteCapacityChange(
    trx,
    starts.map((start) => ({ officeId, start })),
  );
  await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + ${delta}` })
    .where('office_id', '=', officeId)
    .where(
      'starts_at',
      'in',
      starts.map((s) => new Date(s)),
    )
    .execute();
}

export type LoadChange = { officeId: string; start: number; n: number };

/** Adds n (negative: gives back) to the load of each unit, in one statement. */
export async function changeLoads(trx: Trx, changes: readonly LoadChange[]): Promise<void> {
  if (changes.length === 0) return;
  noteCapacityChange(trx, changes);
  await sql`
    UPDATE capacity_unit u SET load = u.load + v.n
    FROM unnest(${changes.map((c) => c.officeId)}::text[], ${changes.map((c) => new Date(c.start).toISOString())}::timestamptz[], ${changes.map((c) => c.n)}::int[]) AS v(office_id, starts_at, n)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at`.execute(trx);
}

export type ReplacementSeats = LoadChange & { limit: ReplacementLimitParameters };

/**
 * Takes n seats in each unit that still has them free for a replacement, in one statement, and
 * returns the units it took them in. The caller planned on a picture that may be stale: it rolls back
 * unless every unit was taken. The condition is replacementSeatLimit() of src/domain/replacement.ts on
 * the central pool, as readReplacementUnits shows it: closed seats come out of the central pool, as in
 * hasFreeSeat, not out of the unit as a whole.
 */
export async function takeReplacementSeats(trx: Trx, entries: readonly ReplacementSeats[]): Promise<{ officeId: string; start: number }[]> {
  if (entries.length === 0) return [];
  noteCapacityChange(trx, entries);
  const { rows } = await sql<{ office_id: string; t: number }>`
    UPDATE capacity_unit u SET load = u.load + v.n
    FROM unnest(${entries.map((e) => e.officeId)}::text[], ${entries.map((e) => new Date(e.start).toISOString())}::timestamptz[], ${entries.map((e) => e.n)}::int[],
                ${entries.map((e) => new Date(e.limit.heldBackReleasedFrom).toISOString())}::timestamptz[], ${entries.map((e) => new Date(e.limit.heldBackReleasedUntil).toISOString())}::timestamptz[])
      AS v(office_id, starts_at, n, hb_from, hb_until)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at
      AND u.load - u.lease_load + v.n <= GREATEST(0, u.capacity - u.leased - u.closed - CASE WHEN u.starts_at >= v.hb_from AND u.starts_at < v.hb_until THEN 0 ELSE u.held_back END)
    RETURNING u.office_id, (extract(epoch FROM u.starts_at) * 1000)::float8 AS t`.execute(trx);
  return rows.map((r) => ({ officeId: r.office_id, start: Number(r.t) }));
}

/**
 * Takes one lease seat (load and lease_load + 1) in each given unit the lease still has one in and
 * returns how many it took. The walk-in slot locks its units and decides with leaseSeatFree() first.
 */
export async function takeLeaseSeats(trx: Trx, office: TownOffice, starts: readonly number[]): Promise<number> {
  if (starts.length === 0) return 0;
  const { officeId, municipalityId } = office;
  noteCapacityChange(
    trx,
    starts.map((start) => ({ officeId, start })),
  );
  const result = await trx
    .updateTable('capacity_unit')
    .set({ load: sql`load + 1`, lease_load: sql`lease_load + 1` })
    .where('municipality_id', '=', municipalityId)
    .where('office_id', '=', officeId)
    .where(
      'starts_at',
      'in',
      starts.map((s) => new Date(s)),
    )
    .where(hasLeaseSeat())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives lease seats back: lease_load - n in each unit (the caller lowers load as for any seat). */
export async function returnLeaseSeats(trx: Trx, changes: readonly LoadChange[]): Promise<void> {
  if (changes.length === 0) return;
  noteCapacityChange(trx, changes);
  await sql`
    UPDATE capacity_unit u SET lease_load = GREATEST(0, u.lease_load - v.n)
    FROM unnest(${changes.map((c) => c.officeId)}::text[], ${changes.map((c) => new Date(c.start).toISOString())}::timestamptz[], ${changes.map((c) => c.n)}::int[]) AS v(office_id, starts_at, n)
    WHERE u.office_id = v.office_id AND u.starts_at = v.starts_at`.execute(trx);
}

export type PlannedRow = { startsAt: number; capacity: number; heldBack: number; phoneReserved: number; leased: number };

const PLAN_BATCH = 1000;

/**
 * Lays the staffing plan of [from, to) out as units: loads stay, capacity follows the plan but never
 * drops below what is already booked; units the plan no longer staffs keep only their booked seats.
 */
export async function writePlannedUnits(
  trx: Trx,
  office: TownOffice,
  rows: readonly PlannedRow[],
  range: { from: number; to: number },
): Promise<void> {
  const { officeId, municipalityId } = office;
  // The whole range: the plan may also have dropped units (below).
  noteCapacityChange(trx, [
    { officeId, start: range.from },
    { officeId, start: range.to - UNIT_MS },
  ]);
  for (let i = 0; i < rows.length; i += PLAN_BATCH) {
    await trx
      .insertInto('capacity_unit')
      .values(
        rows.slice(i, i + PLAN_BATCH).map((u) => ({
          municipality_id: municipalityId,
          office_id: officeId,
          starts_at: new Date(u.startsAt),
          capacity: u.capacity,
          held_back: u.heldBack,
          phone_reserved: u.phoneReserved,
          leased: u.leased,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['office_id', 'starts_at']).doUpdateSet({
          // Extra seats a team lead opened for replacements only (app/closures/open-extra-capacity.ts) come on top of the plan.
          capacity: sql`GREATEST(excluded.capacity + capacity_unit.rebooking_only, capacity_unit.load)`,
          held_back: sql`excluded.held_back`,
          phone_reserved: sql`excluded.phone_reserved`,
          // Never lease seats central channels already booked (the central pool's load stays within
          // capacity - leased), and never less than the lease already uses.
          leased: sql`GREATEST(capacity_unit.lease_load, LEAST(excluded.leased, GREATEST(excluded.capacity, capacity_unit.load) - (capacity_unit.load - capacity_unit.lease_load)))`,
        }),
      )
      .execute();
  }
  // Units that the plan no longer staffs keep only their booked seats (and extra seats opened for
  // replacements, e.g. a Saturday that the plan never staffs). Done after the upsert and only
  // for those units, so an unchanged plan changes no row (the change feed notes plan changes only).
  await trx
    .updateTable('capacity_unit')
    .set({ capacity: sql`GREATEST(load, rebooking_only)`, held_back: 0, phone_reserved: 0, leased: sql`lease_load` })
    .where('municipality_id', '=', municipalityId)
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(range.from))
    .where('starts_at', '<', new Date(range.to))
    .where(sql<boolean>`starts_at <> ALL(${rows.map((u) => new Date(u.startsAt).toISOString())}::timestamptz[])`)
    .execute();
}

/**
 * Extra seats only replacement offers may use, `counters` more in each unit. Units the plan does not
 * staff (a Saturday) do not exist yet: they are created with only these seats.
 */
export async function addRebookingSeats(trx: Trx, office: TownOffice, starts: readonly number[], counters: number): Promise<void> {
  if (starts.length === 0) return;
  const { officeId, municipalityId } = office;
  noteCapacityChange(
    trx,
    starts.map((start) => ({ officeId, start })),
  );
  await sql`
    INSERT INTO capacity_unit AS u (municipality_id, office_id, starts_at, capacity, rebooking_only)
    SELECT ${municipalityId}, ${officeId}, s, ${counters}, ${counters} FROM unnest(${starts.map((s) => new Date(s).toISOString())}::timestamptz[]) AS s
    ON CONFLICT (office_id, starts_at) DO UPDATE SET capacity = u.capacity + ${counters}, rebooking_only = u.rebooking_only + ${counters},
      -- A unit a whole-office closure took out of service stays out: the extra seats are closed with it.
      closed = CASE WHEN u.capacity > 0 AND u.closed >= u.capacity THEN u.closed + ${counters} ELSE u.closed END`.execute(trx);
}

/**
 * Takes seats out of service in [from, to): `counters` more of them, or (null) the whole office.
 * Row locks of bookings in flight make this wait for them.
 */
export async function closeUnits(trx: Trx, officeId: string, window: { from: number; to: number }, counters: number | null): Promise<void> {
  if (window.from >= window.to) return;
  noteCapacityChange(trx, [
    { officeId, start: window.from },
    { officeId, start: window.to - UNIT_MS },
  ]);
  await trx
    .updateTable('capacity_unit')
    .set({ closed: counters === null ? sql`GREATEST(closed, capacity)` : sql`LEAST(capacity, closed + ${counters})` })
    .where('office_id', '=', officeId)
    .where('starts_at', '>=', new Date(window.from))
    .where('starts_at', '<', new Date(window.to))
    .execute();
}

export type CapacityDayUnit = {
  starts_at: string;
  capacity: number;
  held_back: number;
  phone_reserved: number;
  closed: number;
  rebooking_only: number;
  load: number;
  leased: number;
  lease_load: number;
};

/**
 * A branch node's copy of the central capacity plan of a day with the branch lease. The seats the
 * branch gave from its lease belong to the branch: its own lease_load is never lowered by an older
 * central view (the central server may not have applied the journal yet), and the local load is the
 * central pool's load plus that — so load <= capacity holds here as well.
 */
export async function applyCapacityDay(trx: Trx, office: TownOffice, units: readonly CapacityDayUnit[]): Promise<void> {
  if (units.length === 0) return;
  const { officeId, municipalityId } = office;
  const u = units;
  noteCapacityChange(
    trx,
    u.map((x) => ({ officeId, start: Date.parse(x.starts_at) })),
  );
  await sql`
    INSERT INTO capacity_unit AS c (municipality_id, office_id, starts_at, capacity, held_back, phone_reserved, closed, rebooking_only, load, leased, lease_load)
    SELECT ${municipalityId}, ${officeId}, v.starts_at, v.capacity, v.held_back, v.phone_reserved, v.closed, v.rebooking_only, v.load, v.leased, v.lease_load
    FROM unnest(${u.map((x) => x.starts_at)}::timestamptz[], ${u.map((x) => x.capacity)}::int[], ${u.map((x) => x.held_back)}::int[], ${u.map((x) => x.phone_reserved)}::int[],
                ${u.map((x) => x.closed)}::int[], ${u.map((x) => x.rebooking_only)}::int[], ${u.map((x) => x.load)}::int[], ${u.map((x) => x.leased)}::int[], ${u.map((x) => x.lease_load)}::int[])
      AS v(starts_at, capacity, held_back, phone_reserved, closed, rebooking_only, load, leased, lease_load)
    ON CONFLICT (office_id, starts_at) DO UPDATE SET
      held_back = EXCLUDED.held_back, phone_reserved = EXCLUDED.phone_reserved, closed = EXCLUDED.closed, rebooking_only = EXCLUDED.rebooking_only,
      lease_load = GREATEST(c.lease_load, EXCLUDED.lease_load),
      load = EXCLUDED.load - EXCLUDED.lease_load + GREATEST(c.lease_load, EXCLUDED.lease_load),
      capacity = GREATEST(EXCLUDED.capacity, EXCLUDED.load - EXCLUDED.lease_load + GREATEST(c.lease_load, EXCLUDED.lease_load)),
      leased = GREATEST(EXCLUDED.leased, c.lease_load)`.execute(trx);
}

/**
 * Lays out a new town set-up's plan (`setup apply`, #21) over [from, to) exactly as planned: unlike
 * writePlannedUnits, capacity does not stay at least the load, so the capacity_unit_not_overbooked
 * CHECK refuses the whole transaction if any unit would hold fewer seats than are booked there —
 * also against bookings that commit meanwhile, as this statement takes the unit rows' locks and
 * sees their newest load. The caller cancels what no longer fits first. Extra seats opened for
 * replacements stay on top; units the plan does not staff keep only those. Rows that would not
 * change are not written (the change feed notes plan changes only).
 */
export async function layOutSetupPlan(
  trx: Trx,
  office: TownOffice,
  rows: readonly PlannedRow[],
  range: { from: number; to: number },
): Promise<void> {
  if (range.from >= range.to) return;
  const { officeId, municipalityId } = office;
  noteCapacityChange(trx, [
    { officeId, start: range.from },
    { officeId, start: range.to - UNIT_MS },
  ]);
  const inRange = rows.filter((r) => r.startsAt >= range.from && r.startsAt < range.to);
  for (let i = 0; i < inRange.length; i += PLAN_BATCH * 5) {
    const batch = inRange.slice(i, i + PLAN_BATCH * 5);
    await sql`
      INSERT INTO capacity_unit AS u (municipality_id, office_id, starts_at, capacity, held_back, phone_reserved, leased)
      SELECT ${municipalityId}, ${officeId}, v.starts_at, v.capacity, v.held_back, v.phone_reserved, v.leased
      FROM unnest(${batch.map((r) => new Date(r.startsAt).toISOString())}::timestamptz[], ${batch.map((r) => r.capacity)}::int[],
                  ${batch.map((r) => r.heldBack)}::int[], ${batch.map((r) => r.phoneReserved)}::int[], ${batch.map((r) => r.leased)}::int[])
        AS v(starts_at, capacity, held_back, phone_reserved, leased)
      ON CONFLICT (office_id, starts_at) DO UPDATE SET
        capacity = EXCLUDED.capacity + u.rebooking_only,
        held_back = EXCLUDED.held_back,
        phone_reserved = EXCLUDED.phone_reserved,
        leased = GREATEST(u.lease_load, LEAST(EXCLUDED.leased, EXCLUDED.capacity + u.rebooking_only - (u.load - u.lease_load)))
      WHERE (u.capacity, u.held_back, u.phone_reserved, u.leased) IS DISTINCT FROM (EXCLUDED.capacity + u.rebooking_only, EXCLUDED.held_back,
        EXCLUDED.phone_reserved, GREATEST(u.lease_load, LEAST(EXCLUDED.leased, EXCLUDED.capacity + u.rebooking_only - (u.load - u.lease_load))))`.execute(
      trx,
    );
  }
  await sql`
    UPDATE capacity_unit SET capacity = rebooking_only, held_back = 0, phone_reserved = 0, leased = lease_load
    WHERE municipality_id = ${municipalityId} AND office_id = ${officeId} AND starts_at >= ${new Date(range.from).toISOString()}::timestamptz AND starts_at < ${new Date(range.to).toISOString()}::timestamptz
      AND starts_at <> ALL(${inRange.map((r) => new Date(r.startsAt).toISOString())}::timestamptz[])
      AND (capacity <> rebooking_only OR held_back <> 0 OR phone_reserved <> 0 OR leased <> lease_load)`.execute(trx);
}
