import type { Kysely } from 'kysely';
import type { ReleasePolicy, StaffingException, StaffingRule, Weekday } from '../../domain/capacity-types.ts';
import { readClosedDays, type ClosedDayRule } from '../../domain/closed-days.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DB, Office, ReleasePolicyTable, Service, StaffingExceptionTable, StaffingRuleTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import type { CacheContext } from './context.ts';

export type OfficeSchedule = {
  office: Office;
  policy: ReleasePolicy;
  rules: StaffingRule[];
  exceptions: StaffingException[];
  serviceIds: Set<string>;
  /** The office's own closing days (the town file's closedDays); public holidays come from office.holiday_region. */
  closedDays: ClosedDayRule[];
};

/**
 * Every office, also one removed from the town file (retired_at): its appointments still name it.
 * Lists citizens choose from leave retired ones out (isOffered); a retired office offers no service.
 */
export async function listOffices(db: Kysely<DB>): Promise<Office[]> {
  return db.selectFrom('office').selectAll().orderBy('name').execute();
}

export async function listServices(db: Kysely<DB>): Promise<Service[]> {
  return db.selectFrom('service').selectAll().orderBy('sort_order').orderBy('name_de').execute();
}

/** Not removed from the town file: shown in the lists citizens choose from. */
export const isOffered = (row: { retired_at: Date | null }): boolean => row.retired_at === null;

export async function findOffice(db: Kysely<DB>, officeId: string): Promise<Office | undefined> {
  return db.selectFrom('office').selectAll().where('id', '=', officeId).executeTakeFirst();
}

/** Any office (the first by id): for a preview whose text is the same for every office. */
export async function firstOffice(db: Kysely<DB>): Promise<Office | undefined> {
  return db.selectFrom('office').selectAll().orderBy('id').executeTakeFirst();
}

export type OfficeService = { id: string; name_de: string; name_en: string };

/** The services an office offers, in the catalogue's order: the choices at its counters and kiosk. */
export async function listOfficeServices(db: Kysely<DB>, officeId: string): Promise<OfficeService[]> {
  return db
    .selectFrom('office_service')
    .innerJoin('service', 'service.id', 'office_service.service_id')
    .select(['service.id', 'service.name_de', 'service.name_en'])
    .where('office_service.office_id', '=', officeId)
    .orderBy('service.sort_order')
    .execute();
}

/** The office, or office_not_found: a path or a filter named an office that does not exist. */
export async function requireOffice(db: Kysely<DB>, officeId: string): Promise<Office> {
  const office = officeId.length <= 64 ? await findOffice(db, officeId) : undefined;
  if (!office) throw new DomainError('office_not_found', 'Unknown office', { officeId });
  return office;
}

export async function loadServices(db: Kysely<DB>, serviceIds: readonly string[]): Promise<Map<string, Service>> {
  if (serviceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('service')
    .selectAll()
    .where('id', 'in', [...serviceIds])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = serviceIds.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new DomainError('unknown_service', `Unknown service: ${missing.join(', ')}`, { serviceIds: missing });
  }
  return byId;
}

export async function loadOfficeSchedules(db: Kysely<DB>, officeIds?: readonly string[]): Promise<OfficeSchedule[]> {
  let officeQuery = db.selectFrom('office').selectAll().orderBy('name');
  if (officeIds) officeQuery = officeQuery.where('id', 'in', officeIds.length ? [...officeIds] : ['']);
  const offices = await officeQuery.execute();
  if (offices.length === 0) return [];
  const ids = offices.map((o) => o.id);
  const [policies, rules, exceptions, offered] = await Promise.all([
    db.selectFrom('release_policy').selectAll().where('office_id', 'in', ids).execute(),
    db.selectFrom('staffing_rule').selectAll().where('office_id', 'in', ids).execute(),
    db.selectFrom('staffing_exception').selectAll().where('office_id', 'in', ids).execute(),
    db.selectFrom('office_service').selectAll().where('office_id', 'in', ids).execute(),
  ]);
  return offices.flatMap((office) => {
    const policy = policies.find((p) => p.office_id === office.id);
    if (!policy) return [];
    const own = <T extends { office_id: string }>(list: T[]) => list.filter((row) => row.office_id === office.id);
    return [
      officeSchedule({ office, policy, rules: own(rules), exceptions: own(exceptions), serviceIds: own(offered).map((s) => s.service_id) }),
    ];
  });
}

