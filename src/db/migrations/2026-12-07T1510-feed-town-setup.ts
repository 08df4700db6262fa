import { sql, type Kysely } from 'kysely';

// Issue #18, item 1: the town set-up of issue #21 reaches the branch the same way as the rest of the
// office. Fed (src/sync/change-feed.ts): the staffing plan's exceptions (which counters are staffed
// on a date, also for walk-ins), the services each counter calls, the fee rules shown with a
// service at the counter, and the municipality's own texts, links and logo for the pages the office
// PC shows. Not fed, as the central server's work: office_settings (confirmation mails, reminders,
// waiting-list and replacement holds) and setup_revision (its record of applied town files).
// Upgrading a running installation, as 2026-12-07T1500-feed-queue-settings: rows that exist are
// noted once centrally, and a branch loads its image again with its next pull.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TRIGGER staffing_exception_sync AFTER INSERT OR UPDATE OR DELETE ON staffing_exception
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'staffing_exception', 'id');
    -- One record per counter with all its services, so the key is the counter's number.
    CREATE TRIGGER counter_service_sync AFTER INSERT OR UPDATE OR DELETE ON counter_service
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'counter_service', 'counter_number');
    -- One record per service with all its fee rules; services belong to no office.
    CREATE TRIGGER service_fee_rule_sync AFTER INSERT OR UPDATE OR DELETE ON service_fee_rule
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'service_fee_rule', 'service_id');
    CREATE TRIGGER municipality_sync AFTER INSERT OR UPDATE OR DELETE ON municipality
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'municipality', 'id');

    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT office_id, 'staffing_exception', id::text FROM staffing_exception WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state)
      UNION ALL SELECT DISTINCT office_id, 'counter_service', counter_number::text FROM counter_service WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state)
      UNION ALL SELECT DISTINCT NULL::text, 'service_fee_rule', service_id FROM service_fee_rule WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state)
      UNION ALL SELECT NULL::text, 'municipality', id FROM municipality WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
