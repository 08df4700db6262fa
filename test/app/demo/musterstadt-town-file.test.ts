import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { Temporal } from 'temporal-polyfill';
import { demoTown, seedDemo } from '../../../src/app/demo/seed-demo.ts';
import { applySetup } from '../../../src/app/setup/apply-town-file.ts';
import { checkTownFile } from '../../../src/app/setup/town-file.ts';
import { WEEKDAY_KEYS, type TownFile } from '../../../src/app/setup/town-file-schema.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';

// examples/musterstadt.yaml must say exactly what the demo seed writes (#21: "the demo becomes a
// town file"), compared table by table in the rows the apply step will write (decision 0011).
// The seed loads the file through setup apply; it adds Heiligabend and Silvester of a later year.

const NOW = Date.parse('2026-12-07T08:00:00Z');
const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/musterstadt.yaml'), 'utf8');

/** The rows of today's tables a town means (what `setup apply` will write, minus new columns). */
function rowsOf(town: TownFile) {
  const all = town.services.map((s) => s.id);
  return {
    office: town.offices.map((o) => ({
      id: o.id,
      name: o.name,
      address: o.address,
      phone: o.phone ?? null,
      email: o.email ?? null,
      time_zone: o.timeZone,
      holiday_region: o.holidayRegion ?? town.municipality.holidayRegion,
    })),
    counter: town.offices.flatMap((o) =>
      o.counters.map((c) => ({ office_id: o.id, number: c.number, name: c.name ?? `Schalter ${c.number}` })),
    ),
    service: town.services.map((s, i) => ({
      id: s.id,
      name_de: s.name.de,
      name_en: s.name.en,
      duration_minutes: s.minutes.first,
      fee_cents: s.feeCents ?? null,
      online_bookable: s.online,
      max_persons: s.maxPersons,
      documents_de: s.documents.de,
      documents_en: s.documents.en,
      sort_order: (i + 1) * 10,
    })),
    office_service: town.offices.flatMap((o) => (o.services ?? all).map((id) => ({ office_id: o.id, service_id: id }))),
    staffing_rule: town.offices.flatMap((o) =>
      o.hours.flatMap((h) =>
        h.days.map((d) => ({
          office_id: o.id,
          weekday: WEEKDAY_KEYS.indexOf(d) + 1,
          start_time: h.from,
          end_time: h.to,
          appointment_counters: h.appointmentCounters,
          walkin_counters: h.walkinCounters,
        })),
      ),
    ),
    staffing_exception: town.offices.flatMap((o) =>
      o.exceptions.map((x) => ({
        office_id: o.id,
        date: x.date,
        start_time: x.from ?? null,
        end_time: x.to ?? null,
        appointment_counters: x.appointmentCounters,
        reason: x.reason,
      })),
    ),
    release_policy: town.offices.map((o) => ({
      office_id: o.id,
      release_weekday: WEEKDAY_KEYS.indexOf(o.rules.release.weekday) + 1,
      release_time: o.rules.release.time,
      horizon_days: o.rules.release.horizonDays,
      same_day_share: o.rules.sameDayShare,
      same_day_release_time: o.rules.sameDayReleaseTime,
      phone_share: o.rules.phoneShare,
      min_lead_minutes: o.rules.minLeadMinutes,
    })),
  };
}

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('examples/musterstadt.yaml', () => {
  let database: Database | undefined;
  afterAll(async () => database?.close());

  it('is the demo town: every office, counter, service, staffing line, exception and release rule', async () => {
    const { town, problems } = checkTownFile(file);
    expect(problems).toEqual([]);
    const expected = rowsOf(town!);

    database = await createTestDb();
    const db = database.db;
    const ctx = createAppContext({
      db,
      now: () => NOW,
      randomBytes: (n) => randomBytes(n),
      settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 30 },
    });
    await seedDemo(ctx);
    // The crest beside the file, as `setup apply` reads a town's logo.
    expect(await db.selectFrom('municipality').select(['logo_file', 'logo_media_type', 'logo']).executeTakeFirst()).toEqual({
      logo_file: 'musterstadt-wappen.svg',
      logo_media_type: 'image/svg+xml',
      logo: fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/musterstadt-wappen.svg')),
    });

    expect(
      sorted(await db.selectFrom('office').select(['id', 'name', 'address', 'phone', 'email', 'time_zone', 'holiday_region']).execute()),
    ).toEqual(sorted(expected.office));
    expect(sorted(await db.selectFrom('counter').selectAll().execute())).toEqual(sorted(expected.counter));
    const serviceColumns = [
      'id',
      'name_de',
      'name_en',
      'duration_minutes',
      'fee_cents',
      'online_bookable',
      'max_persons',
      'documents_de',
      'documents_en',
      'sort_order',
    ] as const;
    expect(sorted(await db.selectFrom('service').select(serviceColumns).execute())).toEqual(sorted(expected.service));
    expect(sorted(await db.selectFrom('office_service').selectAll().execute())).toEqual(sorted(expected.office_service));
    expect(
      sorted(
        await db
          .selectFrom('staffing_rule')
          .select(['office_id', 'weekday', 'start_time', 'end_time', 'appointment_counters', 'walkin_counters'])
          .execute(),
      ),
    ).toEqual(sorted(expected.staffing_rule));
    const exceptions = await db
      .selectFrom('staffing_exception')
      .select(['office_id', 'date', 'start_time', 'end_time', 'appointment_counters', 'reason'])
      .execute();
    expect(sorted(exceptions)).toEqual(sorted(expected.staffing_exception));
    const policies = (await db.selectFrom('release_policy').selectAll().execute()).map((p) => ({
      ...p,
      same_day_share: Number(p.same_day_share),
      phone_share: Number(p.phone_share),
    }));
    expect(sorted(policies)).toEqual(sorted(expected.release_policy));

    // The demo is loaded through setup apply: the file applied to the demo database changes nothing.
    const again = await applySetup(ctx, file, { actor: 'cli' });
    expect(again).toMatchObject({ applied: false, changes: [], affectedAppointments: [] });
  });

  it('a demo started in a later year gets the coming Heiligabend and Silvester', () => {
    const town = demoTown(Temporal.PlainDate.from('2028-03-01'));
    const dates = town.offices.find((o) => o.id === 'rathaus')!.exceptions.map((x) => x.date);
    expect(dates.filter((d) => d.startsWith('2028'))).toEqual(['2028-12-24', '2028-12-24', '2028-12-31']);
  });
});
