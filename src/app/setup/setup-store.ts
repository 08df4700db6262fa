// The town set-up's rows in the database (#21): read as TownRows, and changed to a new TownRows
// with as few row writes as the difference needs — unchanged rows are not touched, so the change
// feed to branch nodes (src/sync/change-feed.ts) carries only what changed. Offices and services
// removed from the file are retired, not deleted: appointments and statistics still name them.
import type { Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { multisetDiff } from './setup-diff.ts';
import { logoDigest, type TownLogo } from './town-logo.ts';
import { canonicalJson as json, type StaffingExceptionRow, type StaffingRuleRow, type TownRows } from './town-rows.ts';

const nullableNumber = (value: string | number | null) => (value === null ? null : Number(value));

/** The ids of the towns set up (municipality rows), in id order. */
export async function setUpTowns(db: Kysely<DB> | Trx): Promise<string[]> {
  return (await db.selectFrom('municipality').select('id').orderBy('id').execute()).map((m) => m.id);
}

/** The towns set up, with their names, by name: what a chooser lists. */
export async function listTownNames(db: Kysely<DB> | Trx): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('municipality').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

/** The town an office or a service belongs to; undefined when there is no such row. */
export async function townOfRow(db: Kysely<DB> | Trx, table: 'office' | 'service', id: string): Promise<string | undefined> {
  return (await db.selectFrom(table).select('municipality_id').where('id', '=', id).executeTakeFirst())?.municipality_id;
}

/**
 * The town a caller that names none means (#20): the only one set up. With several the caller must
 * name one (`municipality_required`: `?municipality=ID`, `--municipality ID`); with none, not_found.
 */
export async function theOnlyTown(db: Kysely<DB> | Trx): Promise<string> {
  const towns = await setUpTowns(db);
  if (towns.length === 1) return towns[0]!;
  if (towns.length === 0) throw new DomainError('not_found', 'No town is set up yet: apply a town file first (schalter setup apply)');
  throw new DomainError('municipality_required', `Several towns are set up (${towns.join(', ')}): name one`, { municipalities: towns });
}

/**
 * The town a request names (`?municipality=ID`), or the only one when it names none; undefined on an
 * installation without any town yet (its first set-up names its town itself). Several towns and none
 * named: municipality_required.
 */
export async function townOfRequest(db: Kysely<DB> | Trx, municipalityId: string | undefined): Promise<string | undefined> {
  if (municipalityId !== undefined) return municipalityId;
  const towns = await setUpTowns(db);
  return towns.length === 0 ? undefined : theOnlyTown(db);
}

/**
 * One town's set-up in force (#20: never another town's rows): its municipality row, its offices
 * and services that are not retired, and what belongs to them. Without `municipalityId` the only town.
 */
export async function readSetupRows(db: Kysely<DB> | Trx, municipalityId?: string): Promise<TownRows> {
  const town = municipalityId ?? (await theOnlyTown(db));
  const [offices, services] = await Promise.all([
    db.selectFrom('office').selectAll().where('municipality_id', '=', town).where('retired_at', 'is', null).orderBy('id').execute(),
    db
      .selectFrom('service')
      .selectAll()
      .where('municipality_id', '=', town)
      .where('retired_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
  ]);
  const officeIds = offices.map((o) => o.id);
  const serviceIds = services.map((s) => s.id);
  const inOffices = officeIds.length ? officeIds : [''];
  const inServices = serviceIds.length ? serviceIds : [''];
  const [municipality, feeRules, offered, counters, counterServices, rules, exceptions, policies, queues, settings] = await Promise.all([
    db.selectFrom('municipality').selectAll().where('id', '=', town).executeTakeFirst(),
    db.selectFrom('service_fee_rule').selectAll().where('service_id', 'in', inServices).orderBy('service_id').orderBy('position').execute(),
    db.selectFrom('office_service').selectAll().where('office_id', 'in', inOffices).where('service_id', 'in', inServices).execute(),
    db.selectFrom('counter').selectAll().where('office_id', 'in', inOffices).orderBy('office_id').orderBy('number').execute(),
    db.selectFrom('counter_service').selectAll().where('office_id', 'in', inOffices).where('service_id', 'in', inServices).execute(),
    db.selectFrom('staffing_rule').selectAll().where('office_id', 'in', inOffices).orderBy('id').execute(),
    db.selectFrom('staffing_exception').selectAll().where('office_id', 'in', inOffices).orderBy('id').execute(),
    db.selectFrom('release_policy').selectAll().where('office_id', 'in', inOffices).execute(),
    db.selectFrom('office_queue_settings').selectAll().where('office_id', 'in', inOffices).execute(),
    db.selectFrom('office_settings').selectAll().where('office_id', 'in', inOffices).execute(),
  ]);
  return {
    municipality: municipality
      ? {
          id: municipality.id,
          name: municipality.name,
          site_title: municipality.site_title,
          logo_file: municipality.logo_file,
          logo_image:
            municipality.logo && municipality.logo_media_type
              ? logoDigest({ bytes: municipality.logo, mediaType: municipality.logo_media_type })
              : null,
          mail_from: municipality.mail_from,
          phone: municipality.phone,
          imprint_url: municipality.imprint_url,
          privacy_url: municipality.privacy_url,
          accessibility_url: municipality.accessibility_url,
          sign_language_video_url: municipality.sign_language_video_url,
          default_language: municipality.default_language,
          holiday_region: municipality.holiday_region,
          closed_days: municipality.closed_days,
          site_url: municipality.site_url,
          host_names: municipality.host_names,
          retention_days: municipality.retention_days,
          neighbours: municipality.neighbours,
        }
      : null,
    services: services.map((s) => ({
      id: s.id,
      municipality_id: s.municipality_id,
      name_de: s.name_de,
      name_en: s.name_en,
      description_de: s.description_de,
      description_en: s.description_en,
      duration_minutes: s.duration_minutes,
      duration_further_minutes: s.duration_further_minutes,
      fee_cents: s.fee_cents,
      online_bookable: s.online_bookable,
      max_persons: s.max_persons,
      documents_de: s.documents_de,
      documents_en: s.documents_en,
      sort_order: s.sort_order,
    })),
    feeRules: feeRules.map((r) => ({ ...r })),
    offices: offices.map((o) => ({
      id: o.id,
      municipality_id: o.municipality_id,
      name: o.name,
      address: o.address,
      phone: o.phone,
      email: o.email,
      directions_de: o.directions_de,
      directions_en: o.directions_en,
      accessibility_de: o.accessibility_de,
      accessibility_en: o.accessibility_en,
      public_transport_de: o.public_transport_de,
      public_transport_en: o.public_transport_en,
      step_free_entrance: o.step_free_entrance,
      lift: o.lift,
      accessible_toilet: o.accessible_toilet,
      hearing_loop: o.hearing_loop,
      time_zone: o.time_zone,
      holiday_region: o.holiday_region,
      closed_days: o.closed_days,
    })),
    officeServices: offered.map((r) => ({ office_id: r.office_id, service_id: r.service_id })),
    counters: counters.map((c) => ({ office_id: c.office_id, number: c.number, name: c.name })),
    counterServices: counterServices.map((c) => ({ office_id: c.office_id, counter_number: c.counter_number, service_id: c.service_id })),
    staffingRules: rules.map(({ id: _id, ...r }) => r),
    staffingExceptions: exceptions.map(({ id: _id, ...x }) => x),
    releasePolicies: policies.map((p) => ({
      ...p,
      same_day_share: Number(p.same_day_share),
      phone_share: Number(p.phone_share),
    })),
    queueSettings: queues.map((q) => ({ ...q, walkin_quota: nullableNumber(q.walkin_quota) })),
    officeSettings: settings.map((s) => ({ ...s })),
  };
}

/** Ids of the town's retired offices and services: a file that names one again brings it back. */
export async function retiredIds(db: Kysely<DB> | Trx, municipalityId: string): Promise<{ offices: Set<string>; services: Set<string> }> {
  const [offices, services] = await Promise.all([
    db.selectFrom('office').select('id').where('municipality_id', '=', municipalityId).where('retired_at', 'is not', null).execute(),
    db.selectFrom('service').select('id').where('municipality_id', '=', municipalityId).where('retired_at', 'is not', null).execute(),
  ]);
  return { offices: new Set(offices.map((o) => o.id)), services: new Set(services.map((s) => s.id)) };
}

/**
 * Changes the set-up rows from `current` to `next` inside the caller's transaction. Capacity is
 * not this function's: the caller lays it out afterwards (db/capacity-units.ts). `logo` is the image
 * `next.municipality.logo_image` names (null: none); it is written only when that digest changed.
 */
export async function writeSetupRows(
  trx: Trx,
  current: TownRows,
  next: TownRows,
  now: number,
  logo: TownLogo | null = null,
): Promise<void> {
  const at = new Date(now);
  const byKey = <T>(rows: T[], keyOf: (r: T) => string) => new Map(rows.map((r) => [keyOf(r), r]));

  if (next.municipality && json(current.municipality) !== json(next.municipality)) {
    const { id, logo_image, ...rest } = next.municipality;
    const image =
      current.municipality?.id === id && current.municipality.logo_image === logo_image
        ? {}
        : { logo: logo ? Buffer.from(logo.bytes) : null, logo_media_type: logo?.mediaType ?? null };
    const values = { ...rest, ...image };
    await trx
      .insertInto('municipality')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  // Services first: offices, counters and fee rules refer to them.
  const oldServices = byKey(current.services, (s) => s.id);
  for (const s of next.services) {
    if (json(oldServices.get(s.id)) === json(s)) continue;
    const { id, ...values } = s;
    await trx
      .insertInto('service')
      .values({ id, ...values, retired_at: null })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, retired_at: null }))
      .execute();
  }
  const removedServices = current.services.filter((s) => !next.services.some((n) => n.id === s.id)).map((s) => s.id);

  const oldOffices = byKey(current.offices, (o) => o.id);
  for (const o of next.offices) {
    if (json(oldOffices.get(o.id)) === json(o)) continue;
    const { id, ...values } = o;
    await trx
      .insertInto('office')
      .values({ id, ...values, retired_at: null })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, retired_at: null }))
      .execute();
  }
  const removedOffices = current.offices.filter((o) => !next.offices.some((n) => n.id === o.id)).map((o) => o.id);

  // Fee rules: keyed by (service, position).
  await syncKeyed(
    trx,
    'service_fee_rule',
    current.feeRules,
    next.feeRules,
    (r) => `${r.service_id}\0${r.position}`,
    (q, r) => q.where('service_id', '=', r.service_id).where('position', '=', r.position),
  );
  await syncKeyed(
    trx,
    'office_service',
    current.officeServices,
    next.officeServices,
    (r) => `${r.office_id}\0${r.service_id}`,
    (q, r) => q.where('office_id', '=', r.office_id).where('service_id', '=', r.service_id),
  );
  await syncKeyed(
    trx,
    'counter',
    current.counters,
    next.counters,
    (r) => `${r.office_id}\0${r.number}`,
    (q, r) => q.where('office_id', '=', r.office_id).where('number', '=', r.number),
  );
  await syncKeyed(
    trx,
    'counter_service',
    current.counterServices,
    next.counterServices,
    (r) => `${r.office_id}\0${r.counter_number}\0${r.service_id}`,
    (q, r) => q.where('office_id', '=', r.office_id).where('counter_number', '=', r.counter_number).where('service_id', '=', r.service_id),
  );
  await syncKeyed(
    trx,
    'release_policy',
    current.releasePolicies,
    next.releasePolicies,
    (r) => r.office_id,
    (q, r) => q.where('office_id', '=', r.office_id),
    // A retired office keeps its policy: its appointments are still shown with its rules.
    { keep: (r) => removedOffices.includes(r.office_id) },
  );
  await syncKeyed(
    trx,
    'office_queue_settings',
    current.queueSettings,
    next.queueSettings,
    (r) => r.office_id,
    (q, r) => q.where('office_id', '=', r.office_id),
    { keep: (r) => removedOffices.includes(r.office_id) },
  );
  await syncKeyed(
    trx,
    'office_settings',
    current.officeSettings,
    next.officeSettings,
    (r) => r.office_id,
    (q, r) => q.where('office_id', '=', r.office_id),
    { keep: (r) => removedOffices.includes(r.office_id) },
  );

  await syncStaffingRules(trx, current.staffingRules, next.staffingRules);
  await syncStaffingExceptions(trx, current.staffingExceptions, next.staffingExceptions);

  if (removedServices.length) await trx.updateTable('service').set({ retired_at: at }).where('id', 'in', removedServices).execute();
  if (removedOffices.length) await trx.updateTable('office').set({ retired_at: at }).where('id', 'in', removedOffices).execute();
}

