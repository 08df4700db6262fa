import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppContext } from './context.ts';

// Personal data is kept only as long as needed (invariant 6; Art. 5(1)(e) DSGVO). Some days after an
// appointment (SCHALTER_RETENTION_DAYS, default 30, as in ZMS-run offices) its name, email and phone
// are removed, and with them every copy: mails and SMS in the outbox, notes on the call list, event
// and audit details, document orders handed out, waiting-list entries that ran out, and the
// commands a branch node journalled. What stays are ids, times, statuses and counts — enough for
// the statistics, which hold no personal data anyway, and for "who saw which appointment" (Art. 15).

const BATCH = 500;
/** Keys of event and audit details that never hold personal data; everything else goes. */
const SAFE_KEYS = ['reason', 'channel', 'closureId', 'replaces', 'offerId', 'ticket', 'counter', 'fromCounter', 'toCounter', 'toServiceId', 'appointmentId', 'appointmentIds', 'reference', 'role', 'officeIds', 'people', 'amountCents', 'method', 'fromStart', 'toStart', 'toOffice', 'at', 'state', 'kind'];
/** Keys removed wherever they occur in journalled commands (nested too). */
const PERSONAL_KEYS = new Set(['name', 'holderName', 'authorisedName', 'email', 'phone', 'citizen', 'recipient', 'query', 'note', 'ip', 'userAgent']);

export type RetentionReport = { appointments: number; outbox: number; audit: number; documents: number; waitingList: number; journal: number; ms: number };

export async function applyRetention(ctx: AppContext, options: { retentionDays: number }): Promise<RetentionReport> {
  const { db } = ctx;
  const started = ctx.now();
  const cutoff = new Date(started - options.retentionDays * 86_400_000);
  const run = await db.insertInto('job_run').values({ job: 'retention', started_at: new Date(started), details: JSON.stringify({ retentionDays: options.retentionDays, cutoff: cutoff.toISOString() }) }).returning('id').executeTakeFirstOrThrow();
  const report: RetentionReport = { appointments: 0, outbox: 0, audit: 0, documents: 0, waitingList: 0, journal: 0, ms: 0 };
  // Each batch continues at the end time where the last one stopped: starting from the oldest each
  // time would step over every row already anonymised, which makes catching up on a year of history
  // quadratic (with 1 M appointments: minutes instead of seconds).
  let after = new Date(0);
  for (;;) {
    const done = await inTransaction(db, (trx) => anonymiseAppointments(trx, cutoff, after));
    report.appointments += done.count;
    if (done.count < BATCH) break;
    after = done.lastEndsAt;
  }
  report.outbox = await anonymiseOldOutbox(db, cutoff);
  report.audit = await scrubDetails(db, 'audit_log', 'at', cutoff);
  report.documents = await anonymiseDocuments(db, cutoff);
  report.waitingList = await anonymiseWaitingList(db, cutoff);
  report.journal = await scrubJournal(db, cutoff);
  report.ms = ctx.now() - started;
  await db.updateTable('job_run').set({ finished_at: new Date(ctx.now()), details: JSON.stringify({ retentionDays: options.retentionDays, cutoff: cutoff.toISOString(), ...report }) }).where('id', '=', run.id).execute();
  return report;
}

const safeDetails = sql`(SELECT jsonb_object_agg(key, value) FROM jsonb_each(details) WHERE key = ANY(${SAFE_KEYS}::text[]))`;

async function anonymiseAppointments(db: Kysely<DB>, cutoff: Date, after: Date): Promise<{ count: number; lastEndsAt: Date }> {
  const rows = await db
    .selectFrom('appointment')
    .select(['id', 'ends_at'])
    .where('ends_at', '>=', after)
    .where('ends_at', '<', cutoff)
    .where((eb) => eb.or([eb('citizen_name', 'is not', null), eb('citizen_email', 'is not', null), eb('citizen_phone', 'is not', null)]))
    .orderBy('ends_at')
    .limit(BATCH)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length === 0) return { count: 0, lastEndsAt: after };
  const ids = rows.map((r) => r.id);
  await db.updateTable('appointment').set({ citizen_name: null, citizen_email: null, citizen_phone: null }).where('id', 'in', ids).execute();
  await sql`UPDATE appointment_event SET details = ${safeDetails} WHERE appointment_id = ANY(${ids}::uuid[]) AND details IS NOT NULL`.execute(db);
  // Every mail and SMS about these appointments (confirmation, reminder, cancellation, offers).
  await sql`UPDATE outbox SET recipient = '', subject = NULL, body_text = '', body_html = NULL, attachments = '[]'
            WHERE dedupe_key LIKE ANY(${ids.map((id) => `%${id}%`)}::text[]) AND recipient <> ''`.execute(db);
  await sql`UPDATE audit_log SET details = ${safeDetails} WHERE entity_id = ANY(${ids}::text[]) AND details IS NOT NULL`.execute(db);
  if (await tableExists(db, 'call_list_entry')) await sql`UPDATE call_list_entry SET note = NULL WHERE appointment_id = ANY(${ids}::uuid[]) AND note IS NOT NULL`.execute(db);
  return { count: ids.length, lastEndsAt: rows[rows.length - 1]!.ends_at };
}

