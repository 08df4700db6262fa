import { sql, type Kysely } from 'kysely';

// The change feed's log (docs/decisions/0006-branch-journal.md): a trigger notes the key of every
// changed row of what a branch mirrors; the feed reads the current rows by those keys. Keys only,
// so the log stays small; rows older than the branches' cursors can be pruned.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sync_change (
      seq bigserial PRIMARY KEY,
      office_id text,          -- NULL: concerns every office (a service, a staff account)
      entity text NOT NULL,
      entity_key text NOT NULL
    );
    CREATE INDEX sync_change_office ON sync_change (office_id, seq);
    -- The branch's position in the feed ('0', 'i:<entity>:<seq>' while loading the image, 'c:<seq>').
    ALTER TABLE branch_sync_state ADD COLUMN feed_position text NOT NULL DEFAULT '0';
    ALTER TABLE branch_sync_state ADD COLUMN feed_synced_at timestamptz;

    -- Arguments: office column ('' for none), entity name, key column.
    CREATE FUNCTION sync_log_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      r jsonb;
      office text;
    BEGIN
      IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
      office := CASE WHEN TG_ARGV[0] = '' THEN NULL ELSE r->>TG_ARGV[0] END;
      INSERT INTO sync_change (office_id, entity, entity_key) VALUES (office, TG_ARGV[1], r->>TG_ARGV[2]);
      IF TG_OP = 'UPDATE' AND TG_ARGV[0] <> '' AND (to_jsonb(OLD)->>TG_ARGV[0]) IS DISTINCT FROM office THEN
        INSERT INTO sync_change (office_id, entity, entity_key) VALUES (to_jsonb(OLD)->>TG_ARGV[0], TG_ARGV[1], r->>TG_ARGV[2]);
      END IF;
      RETURN NULL;
    END
    $fn$;

    CREATE TRIGGER office_sync AFTER INSERT OR UPDATE OR DELETE ON office FOR EACH ROW EXECUTE FUNCTION sync_log_change('id', 'office', 'id');
    CREATE TRIGGER service_sync AFTER INSERT OR UPDATE OR DELETE ON service FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'service', 'id');
    CREATE TRIGGER office_service_sync AFTER INSERT OR UPDATE OR DELETE ON office_service FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'office_service', 'service_id');
    CREATE TRIGGER counter_sync AFTER INSERT OR UPDATE OR DELETE ON counter FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'counter', 'number');
    CREATE TRIGGER staffing_rule_sync AFTER INSERT OR UPDATE OR DELETE ON staffing_rule FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'staffing_rule', 'id');
    CREATE TRIGGER staff_user_sync AFTER INSERT OR UPDATE OR DELETE ON staff_user FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'staff_user', 'id');
    CREATE TRIGGER staff_user_office_sync AFTER INSERT OR UPDATE OR DELETE ON staff_user_office FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'staff_user', 'user_id');
    CREATE TRIGGER appointment_sync AFTER INSERT OR UPDATE OR DELETE ON appointment FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'appointment', 'id');
    CREATE TRIGGER document_order_sync AFTER INSERT OR UPDATE OR DELETE ON document_order FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'document_order', 'id');
  `.execute(db);
}
