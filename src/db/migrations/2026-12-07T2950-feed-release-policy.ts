import { sql, type Kysely } from 'kysely';

// The branch node reads an office's schedule (loadOfficeSchedules) with its release policy, and an
// office without one has no schedule at all: since the Kreis pages read the catalogue on the office
// PC too, the feed-coverage test found release_policy read at the branch but never fed. The change
// feed now carries it (src/sync/change-feed.ts), noted by the generic trigger; upgrading in either
// order works as for the queue settings (2026-12-07T1500): the central server notes every existing
// row once, a branch loads its image again. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TRIGGER release_policy_sync AFTER INSERT OR UPDATE OR DELETE ON release_policy
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'release_policy', 'office_id');
    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT office_id, 'release_policy', office_id FROM release_policy
       WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
