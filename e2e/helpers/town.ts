import type { AppContext } from '../../src/app/shared/context.ts';

/**
 * The browser tests' town: two staffed offices and a registry office without staff, four services with real-looking fees and documents, so
 * screenshots show what a citizen would see. One counter each, Mon–Fri 08:00–12:00, weekly release
 * on Monday 07:00 for 14 days, bookable from one hour ahead.
 */
export async function seedBrowserTown(ctx: AppContext): Promise<void> {
  const { db } = ctx;
  await db
    .insertInto('office')
    .values([
      {
        municipality_id: 'musterstadt',
        id: 'rathaus',
        name: 'Bürgerbüro Rathaus',
        address: 'Markt 1, 44575 Musterstadt',
        phone: '0221 4710-100',
        email: 'buergerbuero@example.org',
      },
      {
        municipality_id: 'musterstadt',
        id: 'nord',
        name: 'Stadtteilbüro Nord',
        address: 'Nordring 12, 44577 Musterstadt',
        phone: '0221 4710-200',
        email: null,
      },
      {
        municipality_id: 'musterstadt',
        id: 'standesamt',
        name: 'Standesamt',
        address: 'Schlossplatz 3, 44575 Musterstadt',
        phone: null,
        email: null,
      },
    ])
    .execute();
  await db
    .insertInto('service')
    .values([
      {
        municipality_id: 'musterstadt',
        id: 'personalausweis',
        name_de: 'Personalausweis beantragen',
        name_en: 'Apply for an identity card',
        duration_minutes: 15,
        fee_cents: 3700,
        max_persons: 4,
        sort_order: 1,
        documents_de: ['Biometrisches Passfoto', 'Bisheriger Ausweis oder Reisepass'],
        documents_en: ['Biometric passport photo', 'Current identity card or passport'],
      },
      {
        municipality_id: 'musterstadt',
        id: 'meldebescheinigung',
        name_de: 'Meldebescheinigung',
        name_en: 'Certificate of registration',
        duration_minutes: 5,
        fee_cents: 1000,
        max_persons: 2,
        sort_order: 2,
        documents_de: ['Personalausweis'],
        documents_en: ['Identity card'],
      },
      {
        municipality_id: 'musterstadt',
        id: 'wohnsitz',
        name_de: 'Wohnsitz anmelden oder ummelden',
        name_en: 'Register or change your address',
        duration_minutes: 10,
        fee_cents: null,
        max_persons: 6,
        sort_order: 3,
        documents_de: ['Wohnungsgeberbestätigung', 'Personalausweis'],
        documents_en: ['Landlord’s confirmation', 'Identity card'],
      },
      {
        municipality_id: 'musterstadt',
        id: 'abholung',
        name_de: 'Dokument abholen',
        name_en: 'Collect a document',
        duration_minutes: 5,
        fee_cents: null,
        online_bookable: false,
        sort_order: 4,
      },
      // Only offered where no counter is staffed: the "no free times" dead end.
      {
        municipality_id: 'musterstadt',
        id: 'eheschliessung',
        name_de: 'Eheschließung anmelden',
        name_en: 'Give notice of marriage',
        duration_minutes: 30,
        fee_cents: 6600,
        max_persons: 2,
        sort_order: 5,
      },
    ])
    .execute();
  const offered = [
    ['rathaus', 'personalausweis'],
    ['rathaus', 'meldebescheinigung'],
    ['rathaus', 'wohnsitz'],
    ['rathaus', 'abholung'],
    ['nord', 'personalausweis'],
    ['nord', 'wohnsitz'],
    ['standesamt', 'eheschliessung'],
  ];
  await db
    .insertInto('office_service')
    .values(offered.map(([office_id, service_id]) => ({ office_id: office_id!, service_id: service_id! })))
    .execute();
  await db
    .insertInto('release_policy')
    .values({
      office_id: 'standesamt',
      release_weekday: 1,
      release_time: '07:00',
      horizon_days: 14,
      same_day_share: 0,
      same_day_release_time: '07:00',
      phone_share: 0,
      min_lead_minutes: 60,
    })
    .execute();
  for (const office_id of ['rathaus', 'nord']) {
    await db
      .insertInto('staffing_rule')
      .values([1, 2, 3, 4, 5].map((weekday) => ({ office_id, weekday, start_time: '08:00', end_time: '12:00', appointment_counters: 1 })))
      .execute();
    await db
      .insertInto('release_policy')
      .values({
        office_id,
        release_weekday: 1,
        release_time: '07:00',
        horizon_days: 14,
        same_day_share: 0,
        same_day_release_time: '07:00',
        phone_share: 0,
        min_lead_minutes: 60,
      })
      .execute();
  }
}
