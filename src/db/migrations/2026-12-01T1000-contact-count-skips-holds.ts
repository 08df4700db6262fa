import { sql, type Kysely } from 'kysely';

// One rule for what counts toward the per-contact limit (SCHALTER_CONTACT_LIMIT), for online booking
// and offer acceptance alike: the person's reserved or confirmed appointments for the services that
// have not ended, except seats held for an offer nobody has accepted yet — a replacement after a
// closure or a waiting-list offer, both a reserved appointment behind a replacement_offer in state
// 'held'. Such a hold is not the person's appointment (app/contact-limit.ts says why counting it
// would let two holds block each other). Until now online booking counted holds and acceptance did
// not: a person with an unanswered offer could not book, and the sweep's holds blocked the person's
// own bookings.
//
// The five-argument function is the rule; offer acceptance calls it with the appointments it takes
// (the hold being accepted, the cancelled original). The four-argument one keeps its signature, so
// the prepared booking statement (db/booking-statement.ts) calls it unchanged. Both stay VOLATILE
// PL/pgSQL: the count must take a fresh snapshot after the person's lock (migration 2026-11-30T0900).
// The appointments are still found through appointment_open_email / appointment_open_phone
// (migration 2026-12-01T0900); each one's held offer through a partial index of the offers held
// right now. Without it the exclusion read every held offer per booking (replacement_offer_due, or
// the whole table by a hash anti join once a large closure holds a seat for each affected person for
// 48 hours: 49 buffers instead of 7 with 1,500 holds, test/db/contact-count.test.ts).
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX replacement_offer_held ON replacement_offer (held_appointment_id) WHERE state = 'held'`.execute(db);
  await sql`
    CREATE FUNCTION open_appointments_of_contact(p_email text, p_phone text, p_services text[], p_after timestamptz, p_exclude uuid[])
      RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
    BEGIN
      RETURN (SELECT count(DISTINCT o.id) FROM appointment o
        JOIN appointment_service os ON os.appointment_id = o.id
        WHERE (lower(o.citizen_email) = p_email OR o.citizen_phone = p_phone)
          AND o.status IN ('reserved', 'confirmed') AND o.ends_at > p_after
          AND os.service_id = ANY(p_services)
          AND NOT (o.id = ANY(coalesce(p_exclude, '{}')))
          AND NOT EXISTS (SELECT 1 FROM replacement_offer r WHERE r.held_appointment_id = o.id AND r.state = 'held' AND o.status = 'reserved'));
    END
    $fn$;
  `.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION open_appointments_of_contact(p_email text, p_phone text, p_services text[], p_after timestamptz)
      RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
    BEGIN
      RETURN open_appointments_of_contact(p_email, p_phone, p_services, p_after, '{}'::uuid[]);
    END
    $fn$;
  `.execute(db);
}
