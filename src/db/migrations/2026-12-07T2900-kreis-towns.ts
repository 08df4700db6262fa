import { sql, type Kysely } from 'kysely';

// Issue #20 (one central server for a Kreis, decision 0014): several towns in one installation.
// - municipality gains what a town of a Kreis needs of its own: its public site (site_url, more
//   host_names; the host selects the town), retention_days (NULL: SCHALTER_RETENTION_DAYS) and the
//   neighbours whose offices an "any office" search also offers.
// - office.municipality_id and service.municipality_id become NOT NULL: with several towns a row of
//   no town would belong to every town or to none. Backfill: rows without a town go to the only
//   municipality; with none (an installation from before the town file), to a municipality made
//   from the environment the program used for them until now (MAIL_FROM, SCHALTER_IMPRINT_URL,
//   SCHALTER_PRIVACY_URL, read here as config.ts reads them), id `stadt`. Its first town file then
//   says `id: stadt` (README "Setting up a real town"), or it would be refused the offices' ids.
// No foreign key still: a branch node mirrors offices before (or without) their municipality row.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE municipality
      ADD COLUMN site_url text,
      ADD COLUMN host_names text[] NOT NULL DEFAULT '{}',
      ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 3650),
      ADD COLUMN neighbours text[] NOT NULL DEFAULT '{}'
  `.execute(db);

  const { rows } = await sql<{ orphans: boolean; towns: number }>`
    SELECT (EXISTS (SELECT 1 FROM office WHERE municipality_id IS NULL)
         OR EXISTS (SELECT 1 FROM service WHERE municipality_id IS NULL)) AS orphans,
           (SELECT count(*)::int FROM municipality) AS towns
  `.execute(db);
  if (rows[0]?.orphans) {
    if (rows[0].towns === 0) {
      const town = townFromEnvironment(process.env);
      await sql`
        INSERT INTO municipality (id, name, mail_from, imprint_url, privacy_url)
        VALUES (${town.id}, ${town.name}, ${town.mailFrom}, ${town.imprintUrl}, ${town.privacyUrl})
      `.execute(db);
    }
    // With several towns already (a database some tool filled) the rows go to the first by id: the
    // next apply of the right town's file then refuses to take them and says whose they are.
    await sql`UPDATE office SET municipality_id = (SELECT id FROM municipality ORDER BY id LIMIT 1) WHERE municipality_id IS NULL`.execute(
      db,
    );
    await sql`UPDATE service SET municipality_id = (SELECT id FROM municipality ORDER BY id LIMIT 1) WHERE municipality_id IS NULL`.execute(
      db,
    );
  }
  await sql`
    ALTER TABLE office ALTER COLUMN municipality_id SET NOT NULL;
    ALTER TABLE service ALTER COLUMN municipality_id SET NOT NULL;
    CREATE INDEX office_municipality ON office (municipality_id);
    CREATE INDEX service_municipality ON service (municipality_id);
  `.execute(db);
}

/** The municipality an installation from before the town file stood for: its environment's sender and links. */
export function townFromEnvironment(env: Record<string, string | undefined>): {
  id: string;
  name: string;
  mailFrom: string;
  imprintUrl: string;
  privacyUrl: string;
} {
  const mailFrom = env.MAIL_FROM?.trim() || 'Bürgerbüro Musterstadt <buergerbuero@musterstadt.example>';
  // The display name of the sender („Bürgerbüro Musterstadt“) is the best name the environment has.
  const name = /^([^<>]+?)\s*</.exec(mailFrom)?.[1] ?? 'Stadt';
  // Empty text where the environment had no link: the pages then keep using the (missing) fallback
  // and the start-up keeps warning, as before (read-town-site.ts reads '' as none).
  return { id: 'stadt', name, mailFrom, imprintUrl: env.SCHALTER_IMPRINT_URL ?? '', privacyUrl: env.SCHALTER_PRIVACY_URL ?? '' };
}
