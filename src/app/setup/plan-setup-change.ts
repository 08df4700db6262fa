// What applying a town set-up would do (#21): the changes, the capacity of the new plan over the
// horizon, and the booked appointments it no longer has room for. Reads only; the dry run and the
// preview stop here, apply (apply-town-file.ts) writes what this planned.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { planLease } from '../../domain/branch-lease.ts';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { displacedByCounterClosure } from '../../domain/closure.ts';
import { localDayBounds, localPlainDate } from '../../domain/zoned-time.ts';
import type { PlannedRow } from '../../db/capacity-units.ts';
import { readBookedUnits } from '../../db/capacity-unit-reads.ts';
import type { Office } from '../../db/schema.ts';
import { leaseShareFor, officesWithBranch } from '../booking/branch-lease.ts';
import { planOfficeUnits } from '../booking/office-plan.ts';
import { officeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { diffSetup, type SetupChange } from './setup-diff.ts';
import { readSetupRows, retiredIds } from './setup-store.ts';
import type { TownFile } from './town-file-schema.ts';
import type { Bilingual } from './town-file-messages.ts';
import { checkLogo, logoDigest, logoNotRead, type TownLogo } from './town-logo.ts';
import { canonicalJson, rowsToTown, townToRows, type MunicipalityRow, type TownRows } from './town-rows.ts';

/** A booked appointment the new plan has no room for; `id` is the id the booking returned. */
export type AffectedAppointment = {
  id: string;
  reference: string;
  officeId: string;
  start: number;
  end: number;
  citizenName: string | null;
  /** The office's time zone, to show the start as the office's local time. */
  timeZone: string;
  /** capacity: fewer seats than booked; service: the office no longer offers a service of it; office: the office is removed. */
  why: 'capacity' | 'service' | 'office';
};

/** The capacity to lay out for one office: the plan's units in [from, to). */
export type OfficeLayout = { officeId: string; rows: PlannedRow[]; range: { from: number; to: number } };

export type SetupPlan = {
  current: TownRows;
  next: TownRows;
  changes: SetupChange[];
  affectedAppointments: AffectedAppointment[];
  layouts: OfficeLayout[];
  /** SHA-256 of the canonical JSON of the set-up as it would be exported (and of the logo's image). */
  sha256: string;
  /** The image to store when `next`'s logo digest differs from `current`'s; null: none, or the stored one is kept. */
  logo: TownLogo | null;
  /** The logo's bytes are not a logo, or a new logo name came without its bytes: nothing may be applied. */
  logoProblem: Bilingual | null;
};

/**
 * The logo of the new set-up. Bytes given (read from the file the document names): they, once
 * checked. None given (the JSON API carries no image): the stored image stays while the name stays;
 * a name the database has no image for is a problem; no name, no logo.
 */
function nextLogo(
  town: TownFile,
  current: MunicipalityRow | null,
  bytes: Uint8Array | undefined,
): { logo: TownLogo | null; image: string | null; problem: Bilingual | null } {
  const name = town.municipality.logo;
  if (!name) return { logo: null, image: null, problem: null };
  if (bytes) {
    const checked = checkLogo(bytes);
    if (!checked.logo) return { logo: null, image: null, problem: checked.problem };
    return { logo: checked.logo, image: logoDigest(checked.logo), problem: null };
  }
  if (current?.id === town.municipality.id && current.logo_file === name) return { logo: null, image: current.logo_image, problem: null };
  return { logo: null, image: null, problem: logoNotRead(name) };
}

const HOLDING_SEATS = ['reserved', 'confirmed', 'checked_in', 'called'] as const;
const OPEN = ['reserved', 'confirmed'] as const;

export function setupSha256(rows: TownRows): string {
  const hash = createHash('sha256').update(canonicalJson(rowsToTown(rows)));
  // The image is not in the document; a new one under the same name is a new set-up all the same.
  const image = rows.municipality?.logo_image;
  if (image) hash.update(`\0${image}`);
  return hash.digest('hex');
}

/**
 * Compares the set-up in the database with `town` and lays out the new plan's capacity for every
 * office whose plan it changes, from the next unit on to the end of the capacity horizon.
 */
export async function planSetupChange(ctx: AppContext, town: TownFile, logoBytes?: Uint8Array): Promise<SetupPlan> {
  const now = ctx.now();
  const current = await readSetupRows(ctx.db, town.municipality.id);
  const next = townToRows(town);
  const { logo, image, problem: logoProblem } = nextLogo(town, current.municipality, logoBytes);
  next.municipality!.logo_image = image;
  const changes = diffSetup(current, next);
  const sha256 = setupSha256(next);
  if (changes.length === 0 || logoProblem)
    return { current, next, changes, affectedAppointments: [], layouts: [], sha256, logo, logoProblem };

  const retired = await retiredIds(ctx.db, town.municipality.id);
  const withBranch = await officesWithBranch(ctx.db);
  const layouts: OfficeLayout[] = [];
  const from = Math.ceil(now / UNIT_MS) * UNIT_MS;
  for (const office of next.offices) {
    if (!planChanged(current, next, office.id) && !retired.offices.has(office.id)) continue;
    const policy = next.releasePolicies.find((p) => p.office_id === office.id)!;
    const schedule = officeSchedule({
      office: { ...office, created_at: new Date(now), retired_at: null } satisfies Office,
      policy: { ...policy, same_day_share: String(policy.same_day_share), phone_share: String(policy.phone_share) },
      rules: next.staffingRules.filter((r) => r.office_id === office.id),
      exceptions: next.staffingExceptions.filter((x) => x.office_id === office.id),
      serviceIds: next.officeServices.filter((s) => s.office_id === office.id).map((s) => s.service_id),
    });
    const today = localPlainDate(now, office.time_zone);
    const last = today.add({ days: ctx.settings.capacityDays - 1 });
    const units = planOfficeUnits(schedule, today.toString(), last.toString());
    const lease = withBranch.has(office.id)
      ? planLease(units, await leaseShareFor(ctx.db, office.id, now, ctx.settings.branchLeaseShare), office.time_zone)
      : null;
    layouts.push({
      officeId: office.id,
      rows: units
        .filter((u) => u.startsAt >= from)
        .map((u) => ({
          startsAt: u.startsAt,
          capacity: u.capacity,
          heldBack: u.heldBack,
          phoneReserved: u.phoneReserved,
          leased: lease?.get(u.startsAt) ?? 0,
        })),
      range: { from, to: localDayBounds(last, office.time_zone)[1] },
    });
  }
  // A removed office keeps no capacity: every booked seat of it is a shortfall.
  for (const office of current.offices) {
    if (next.offices.some((o) => o.id === office.id)) continue;
    const last = localPlainDate(now, office.time_zone).add({ days: ctx.settings.capacityDays - 1 });
    layouts.push({ officeId: office.id, rows: [], range: { from, to: localDayBounds(last, office.time_zone)[1] } });
  }

  const affected = new Map<string, AffectedAppointment>();
  for (const a of await notOfferedAnyMore(ctx, current, next, now)) affected.set(a.id, a);
  for (const layout of layouts)
    for (const a of await shortOfSeats(ctx, layout, now, affected)) if (!affected.has(a.id)) affected.set(a.id, a);
  const zones = new Map(current.offices.map((o) => [o.id, o.time_zone]));
  for (const a of affected.values()) a.timeZone = zones.get(a.officeId) ?? a.timeZone;
  const affectedAppointments = [...affected.values()].sort(
    (a, b) => a.start - b.start || a.officeId.localeCompare(b.officeId) || a.reference.localeCompare(b.reference),
  );
  return { current, next, changes, affectedAppointments, layouts, sha256, logo, logoProblem };
}

/** Whether anything the office's capacity is planned from differs. */
function planChanged(current: TownRows, next: TownRows, officeId: string): boolean {
  const part = (rows: TownRows) => {
    const office = rows.offices.find((o) => o.id === officeId);
    const own = <T extends { office_id: string }>(list: T[]) => list.filter((r) => r.office_id === officeId);
    return canonicalJson({
      office: office ? [office.time_zone, office.holiday_region, office.closed_days] : null,
      rules: own(rows.staffingRules).map(canonicalJson).sort(),
      exceptions: own(rows.staffingExceptions).map(canonicalJson).sort(),
      policy: own(rows.releasePolicies).map((p) => [p.same_day_share, p.phone_share]),
    });
  };
  return part(current) !== part(next);
}

type Candidate = {
  id: string;
  reference: string;
  officeId: string;
  start: number;
  end: number;
  createdAt: number;
  citizenName: string | null;
  movable: boolean;
};

async function appointmentsOf(
  ctx: AppContext,
  officeId: string,
  window: { from: number; to: number },
  statuses: readonly string[],
): Promise<Candidate[]> {
  const rows = await ctx.db
    .selectFrom('appointment')
    .select(['id', 'reference', 'office_id', 'starts_at', 'ends_at', 'created_at', 'status', 'citizen_name'])
    .where('office_id', '=', officeId)
    .where('status', 'in', [...statuses] as never)
    .where('starts_at', '<', new Date(window.to))
    .where('ends_at', '>', new Date(window.from))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    officeId: r.office_id,
    start: r.starts_at.getTime(),
    end: r.ends_at.getTime(),
    createdAt: r.created_at.getTime(),
    citizenName: r.citizen_name,
    movable: r.status === 'reserved' || r.status === 'confirmed',
  }));
}

