import { sql, type Kysely } from 'kysely';

// Issue #20, decision 0014 ("The distribution column"): the hot-path tables carry the town they
// belong to, so that on Citus they can be distributed by it and every booking and slot search is
// routed to one worker. capacity_unit, appointment and appointment_service gain municipality_id,
// backfilled from the office (appointment_service from its appointment). The application writes it
// on every INSERT, taken from the office: Citus routes an INSERT by the value in the statement, and a
// trigger on the shell table would not run before routing. No foreign key to municipality: a branch
// node mirrors offices before (or without) their municipality row (as office.municipality_id).
//
// The column can never disagree with the office: the foreign keys to the office (and of a service
// row to its appointment) take it in, replacing the plain ones, so a unit or an appointment of
// another town than its office's is refused — a hot statement that filters by the town would
// otherwise miss it and call a free slot full. ON UPDATE CASCADE: the application never moves an
// office to another town (a town file refuses another town's ids), but an operator who does so by
// hand moves its rows with it.
//
// capacity_unit_town: the unit's key with the town in front, unique — the primary key the table will
// have on Citus (a distributed table's unique keys must contain the distribution column); until then
// the hot statements' condition on the town is an Index Cond there. appointment_town_id likewise,
// and the target of the service rows' key. Primary keys and ids stay as they are in this step
// (per-town ids are a later one). Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE capacity_unit ADD COLUMN municipality_id text;
    UPDATE capacity_unit u SET municipality_id = o.municipality_id FROM office o WHERE o.id = u.office_id;
    ALTER TABLE capacity_unit ALTER COLUMN municipality_id SET NOT NULL;
    CREATE UNIQUE INDEX capacity_unit_town ON capacity_unit (municipality_id, office_id, starts_at);

    ALTER TABLE appointment ADD COLUMN municipality_id text;
    UPDATE appointment a SET municipality_id = o.municipality_id FROM office o WHERE o.id = a.office_id;
    ALTER TABLE appointment ALTER COLUMN municipality_id SET NOT NULL;

    ALTER TABLE appointment_service ADD COLUMN municipality_id text;
    UPDATE appointment_service s SET municipality_id = a.municipality_id FROM appointment a WHERE a.id = s.appointment_id;
    ALTER TABLE appointment_service ALTER COLUMN municipality_id SET NOT NULL;

    CREATE UNIQUE INDEX office_town_id ON office (municipality_id, id);
    ALTER TABLE capacity_unit DROP CONSTRAINT capacity_unit_office_id_fkey,
      ADD CONSTRAINT capacity_unit_office_fkey FOREIGN KEY (municipality_id, office_id) REFERENCES office (municipality_id, id) ON UPDATE CASCADE;
    ALTER TABLE appointment DROP CONSTRAINT appointment_office_id_fkey,
      ADD CONSTRAINT appointment_office_fkey FOREIGN KEY (municipality_id, office_id) REFERENCES office (municipality_id, id) ON UPDATE CASCADE;
    CREATE UNIQUE INDEX appointment_town_id ON appointment (municipality_id, id);
    ALTER TABLE appointment_service DROP CONSTRAINT appointment_service_appointment_id_fkey,
      ADD CONSTRAINT appointment_service_appointment_fkey FOREIGN KEY (municipality_id, appointment_id)
        REFERENCES appointment (municipality_id, id) ON UPDATE CASCADE ON DELETE CASCADE;
  `.execute(db);
}
