import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { createAppContext } from '../src/app/app-context.ts';
import { materializeCapacity } from '../src/app/booking/materialize-capacity.ts';
import { applyRetention } from '../src/app/statistics/apply-retention.ts';
import { refreshStatistics } from '../src/app/statistics/refresh-statistics.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';

export const STORM_SERVICES = ['ausweis', 'pass', 'anmeldung', 'meldebescheinigung'] as const;

/** A town of the storm's Kreis (`--towns N`): its offices, and its own ids of the four services. */
export type StormTown = { id: string; officeIds: string[]; serviceId: (service: string) => string };

/**
 * One town keeps today's ids (town `bench`, no municipality row, as an installation before the town
 * file). Several towns: `stadt-1…n`, office kreis-k in town (k−1) mod n + 1, services `ausweis-3` …
 */
export function stormTowns(officeIds: readonly string[], count: number): StormTown[] {
  if (count <= 1) return [{ id: 'bench', officeIds: [...officeIds], serviceId: (s) => s }];
  return Array.from({ length: count }, (_, t) => ({
    id: `stadt-${t + 1}`,
    officeIds: officeIds.filter((_, k) => k % count === t),
    serviceId: (s: string) => `${s}-${t + 1}`,
  }));
}

const SERVICE_ROWS = [
  {
    id: 'ausweis',
    name_de: 'Personalausweis beantragen',
    name_en: 'Apply for an ID card',
    duration_minutes: 20,
    fee_cents: 3700,
    sort_order: 1,
  },
  { id: 'pass', name_de: 'Reisepass beantragen', name_en: 'Apply for a passport', duration_minutes: 20, fee_cents: 7000, sort_order: 2 },
  { id: 'anmeldung', name_de: 'Wohnsitz anmelden', name_en: 'Register an address', duration_minutes: 15, fee_cents: null, sort_order: 3 },
  {
    id: 'meldebescheinigung',
    name_de: 'Meldebescheinigung',
    name_en: 'Certificate of registration',
    duration_minutes: 10,
    fee_cents: 1000,
    sort_order: 4,
  },
];
export const CITIZENS = 200_000;
/** The server's default (SCHALTER_RETENTION_DAYS). */
const RETENTION_DAYS = 30;

/**
 * A district for the release-storm bench: `offices` offices sharing `counters` counters (Mon–Sat
 * 07:00–18:00), two weeks released at once (the wave opened today at 00:00), 10 % held back for the
 * same day and 10 % for phone bookings, and `history` past appointments over the last year by
 * 200,000 distinct citizens (names and addresses only within the retention period, as retention
 * leaves them). The history is generated in SQL (INSERT … SELECT generate_series),
 * not row by row.
 */
export async function seedStormDistrict(
  db: Kysely<DB>,
  options: { offices: number; counters: number; history: number; towns?: number; onProgress?: (line: string) => void },
): Promise<{ officeIds: string[]; towns: StormTown[] }> {
  const log = options.onProgress ?? (() => {});
  await migrateToLatest(db);
  const officeIds = Array.from({ length: options.offices }, (_, i) => `kreis-${i + 1}`);
  const towns = stormTowns(officeIds, options.towns ?? 1);
  const townOf = new Map(towns.flatMap((t) => t.officeIds.map((o) => [o, t])));
  const perOffice = Math.max(1, Math.round(options.counters / options.offices));
  const weekday = Temporal.Now.plainDateISO('Europe/Berlin').dayOfWeek;
  await db.transaction().execute(async (trx) => {
    if (towns.length > 1)
      await trx
        .insertInto('municipality')
        .values(
          towns.map((t, i) => ({
            id: t.id,
            name: `Stadt ${i + 1}`,
            mail_from: `Bürgerbüro <buergerbuero@${t.id}.example>`,
            imprint_url: `https://${t.id}.example/impressum`,
            privacy_url: `https://${t.id}.example/datenschutz`,
          })),
        )
        .execute();
    await trx
      .insertInto('office')
      .values(
        officeIds.map((id, i) => ({
          municipality_id: townOf.get(id)!.id,
          id,
          name: `Bürgerbüro Kreis ${i + 1}`,
          address: `Kreisstraße ${i + 1}, 50000 Kreisstadt`,
          phone: null,
          email: null,
        })),
      )
      .execute();
    await trx
      .insertInto('service')
      .values(towns.flatMap((t) => SERVICE_ROWS.map((row) => ({ ...row, id: t.serviceId(row.id), municipality_id: t.id }))))
      .execute();
    await trx
      .insertInto('office_service')
      .values(
        officeIds.flatMap((office_id) =>
          STORM_SERVICES.map((service) => ({ office_id, service_id: townOf.get(office_id)!.serviceId(service) })),
        ),
      )
      .execute();
    await trx
      .insertInto('staffing_rule')
      .values(
        officeIds.flatMap((office_id) =>
          [1, 2, 3, 4, 5, 6].map((wd) => ({
            office_id,
            weekday: wd,
            start_time: '07:00',
            end_time: '18:00',
            appointment_counters: perOffice,
          })),
        ),
      )
      .execute();
    await trx
      .insertInto('release_policy')
      .values(
        officeIds.map((office_id) => ({
          office_id,
          release_weekday: weekday,
          release_time: '00:00',
          horizon_days: 14,
          same_day_share: 0.1,
          same_day_release_time: '07:00',
          phone_share: 0.1,
          min_lead_minutes: 0,
        })),
      )
      .execute();
  });
  const ctx = createAppContext({
    db,
    now: () => Date.now(),
    randomBytes: (n: number) => randomBytes(n),
    settings: { publicUrl: 'http://bench.invalid', confirmation: 'none' as const, reservationMinutes: 30, capacityDays: 21 },
  });
  const { units } = await materializeCapacity(ctx);
  log(`  ${options.offices} offices, ${perOffice * options.offices} counters, ${units} capacity units`);
  if (options.history > 0) {
    await seedHistory(db, officeIds, towns.length, options.history, log);
    // A server that has run for a year has long computed its statistics (and erased old personal
    // data: the history is seeded that way); left to the storm's server, this one-time catch-up would
    // run during the measurement.
    const catchUp = performance.now();
    await refreshStatistics(ctx);
    await applyRetention(ctx, { retentionDays: RETENTION_DAYS });
    log(`  statistics and retention caught up in ${((performance.now() - catchUp) / 1000).toFixed(1)} s`);
  }
  await sql`ANALYZE`.execute(db);
  return { officeIds, towns };
}