/**
 * The appointments that no longer fit where the new plan has fewer seats than are booked: as a
 * closure of counters would choose them (domain/closure.ts), the fewest appointments so that the rest
 * fit. Seats booked by others than these appointments (a branch's walk-ins) stay booked.
 */
async function shortOfSeats(
  ctx: AppContext,
  layout: OfficeLayout,
  now: number,
  already: Map<string, AffectedAppointment>,
): Promise<AffectedAppointment[]> {
  const booked = await readBookedUnits(ctx.db, layout.officeId, layout.range);
  if (booked.length === 0) return [];
  const planned = new Map(layout.rows.map((r) => [r.startsAt, r.capacity]));
  const capacityAt = (u: { startsAt: number; rebookingOnly: number }) => (planned.get(u.startsAt) ?? 0) + u.rebookingOnly;
  const short = booked.filter((u) => u.load > capacityAt(u));
  if (short.length === 0) return [];
  const window = { from: short[0]!.startsAt, to: short[short.length - 1]!.startsAt + UNIT_MS };
  const candidates = await appointmentsOf(ctx, layout.officeId, window, HOLDING_SEATS);
  const byUnit = new Map(booked.map((u) => [u.startsAt, u]));
  // What the listed appointments do not explain (holds of a branch lease) keeps its seats.
  const cover = new Map<number, number>();
  for (const c of candidates) for (let t = c.start; t < c.end; t += UNIT_MS) cover.set(t, (cover.get(t) ?? 0) + 1);
  const seatsAt = (t: number) => {
    const unit = byUnit.get(t);
    if (!unit) return Number.POSITIVE_INFINITY;
    return capacityAt(unit) - (unit.load - (cover.get(t) ?? 0));
  };
  // An appointment already listed (its service is gone) leaves anyway: its seat is free for the others.
  const stay = candidates.filter((c) => !already.has(c.id));
  const gone = displacedByCounterClosure({ appointments: stay, seatsAt, now });
  return gone.map((c) => ({
    id: c.id,
    reference: c.reference,
    officeId: c.officeId,
    start: c.start,
    end: c.end,
    citizenName: c.citizenName,
    timeZone: 'Europe/Berlin',
    why: 'capacity',
  }));
}

