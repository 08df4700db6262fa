import { sql, type Kysely } from 'kysely';

// The change feed's trigger on appointment, the table every booking, check-in and cancellation
// writes. The generic sync_log_change() (2026-11-27T1000) finds its two columns by name, so it turns
// the whole row into jsonb first, on an update twice. This one reads them directly and logs the same
// rows: the key, under the new office and, when an appointment moved office, under the old one too.
// The other mirrored tables change a few times a day and keep the generic function.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION sync_log_appointment_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_change (office_id, entity, entity_key) VALUES (OLD.office_id, 'appointment', OLD.id::text);
        RETURN NULL;
      END IF;
      INSERT INTO sync_change (office_id, entity, entity_key) VALUES (NEW.office_id, 'appointment', NEW.id::text);
      IF TG_OP = 'UPDATE' AND OLD.office_id IS DISTINCT FROM NEW.office_id THEN
        INSERT INTO sync_change (office_id, entity, entity_key) VALUES (OLD.office_id, 'appointment', NEW.id::text);
      END IF;
      RETURN NULL;
    END
    $fn$;
    DROP TRIGGER appointment_sync ON appointment;
    CREATE TRIGGER appointment_sync AFTER INSERT OR UPDATE OR DELETE ON appointment
      FOR EACH ROW EXECUTE FUNCTION sync_log_appointment_change();
  `.execute(db);
}