type KeyedTable =
  'service_fee_rule' | 'office_service' | 'counter' | 'counter_service' | 'release_policy' | 'office_queue_settings' | 'office_settings';

/** Deletes rows whose key is gone, inserts new keys, updates rows whose values changed. */
async function syncKeyed<T extends object>(
  trx: Trx,
  table: KeyedTable,
  before: readonly T[],
  after: readonly T[],
  keyOf: (row: T) => string,
  // The query builders of the seven tables differ in type only by their columns.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  where: (query: any, row: T) => any,
  options: { keep?: (row: T) => boolean } = {},
): Promise<void> {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const next = new Map(after.map((r) => [keyOf(r), r]));
  for (const [k, row] of old) {
    if (next.has(k) || options.keep?.(row)) continue;
    await where(trx.deleteFrom(table), row).execute();
  }
  const inserts: T[] = [];
  for (const [k, row] of next) {
    const was = old.get(k);
    if (!was) inserts.push(row);
    else if (json(was) !== json(row)) await where(trx.updateTable(table).set(row as never), row).execute();
  }
  // A kept row (a retired office's rules) is replaced when its office comes back.
  if (options.keep) for (const row of inserts) await where(trx.deleteFrom(table), row).execute();
  if (inserts.length)
    await trx
      .insertInto(table)
      .values(inserts as never)
      .execute();
}