/** Open future appointments at an office that is removed, or for a service the office no longer offers. */
async function notOfferedAnyMore(ctx: AppContext, current: TownRows, next: TownRows, now: number): Promise<AffectedAppointment[]> {
  const offered = new Set(next.officeServices.map((s) => `${s.office_id}\0${s.service_id}`));
  const lost = current.officeServices.filter((s) => !offered.has(`${s.office_id}\0${s.service_id}`));
  if (lost.length === 0) return [];
  const removedOffices = new Set(current.offices.filter((o) => !next.offices.some((n) => n.id === o.id)).map((o) => o.id));
  const rows = await ctx.db
    .selectFrom('appointment as a')
    .innerJoin('appointment_service as s', 's.appointment_id', 'a.id')
    .select(['a.id', 'a.reference', 'a.office_id', 'a.starts_at', 'a.ends_at', 'a.citizen_name'])
    .distinct()
    .where('a.status', 'in', [...OPEN])
    .where('a.starts_at', '>', new Date(now))
    .where(
      sql<boolean>`(a.office_id, s.service_id) IN (SELECT * FROM unnest(${lost.map((l) => l.office_id)}::text[], ${lost.map((l) => l.service_id)}::text[]))`,
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    officeId: r.office_id,
    start: r.starts_at.getTime(),
    end: r.ends_at.getTime(),
    citizenName: r.citizen_name,
    timeZone: 'Europe/Berlin',
    why: removedOffices.has(r.office_id) ? 'office' : 'service',
  }));
}
