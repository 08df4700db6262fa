import { sql, type Kysely } from 'kysely';

// Issue #20: each town words its own messages (decision 0012, "per town"). message_template gains
// the town: a row of a municipality is that town's own text, a row of '' the installation's text,
// which every town without its own field has (field by field, then the built-in text). '' and not
// NULL: the town is part of the primary key, and a town id is never empty (town file: [a-z0-9-]+).
// An installation with one town moves its texts to that town, so its admin's page edits exactly
// what it did (emptying a field brings back the built-in text, not a Kreis text); with several towns
// the texts saved so far stay the installation's, for every town, as they were.
// The change feed keeps one record per kind; a branch gets its town's and the installation's rows
// (src/sync/change-feed.ts) and, as in 2026-12-07T2500, loads its image again with its next pull.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE message_template ADD COLUMN municipality_id text NOT NULL DEFAULT '';
    ALTER TABLE message_template DROP CONSTRAINT message_template_pkey;
    ALTER TABLE message_template ADD CONSTRAINT message_template_pkey PRIMARY KEY (municipality_id, kind, language);
    UPDATE message_template SET municipality_id = (SELECT id FROM municipality)
      WHERE (SELECT count(*) FROM municipality) = 1 AND NOT EXISTS (SELECT 1 FROM branch_sync_state);
    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT DISTINCT NULL::text, 'message_template', kind FROM message_template WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