async function syncStaffingRules(trx: Trx, before: StaffingRuleRow[], after: StaffingRuleRow[]): Promise<void> {
  const { removed, created } = multisetDiff(before, after, json);
  if (removed.length) {
    const stored = await trx.selectFrom('staffing_rule').selectAll().execute();
    const ids = pickIds(stored, removed);
    if (ids.length) await trx.deleteFrom('staffing_rule').where('id', 'in', ids).execute();
  }
  if (created.length) await trx.insertInto('staffing_rule').values(created).execute();
}

async function syncStaffingExceptions(trx: Trx, before: StaffingExceptionRow[], after: StaffingExceptionRow[]): Promise<void> {
  const { removed, created } = multisetDiff(before, after, json);
  if (removed.length) {
    const stored = await trx.selectFrom('staffing_exception').selectAll().execute();
    const ids = pickIds(stored, removed);
    if (ids.length) await trx.deleteFrom('staffing_exception').where('id', 'in', ids).execute();
  }
  if (created.length) await trx.insertInto('staffing_exception').values(created).execute();
}

/** The ids of stored rows equal to the removed ones, one stored row per removed row. */
function pickIds<R extends { id: number }, T extends object>(stored: readonly R[], removed: readonly T[]): number[] {
  const wanted = new Map<string, number>();
  for (const r of removed) wanted.set(json(r), (wanted.get(json(r)) ?? 0) + 1);
  const ids: number[] = [];
  for (const { id, ...row } of stored) {
    // Same key order as the rows read by readSetupRows: the table's column order.
    const k = json(row);
    const n = wanted.get(k) ?? 0;
    if (n > 0) {
      wanted.set(k, n - 1);
      ids.push(id);
    }
  }
  return ids;
}
