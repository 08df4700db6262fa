import { sql, type RawBuilder } from 'kysely';

// Which rows of which table belong to one town (`schalter export --municipality ID`, docs/town-export.md).
// Every table of src/db/schema.sql is named here exactly once — test/db/town-tables.test.ts fails on
// a table that is not — so a new table cannot silently be left out of a town's export.
//
//   town          the town's rows are exported and imported; `rows` selects them. The list order is
//                 the insert order: every foreign key points to a table earlier in the list (or to a
//                 column in `later`, set once all rows are in — the one cycle, offer ↔ waiting list).
//   installation  the installation's own bookkeeping, not a town's: not exported; `why` says why.
//
// A town's rows are found through the chains up to municipality: office.municipality_id,
// service.municipality_id, then office_id / service_id / appointment_id / closure_id … Staff accounts
// and API tokens by their own municipality_id: one of the whole Kreis (NULL, a Kreis admin) is not
// exported — in another installation it would see every town there.

type Town = RawBuilder<unknown>;

export type TownTable = {
  kind: 'town';
  name: string;
  rows: (town: Town) => RawBuilder<unknown>;
  /** Columns written as NULL on insert and set after every table is in (a foreign key cycle). */
  later?: readonly string[];
  /**
   * A number from a sequence as primary key: when any imported number is taken in the target, all of
   * the table's imported rows move up by the same amount past the target's highest (order kept), and
   * the columns in `renumbers` of other tables move with them.
   */
  renumber?: { column: string };
};
export type InstallationTable = { kind: 'installation'; name: string; why: string };
export type TableClass = TownTable | InstallationTable;

/** References to a renumbered table's key: table → column → the renumbered table it points to. */
export const RENUMBERED_REFERENCES: readonly { table: string; column: string; target: string }[] = [
  { table: 'closure', column: 'setup_revision', target: 'setup_revision' },
];

/** audit_log.entity_id of these entities is the key of a renumbered table and moves with it. */
export const AUDIT_ENTITY_OF_RENUMBERED: Readonly<Record<string, string>> = {
  call_list_entry: 'call_list_entry',
  setup_revision: 'setup_revision',
  outbox: 'outbox',
  audit_log: 'audit_log',
};

const offices = (town: Town) => sql`(SELECT id FROM office WHERE municipality_id = ${town})`;
const services = (town: Town) => sql`(SELECT id FROM service WHERE municipality_id = ${town})`;
const byOffice = (town: Town) => sql`office_id IN ${offices(town)}`;
const appointments = (town: Town) => sql`(SELECT id FROM appointment WHERE office_id IN ${offices(town)})`;
const closures = (town: Town) => sql`(SELECT id FROM closure WHERE office_id IN ${offices(town)})`;
const documentOrders = (town: Town) => sql`(SELECT id FROM document_order WHERE office_id IN ${offices(town)})`;
const waitingEntries = (town: Town) =>
  sql`(SELECT id FROM waiting_list_entry WHERE office_ids && ARRAY(SELECT id FROM office WHERE municipality_id = ${town}))`;
const staff = (town: Town) => sql`(SELECT id FROM staff_user WHERE municipality_id = ${town})`;
const tokens = (town: Town) => sql`(SELECT id FROM api_token WHERE municipality_id = ${town})`;
const offers = (town: Town) =>
  sql`(SELECT id FROM replacement_offer WHERE closure_id IN ${closures(town)} OR original_appointment_id IN ${appointments(town)}
        OR held_appointment_id IN ${appointments(town)} OR waiting_entry_id IN ${waitingEntries(town)})`;
/** The first UUID in a message's dedupe key is what it is about (appointment:<id>:reminder, document-ready:<id> …). */
const UUID_IN_KEY = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const town = (name: string, rows: TownTable['rows'], extra: Partial<TownTable> = {}): TownTable => ({ kind: 'town', name, rows, ...extra });
const installation = (name: string, why: string): InstallationTable => ({ kind: 'installation', name, why });

