import { sql, type Kysely } from 'kysely';

// Online booking in one statement (issue #7): the per-contact limit must count the person's
// appointments committed before this booking took the person's lock. A statement's own snapshot is
// taken when it starts, before the lock, so the count runs in a VOLATILE PL/pgSQL function, whose
// queries each take a fresh snapshot (PostgreSQL docs, "Function Volatility Categories"); the booking
// statement calls it only after the lock is held. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION open_appointments_of_contact(p_email text, p_phone text, p_services text[], p_after timestamptz)
      RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
    BEGIN
      -- Matches the partial indexes appointment_open_email / appointment_open_phone.
      RETURN (SELECT count(DISTINCT o.id) FROM appointment o
        JOIN appointment_service os ON os.appointment_id = o.id
        WHERE (lower(o.citizen_email) = p_email OR o.citizen_phone = p_phone)
          AND o.status IN ('reserved', 'confirmed') AND o.ends_at > p_after
          AND os.service_id = ANY(p_services));
    END
    $fn$;
  `.execute(db);
}
