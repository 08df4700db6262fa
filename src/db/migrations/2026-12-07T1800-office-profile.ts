import { sql, type Kysely } from 'kysely';

// Issue #24 item 4: the office page /standorte/{office} says how to get there and what the building
// offers, from the town file. NULL is "not stated" (the page then says nothing), false a stated "no"
// (no lift), so a town that never filled them in is not shown as inaccessible. The branch receives
// them with the office row (to_jsonb). Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE office
      ADD COLUMN public_transport_de text,
      ADD COLUMN public_transport_en text,
      ADD COLUMN step_free_entrance boolean,
      ADD COLUMN lift boolean,
      ADD COLUMN accessible_toilet boolean,
      ADD COLUMN hearing_loop boolean;
  `.execute(db);
}