/** Past appointments (served, some no-shows and cancellations) with their services and events. */
async function seedHistory(db: Kysely<DB>, officeIds: string[], towns: number, rows: number, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const offices = officeIds.length;
  // 132 five-minute starts between 07:00 and 18:00; one year of days back from yesterday.
  await sql`
    INSERT INTO appointment (id, reference, municipality_id, office_id, starts_at, ends_at, status, source, language, citizen_name,
      citizen_email, citizen_phone, manage_token_hash, created_at, updated_at)
    SELECT gen_random_uuid(), 'H' || to_hex(g), o.municipality_id, o.id, t, t + interval '10 minutes',
      CASE WHEN g % 20 = 0 THEN 'no_show' WHEN g % 13 = 0 THEN 'cancelled' ELSE 'served' END,
      CASE WHEN g % 5 = 0 THEN 'phone' ELSE 'online' END, 'de',
      -- Older than the retention period, as retention leaves them: without name and address.
      CASE WHEN t >= now() - ${RETENTION_DAYS} * interval '1 day' THEN 'Bürgerin ' || c END,
      CASE WHEN t >= now() - ${RETENTION_DAYS} * interval '1 day' THEN 'buerger' || c || '@example.org' END,
      NULL, md5('history' || g), t - interval '10 days', t
    FROM generate_series(1, ${rows}) AS g,
      LATERAL (SELECT (g::bigint * 7919) % ${CITIZENS} AS c,
                      date_trunc('day', now()) - ((g / ${offices}) % 365 + 1) * interval '1 day'
                        + interval '7 hours' + ((g / (${offices} * 365)) % 132) * interval '5 minutes' AS t) AS x,
      LATERAL (SELECT id, municipality_id FROM office WHERE id = 'kreis-' || (g % ${offices} + 1)) AS o`.execute(db);
  log(`  ${rows} past appointments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`
    INSERT INTO appointment_service (appointment_id, municipality_id, service_id, persons)
    SELECT id, municipality_id, (ARRAY['ausweis','pass','anmeldung','meldebescheinigung'])[1 + abs(hashtext(reference)) % 4]
      -- With several towns each has its own services (ids are unique per installation): kreis-k is in town (k-1) % n + 1.
      || CASE WHEN ${towns} > 1 THEN '-' || ((substring(office_id FROM 7)::int - 1) % ${towns} + 1) ELSE '' END, 1
    FROM appointment WHERE reference LIKE 'H%'`.execute(db);
  await sql`
    INSERT INTO appointment_event (appointment_id, at, actor, action, from_status, to_status)
    SELECT id, created_at, 'citizen', 'booked', NULL, 'confirmed' FROM appointment WHERE reference LIKE 'H%'`.execute(db);
  log(`  with services and events after ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