/** The schedule the stored rows mean; also what `setup apply` plans from before it writes them. */
export function officeSchedule(rows: {
  office: Office;
  policy: Selectable<ReleasePolicyTable>;
  rules: readonly Omit<Selectable<StaffingRuleTable>, 'id'>[];
  exceptions: readonly Omit<Selectable<StaffingExceptionTable>, 'id'>[];
  serviceIds: readonly string[];
}): OfficeSchedule {
  const { office, policy } = rows;
  return {
    office,
    policy: {
      releaseWeekday: policy.release_weekday as Weekday,
      releaseTime: policy.release_time,
      horizonDays: policy.horizon_days,
      sameDayShare: Number(policy.same_day_share),
      sameDayReleaseTime: policy.same_day_release_time,
      phoneShare: Number(policy.phone_share),
      minLeadMinutes: policy.min_lead_minutes,
    },
    rules: rows.rules.map((r) => ({
      weekday: r.weekday as Weekday,
      start: r.start_time,
      end: r.end_time,
      appointmentCounters: r.appointment_counters,
      // Rows from before the town file repeat every week, always: the same plan as without `repeat`.
      ...(r.every_weeks === 1 && r.starting_from === null && r.valid_from === null && r.valid_to === null
        ? {}
        : { repeat: { everyWeeks: r.every_weeks, startingFrom: r.starting_from, validFrom: r.valid_from, validTo: r.valid_to } }),
    })),
    exceptions: rows.exceptions.map((x) => ({
      date: x.date,
      endDate: x.end_date,
      start: x.start_time,
      end: x.end_time,
      appointmentCounters: x.appointment_counters,
      reason: x.reason,
    })),
    serviceIds: new Set(rows.serviceIds),
    closedDays: readClosedDays(office.closed_days),
  };
}

type CatalogueSnapshot = { offices: Office[]; services: Service[]; schedules: OfficeSchedule[]; loadedAt: number };

// Offices, services and staffing plans change a few times a year but are read by every search and
// booking; one snapshot per database, refreshed every few seconds, takes four queries off each request.
// Capacity and appointments are never cached: they are what invariant 1 is about.
const SNAPSHOT_TTL_MS = 5_000;
const snapshots = new WeakMap<Kysely<DB>, Promise<CatalogueSnapshot>>();

export function invalidateCatalogue(db: Kysely<DB>): void {
  snapshots.delete(db);
}

export async function catalogue(ctx: CacheContext): Promise<CatalogueSnapshot> {
  const { db, elapsed } = ctx;
  const cached = snapshots.get(db);
  if (cached) {
    const snapshot = await cached.catch(() => null);
    if (snapshot && elapsed() - snapshot.loadedAt < SNAPSHOT_TTL_MS) return snapshot;
    if (snapshots.get(db) !== cached) return catalogue(ctx);
  }
  const loading = (async () => {
    const [offices, services, schedules] = await Promise.all([listOffices(db), listServices(db), loadOfficeSchedules(db)]);
    return { offices, services, schedules, loadedAt: elapsed() };
  })();
  snapshots.set(db, loading);
  loading.catch(() => snapshots.delete(db));
  return loading;
}

export async function cachedSchedules(ctx: CacheContext, officeIds?: readonly string[]): Promise<OfficeSchedule[]> {
  const { schedules } = await catalogue(ctx);
  return officeIds ? schedules.filter((s) => officeIds.includes(s.office.id)) : schedules;
}

/** Services that can still be booked (not removed from the town file), by id; unknown_service for any other. */
export async function cachedServices(ctx: CacheContext, serviceIds: readonly string[]): Promise<Map<string, Service>> {
  const { services } = await catalogue(ctx);
  const byId = new Map(services.filter((s) => isOffered(s) && serviceIds.includes(s.id)).map((s) => [s.id, s]));
  const missing = serviceIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new DomainError('unknown_service', `Unknown service: ${missing.join(', ')}`, { serviceIds: missing });
  return byId;
}
