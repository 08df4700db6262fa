import { sql, type Kysely } from 'kysely';

// Issue #19 „Texte“: the municipality words every citizen message, not only the closure notice
// (src/domain/message-template.ts lists the kinds). A branch node writes the document-ready notice
// when its counter marks a document ready, so the texts reach it through the change feed, one record
// per kind with both languages (src/sync/change-feed.ts). Rows that exist are noted once, and a
// branch loads its image again with its next pull. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE message_template DROP CONSTRAINT message_template_kind_check;
    ALTER TABLE message_template ADD CONSTRAINT message_template_kind_check CHECK (kind IN (
      'booking_confirmation', 'appointment_confirmed', 'appointment_reminder', 'document_ready',
      'closure_notice', 'waiting_list_offer', 'replacement_reminder'));
    CREATE TRIGGER message_template_sync AFTER INSERT OR UPDATE OR DELETE ON message_template
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'message_template', 'kind');
    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT DISTINCT NULL::text, 'message_template', kind FROM message_template WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
