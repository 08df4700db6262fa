import { sql, type Kysely } from 'kysely';

// Issue #18, item 1: the queue settings a team lead sets centrally (walk-in quota, check-in window)
// never reached the branch node, which then gave walk-in tickets and refused check-ins by its own
// defaults while the central server replayed the same commands by the team lead's rules. The change
// feed now carries office_queue_settings (src/sync/change-feed.ts), noted by the generic trigger.
// Upgrading a running installation, in either order:
// - central: every existing row is noted once, so a branch that is already past its image (cursor
//   c:<seq>) receives it with its next page;
// - branch (the node with a branch_sync_state row): its cursor goes back to the start, so the next
//   pull loads the whole image again — from an upgraded central server with the settings (a branch
//   whose central server is not upgraded yet gets them through the rows noted above once it is).
//   Applying the image twice is harmless (0006); the counter's own state is never overwritten.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TRIGGER office_queue_settings_sync AFTER INSERT OR UPDATE OR DELETE ON office_queue_settings
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'office_queue_settings', 'office_id');
    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT office_id, 'office_queue_settings', office_id FROM office_queue_settings
       WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