/** Messages older than the period, whatever they were about (also those not tied to an appointment). */
async function anonymiseOldOutbox(db: Kysely<DB>, cutoff: Date): Promise<number> {
  // A message still queued after the whole period will not be wanted any more: it fails instead of going out empty.
  const r = await sql`UPDATE outbox SET recipient = '', subject = NULL, body_text = '', body_html = NULL, attachments = '[]',
                        state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END,
                        last_error = CASE WHEN state = 'queued' THEN 'retention: not sent within the retention period' ELSE last_error END
                      WHERE created_at < ${cutoff} AND state <> 'sending' AND recipient <> ''`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

async function scrubDetails(db: Kysely<DB>, table: 'audit_log', column: 'at', cutoff: Date): Promise<number> {
  const r = await sql`UPDATE ${sql.table(table)} SET details = ${safeDetails}
                      WHERE ${sql.ref(column)} < ${cutoff} AND details IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_object_keys(details) k WHERE NOT k = ANY(${SAFE_KEYS}::text[]))`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** ID cards and passports handed out or sent back more than the period ago. */
async function anonymiseDocuments(db: Kysely<DB>, cutoff: Date): Promise<number> {
  const r = await sql<{ id: string }>`UPDATE document_order SET holder_name = '', citizen_email = NULL, citizen_phone = NULL, authorised_name = NULL
                      WHERE state IN ('handed_out', 'returned') AND updated_at < ${cutoff} AND holder_name <> '' RETURNING id`.execute(db);
  const ids = r.rows.map((x) => x.id);
  if (ids.length) {
    await sql`UPDATE document_event SET details = ${safeDetails} WHERE document_order_id = ANY(${ids}::uuid[]) AND details IS NOT NULL`.execute(db);
    await sql`UPDATE audit_log SET details = ${safeDetails} WHERE entity_id = ANY(${ids}::text[]) AND details IS NOT NULL`.execute(db);
    await sql`UPDATE outbox SET recipient = '', subject = NULL, body_text = '', body_html = NULL, attachments = '[]'
              WHERE dedupe_key = ANY(${ids.map((id) => `document-ready:${id}`)}::text[]) AND recipient <> ''`.execute(db);
  }
  return ids.length;
}

async function anonymiseWaitingList(db: Kysely<DB>, cutoff: Date): Promise<number> {
  if (!(await tableExists(db, 'waiting_list_entry'))) return 0;
  const day = cutoff.toISOString().slice(0, 10);
  // Out of line (booked, left, lapsed) more than the period ago, or the dates ran out more than the period ago.
  const r = await sql`UPDATE waiting_list_entry SET citizen_name = '', citizen_email = NULL, citizen_phone = NULL
                      WHERE (latest_date < ${day}::date OR (state IN ('booked', 'left', 'expired') AND ended_at < ${cutoff}))
                        AND (citizen_name <> '' OR citizen_email IS NOT NULL OR citizen_phone IS NOT NULL)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Counter commands journalled by a branch node and applied centrally carry names (document.register). */
async function scrubJournal(db: Kysely<DB>, cutoff: Date): Promise<number> {
  let changed = 0;
  const tables: [string, string, string, string[]][] = [
    ['branch_journal', 'seq', 'recorded_at', ['command', 'local_error']],
    ['sync_applied_op', 'op_id', 'applied_at', ['command', 'outcome']],
    ['sync_work_item', 'id', 'created_at', ['details']],
  ];
  for (const [table, key, at, columns] of tables) {
    if (!(await tableExists(db, table))) continue;
    for (const column of columns) {
      const rows = await sql<{ k: string; v: unknown }>`SELECT ${sql.ref(key)}::text AS k, ${sql.ref(column)} AS v FROM ${sql.table(table)}
        WHERE ${sql.ref(at)} < ${cutoff} AND ${sql.ref(column)} IS NOT NULL`.execute(db);
      for (const row of rows.rows) {
        const scrubbed = scrubJson(row.v);
        if (JSON.stringify(scrubbed) === JSON.stringify(row.v)) continue;
        await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${JSON.stringify(scrubbed)}::jsonb WHERE ${sql.ref(key)}::text = ${row.k}`.execute(db);
        changed++;
      }
    }
  }
  return changed;
}

/** Removes personal keys at any depth. */
export function scrubJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !PERSONAL_KEYS.has(k)).map(([k, v]) => [k, scrubJson(v)]));
  return value;
}

async function tableExists(db: Kysely<DB>, table: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`SELECT to_regclass(${table})::text AS t`.execute(db);
  return r.rows[0]?.t !== null && r.rows[0]?.t !== undefined;
}