export const TABLE_CLASSES: readonly TableClass[] = [
  // Set-up of the town (what `setup export --municipality` writes, plus what the file does not hold).
  town('municipality', (t) => sql`id = ${t}`),
  town('setup_revision', (t) => sql`municipality_id = ${t}`, { renumber: { column: 'revision' } }),
  town('office', (t) => sql`municipality_id = ${t}`),
  town('service', (t) => sql`municipality_id = ${t}`),
  town('service_fee_rule', (t) => sql`service_id IN ${services(t)}`),
  town('office_service', byOffice),
  town('office_settings', byOffice),
  town('office_queue_settings', byOffice),
  town('display_notice', byOffice),
  town('release_policy', byOffice),
  town('staffing_rule', byOffice, { renumber: { column: 'id' } }),
  town('staffing_exception', byOffice, { renumber: { column: 'id' } }),
  town('counter', byOffice),
  town('counter_service', byOffice),
  town('capacity_unit', byOffice),
  // People and devices.
  town('staff_user', (t) => sql`municipality_id = ${t}`),
  town('staff_user_office', (t) => sql`office_id IN ${offices(t)} AND user_id IN ${staff(t)}`),
  town('staff_recovery_code', (t) => sql`user_id IN ${staff(t)}`),
  town('api_token', (t) => sql`municipality_id = ${t}`),
  town('api_token_office', (t) => sql`office_id IN ${offices(t)} AND token_id IN ${tokens(t)}`),
  town('office_device', byOffice),
  town('device_pairing', byOffice),
  town('counter_station', byOffice),
  // Appointments and what hangs on them.
  town('appointment', byOffice),
  town('appointment_service', (t) => sql`appointment_id IN ${appointments(t)}`),
  town('appointment_event', (t) => sql`appointment_id IN ${appointments(t)}`, { renumber: { column: 'id' } }),
  town('appointment_reminder', (t) => sql`appointment_id IN ${appointments(t)}`),
  town('lease_booking', byOffice),
  town('release_request', byOffice),
  town('closure', byOffice),
  town('closure_item', (t) => sql`closure_id IN ${closures(t)}`),
  town('waiting_list_entry', (t) => sql`id IN ${waitingEntries(t)}`, { later: ['offer_id'] }),
  town('replacement_offer', (t) => sql`id IN ${offers(t)}`),
  town('call_list_entry', byOffice, { renumber: { column: 'id' } }),
  // The queue and the counter.
  town('ticket', byOffice),
  town('ticket_sequence', byOffice),
  town('queue_call', byOffice, { renumber: { column: 'id' } }),
  town('walkin_refusal', byOffice, { renumber: { column: 'id' } }),
  town('document_order', byOffice),
  town('document_event', (t) => sql`document_order_id IN ${documentOrders(t)}`, { renumber: { column: 'id' } }),
  town('counter_payment', byOffice),
  // Messages to the town's citizens, found by what they are about.
  town(
    'outbox',
    (t) => sql`substring(dedupe_key from ${UUID_IN_KEY})::uuid IN (
      SELECT id FROM appointment WHERE office_id IN ${offices(t)}
      UNION ALL SELECT id FROM document_order WHERE office_id IN ${offices(t)}
      UNION ALL SELECT id FROM release_request WHERE office_id IN ${offices(t)}
      UNION ALL SELECT id FROM closure WHERE office_id IN ${offices(t)}
      UNION ALL ${waitingEntries(t)} UNION ALL ${offers(t)})`,
    { renumber: { column: 'id' } },
  ),
  // The town's own wording of its messages; the installation's texts ('') stay with the installation.
  town('message_template', (t) => sql`municipality_id = ${t}`),
  // History: statistics kept after retention removed the records they were counted from.
  town('stat_hourly', byOffice),
  town('stat_search_miss', byOffice),
  town('stat_waiting_list', byOffice),
  town('lead_time_snapshot', byOffice),
  town('sync_work_item', byOffice),
  // The audit log: entries at the town's offices, and those without office about the town's set-up and accounts.
  town(
    'audit_log',
    (t) => sql`office_id IN ${offices(t)} OR (office_id IS NULL AND (
      (entity = 'municipality' AND entity_id = ${t})
      OR (entity = 'office' AND entity_id IN ${offices(t)})
      OR (entity = 'setup_revision' AND entity_id IN (SELECT revision::text FROM setup_revision WHERE municipality_id = ${t}))
      OR (entity = 'staff_user' AND entity_id IN (SELECT id::text FROM staff_user WHERE municipality_id = ${t}))
      OR (entity = 'api_token' AND entity_id IN (SELECT id::text FROM api_token WHERE municipality_id = ${t}))
      OR (entity = 'appointment' AND entity_id IN (SELECT id::text FROM appointment WHERE office_id IN ${offices(t)}))
      OR (entity = 'document_order' AND entity_id IN (SELECT id::text FROM document_order WHERE office_id IN ${offices(t)}))
      OR (entity = 'closure' AND entity_id IN (SELECT id::text FROM closure WHERE office_id IN ${offices(t)}))
      OR (entity = 'message_template' AND details->>'municipalityId' = ${t})))`,
    { renumber: { column: 'id' } },
  ),

  installation('kysely_migration', 'the schema version; the archive names it in its manifest and import refuses another one'),
  installation('kysely_migration_lock', 'the migrator’s lock while a schema change runs'),
  installation('job_run', 'when this installation’s background jobs ran'),
  installation('login_failure', 'rate limit of failed logins on this server, minutes long'),
  installation('staff_session', 'a login belongs to the server it was made on: staff log in anew at the new one'),
  installation(
    'stat_watermark',
    'how far this installation’s statistics job has read its own tables; the town’s statistics (stat_hourly) are exported',
  ),
  installation('sync_change', 'the change feed of this central server to its branch nodes, numbered by this installation'),
  installation('sync_branch', 'branch nodes are paired with a central server: pair them anew with the new one (docs/operations.md)'),
  installation('sync_applied_op', 'which operations of this central server’s branch nodes were applied, by their journal numbers'),
  installation('branch_journal', 'a branch node’s own journal; towns are exported from the central server'),
  installation('branch_sync_state', 'a branch node’s own state towards its central server'),
];

export const TOWN_TABLES: readonly TownTable[] = TABLE_CLASSES.filter((c): c is TownTable => c.kind === 'town');

export function townTable(name: string): TownTable | undefined {
  return TOWN_TABLES.find((t) => t.name === name);
}
