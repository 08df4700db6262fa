import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { reclaimDeadRows } from '../../db/vacuum.ts';
import type { AppContext } from '../shared/context.ts';
import { OUTBOX_WITH_OFFICE } from '../messaging/outbox-messages.ts';
import { readRetentionCutoffs, type RetentionCutoffs } from './retention-cutoffs.ts';

// Personal data is kept only as long as needed (invariant 6; Art. 5(1)(e) DSGVO). Some days after an
// appointment (SCHALTER_RETENTION_DAYS, default 30, as in ZMS-run offices) its name, email and phone
// are removed, and with them every copy: mails and SMS in the outbox (and the mail files written
// without SMTP), notes on the call list, event and audit details, document orders handed out,
// waiting-list entries that ran out, requests of a fair release window, and the commands a branch
// node journalled (its journal file too). What stays are ids, times, statuses and counts — enough
// for the statistics, which hold no personal data anyway, and for "who saw which appointment"
// (Art. 15). Blanked rows leave their old versions in the table files until VACUUM reclaims them, so
// the run ends with one on every table it changed. Each town's records go after that town's days
// (retention-cutoffs.ts, decision 0014).

const BATCH = 500;
/** Keys of event and audit details that never hold personal data; everything else goes. */
const SAFE_KEYS = [
  'reason',
  'channel',
  'closureId',
  'replaces',
  'offerId',
  'ticket',
  'counter',
  'fromCounter',
  'toCounter',
  'toServiceId',
  'appointmentId',
  'appointmentIds',
  'reference',
  'role',
  'officeIds',
  'people',
  'amountCents',
  'method',
  'fromStart',
  'toStart',
  'toOffice',
  'at',
  'state',
  'kind',
];
/** Keys removed wherever they occur in journalled commands (nested too). */
const PERSONAL_KEYS = new Set([
  'name',
  'holderName',
  'authorisedName',
  'email',
  'phone',
  'citizen',
  'recipient',
  'query',
  'note',
  'ip',
  'userAgent',
]);

/**
 * Copies kept outside the database: the mail folder (no SMTP), a branch node's journal file. The
 * adapter that writes them removes or rewrites them; the job tells it what went from the database.
 */
export type RetentionCopies = {
  /** Key of its count in the report, e.g. 'mailFiles'. */
  name: string;
  /** Copies of the messages blanked now (outbox ids) and of everything older than the cutoff; returns files or lines changed. */
  remove(input: { cutoff: Date; outboxIds: readonly string[] }): Promise<number>;
};

export type RetentionReport = {
  appointments: number;
  /** Outbox messages blanked, whatever made them due (their appointment, document, request, or age). */
  outbox: number;
  audit: number;
  documents: number;
  waitingList: number;
  releaseRequests: number;
  journal: number;
  /** Per RetentionCopies.name: files removed or lines rewritten outside the database. */
  copies: Record<string, number>;
  ms: number;
};

export async function applyRetention(
  ctx: AppContext,
  options: { retentionDays: number; copies?: readonly RetentionCopies[] },
): Promise<RetentionReport> {
  const { db } = ctx;
  const started = ctx.now();
  const cut = await readRetentionCutoffs(db, started, options.retentionDays);
  const { cutoff } = cut;
  const towns = Object.keys(cut.townDays).length ? { townDays: cut.townDays } : {};
  const run = await db
    .insertInto('job_run')
    .values({
      job: 'retention',
      started_at: new Date(started),
      details: JSON.stringify({ retentionDays: options.retentionDays, cutoff: cutoff.toISOString(), ...towns }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const report: RetentionReport = {
    appointments: 0,
    outbox: 0,
    audit: 0,
    documents: 0,
    waitingList: 0,
    releaseRequests: 0,
    journal: 0,
    copies: {},
    ms: 0,
  };
  const changes = new Changes();
  // Each batch continues at the end time where the last one stopped: starting from the oldest each
  // time would step over every row already anonymised, which makes catching up on a year of history
  // quadratic (with 1 M appointments: minutes instead of seconds).
  let after = new Date(0);
  for (;;) {
    const done = await inTransaction(db, (trx) => anonymiseAppointments(trx, cut, after, changes));
    report.appointments += done.count;
    if (done.count < BATCH) break;
    after = done.lastEndsAt;
  }
  await anonymiseOldOutbox(db, cut, changes);
  report.audit = await scrubAudit(db, cut, changes);
  report.documents = await anonymiseDocuments(db, cut, changes);
  report.waitingList = await anonymiseWaitingList(db, cut, changes);
  report.releaseRequests = await anonymiseReleaseRequests(db, cut, changes);
  report.journal = await scrubJournal(db, cut, changes);
  report.outbox = changes.outboxIds.size;
  // Copies outside the database: those of the messages blanked now, and whatever is older than every
  // town's period (a copy does not say its town; a shorter-lived town's ones go by their outbox ids).
  for (const copies of options.copies ?? [])
    report.copies[copies.name] = await copies.remove({ cutoff: cut.earliest, outboxIds: [...changes.outboxIds] });
  // Outside any transaction (VACUUM refuses to run in one), after the last change.
  const vacuumed = changes.tables();
  await reclaimDeadRows(db, vacuumed);
  report.ms = ctx.now() - started;
  await db
    .updateTable('job_run')
    .set({
      finished_at: new Date(ctx.now()),
      details: JSON.stringify({ retentionDays: options.retentionDays, cutoff: cutoff.toISOString(), ...towns, ...report, vacuumed }),
    })
    .where('id', '=', run.id)
    .execute();
  return report;
}

/** What a run changed: the tables to vacuum afterwards, and the outbox messages blanked (for their files). */
class Changes {
  readonly outboxIds = new Set<string>();
  private readonly touched = new Set<string>();
  note(table: string, rows: number | bigint | undefined): number {
    const n = Number(rows ?? 0);
    if (n > 0) this.touched.add(table);
    return n;
  }
  outbox(rows: readonly { id: string }[]): void {
    for (const r of rows) this.outboxIds.add(String(r.id));
    this.note('outbox', rows.length);
  }
  tables(): string[] {
    return [...this.touched].sort();
  }
}

const BLANK_MESSAGE = sql`recipient = '', subject = NULL, body_text = '', body_html = NULL, attachments = '[]'`;

const safeDetails = sql`(SELECT jsonb_object_agg(key, value) FROM jsonb_each(details) WHERE key = ANY(${SAFE_KEYS}::text[]))`;

async function anonymiseAppointments(
  db: Kysely<DB>,
  cut: RetentionCutoffs,
  after: Date,
  changes: Changes,
): Promise<{ count: number; lastEndsAt: Date }> {
  const rows = await db
    .selectFrom('appointment')
    .select(['id', 'ends_at'])
    .where('ends_at', '>=', after)
    .where('ends_at', '<', cut.latest)
    .where(sql<boolean>`ends_at < ${cut.of(sql.ref('appointment.office_id'))}`)
    .where((eb) =>
      eb.or([
        eb('citizen_name', 'is not', null),
        eb('citizen_email', 'is not', null),
        eb('citizen_phone', 'is not', null),
        eb('staff_note', 'is not', null),
      ]),
    )
    .orderBy('ends_at')
    .limit(BATCH)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length === 0) return { count: 0, lastEndsAt: after };
  const ids = rows.map((r) => r.id);
  const blanked = await db
    .updateTable('appointment')
    .set({ citizen_name: null, citizen_email: null, citizen_phone: null, staff_note: null })
    .where('id', 'in', ids)
    .executeTakeFirst();
  changes.note('appointment', blanked.numUpdatedRows);
  const events =
    await sql`UPDATE appointment_event SET details = ${safeDetails} WHERE appointment_id = ANY(${ids}::uuid[]) AND details IS NOT NULL`.execute(
      db,
    );
  changes.note('appointment_event', events.numAffectedRows);
  // Every mail and SMS about these appointments (confirmation, reminder, cancellation, offers).
  const messages = await sql<{ id: string }>`UPDATE outbox SET ${BLANK_MESSAGE}
            WHERE dedupe_key LIKE ANY(${ids.map((id) => `%${id}%`)}::text[]) AND recipient <> '' RETURNING id`.execute(db);
  changes.outbox(messages.rows);
  const audits =
    await sql`UPDATE audit_log SET details = ${safeDetails} WHERE entity_id = ANY(${ids}::text[]) AND details IS NOT NULL`.execute(db);
  changes.note('audit_log', audits.numAffectedRows);
  if (await tableExists(db, 'call_list_entry')) {
    const notes = await sql`UPDATE call_list_entry SET note = NULL WHERE appointment_id = ANY(${ids}::uuid[]) AND note IS NOT NULL`.execute(
      db,
    );
    changes.note('call_list_entry', notes.numAffectedRows);
  }
  return { count: ids.length, lastEndsAt: rows[rows.length - 1]!.ends_at };
}

/** Messages older than the period, whatever they were about (also those not tied to an appointment). */
async function anonymiseOldOutbox(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<void> {
  // A message still queued after the whole period will not be wanted any more: it fails instead of going out empty.
  const r = await sql<{ id: string }>`UPDATE outbox SET ${BLANK_MESSAGE},
                        state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END,
                        last_error = CASE WHEN state = 'queued' THEN 'retention: not sent within the retention period' ELSE last_error END
                      WHERE id IN (SELECT x.id::bigint FROM (${OUTBOX_WITH_OFFICE}) x
                                   WHERE x.created_at < ${cut.latest} AND x.state <> 'sending' AND x.recipient <> ''
                                     AND x.created_at < ${cut.of(sql.ref('x.office_id'))})
                      RETURNING id`.execute(db);
  changes.outbox(r.rows);
}

async function scrubAudit(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<number> {
  const r = await sql`UPDATE audit_log SET details = ${safeDetails}
                      WHERE at < ${cut.latest} AND at < ${cut.of(sql.ref('audit_log.office_id'))} AND details IS NOT NULL
                        AND EXISTS (SELECT 1 FROM jsonb_object_keys(details) k WHERE NOT k = ANY(${SAFE_KEYS}::text[]))`.execute(db);
  return changes.note('audit_log', r.numAffectedRows);
}

/** ID cards and passports handed out or sent back more than the period ago. */
async function anonymiseDocuments(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<number> {
  const r = await sql<{
    id: string;
  }>`UPDATE document_order SET holder_name = '', citizen_email = NULL, citizen_phone = NULL, authorised_name = NULL
                      WHERE state IN ('handed_out', 'returned') AND updated_at < ${cut.latest} AND updated_at < ${cut.of(sql.ref('document_order.office_id'))}
                        AND holder_name <> '' RETURNING id`.execute(db);
  const ids = r.rows.map((x) => x.id);
  if (ids.length) {
    changes.note('document_order', ids.length);
    const events =
      await sql`UPDATE document_event SET details = ${safeDetails} WHERE document_order_id = ANY(${ids}::uuid[]) AND details IS NOT NULL`.execute(
        db,
      );
    changes.note('document_event', events.numAffectedRows);
    const audits =
      await sql`UPDATE audit_log SET details = ${safeDetails} WHERE entity_id = ANY(${ids}::text[]) AND details IS NOT NULL`.execute(db);
    changes.note('audit_log', audits.numAffectedRows);
    const messages = await sql<{ id: string }>`UPDATE outbox SET ${BLANK_MESSAGE}
              WHERE dedupe_key = ANY(${ids.map((id) => `document-ready:${id}`)}::text[]) AND recipient <> '' RETURNING id`.execute(db);
    changes.outbox(messages.rows);
  }
  return ids.length;
}

async function anonymiseWaitingList(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<number> {
  if (!(await tableExists(db, 'waiting_list_entry'))) return 0;
  // The entry belongs to the town of its first office (as on the outbox page); its day is the cutoff's UTC date.
  const cutoff = cut.of(sql`waiting_list_entry.office_ids[1]`);
  // Out of line (booked, left, lapsed) more than the period ago, or the dates ran out more than the period ago.
  const r = await sql`UPDATE waiting_list_entry SET citizen_name = '', citizen_email = NULL, citizen_phone = NULL
                      WHERE (latest_date < (${cutoff} AT TIME ZONE 'UTC')::date OR (state IN ('booked', 'left', 'expired') AND ended_at < ${cutoff}))
                        AND (citizen_name <> '' OR citizen_email IS NOT NULL OR citizen_phone IS NOT NULL)`.execute(db);
  return changes.note('waiting_list_entry', r.numAffectedRows);
}

/**
 * Requests of a fair release window (#7) decided more than the period ago, or for a time that began
 * that long ago. The contact key is the email or phone itself; it becomes the row's id, which keeps
 * the one-per-person constraint satisfied and says nothing.
 */
async function anonymiseReleaseRequests(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<number> {
  const cutoff = cut.of(sql.ref('release_request.office_id'));
  const r = await sql<{
    id: string;
  }>`UPDATE release_request SET citizen_name = '', citizen_email = NULL, citizen_phone = NULL, contact_key = 'removed:' || id::text
                      WHERE ((state <> 'pending' AND decided_at < ${cutoff}) OR starts_at < ${cutoff}) AND contact_key NOT LIKE 'removed:%' RETURNING id`.execute(
    db,
  );
  const ids = r.rows.map((x) => x.id);
  if (ids.length) {
    changes.note('release_request', ids.length);
    const messages = await sql<{ id: string }>`UPDATE outbox SET ${BLANK_MESSAGE}
              WHERE dedupe_key LIKE ANY(${ids.map((id) => `release-request:${id}:%`)}::text[]) AND recipient <> '' RETURNING id`.execute(
      db,
    );
    changes.outbox(messages.rows);
  }
  return ids.length;
}

/**
 * Counter commands journalled by a branch node and applied centrally carry names (document.register).
 * At the branch only entries the central server has acknowledged: one not yet sent must arrive whole.
 */
async function scrubJournal(db: Kysely<DB>, cut: RetentionCutoffs, changes: Changes): Promise<number> {
  let changed = 0;
  const acknowledged = sql`seq <= (SELECT coalesce(max(s.acked_seq), 0) FROM branch_sync_state s WHERE s.branch_id = branch_journal.branch_id)`;
  const tables: [string, string, string, string[], ReturnType<typeof sql> | null, ReturnType<typeof sql>][] = [
    ['branch_journal', 'seq', 'recorded_at', ['command', 'local_error'], acknowledged, sql.ref('branch_journal.office_id')],
    [
      'sync_applied_op',
      'op_id',
      'applied_at',
      ['command', 'outcome'],
      null,
      sql`(SELECT b.office_id FROM sync_branch b WHERE b.id = sync_applied_op.branch_id)`,
    ],
    ['sync_work_item', 'id', 'created_at', ['details'], null, sql.ref('sync_work_item.office_id')],
  ];
  for (const [table, key, at, columns, condition, office] of tables) {
    if (!(await tableExists(db, table))) continue;
    for (const column of columns) {
      const rows = await sql<{ k: string; v: unknown }>`SELECT ${sql.ref(key)}::text AS k, ${sql.ref(column)} AS v FROM ${sql.table(table)}
        WHERE ${sql.ref(at)} < ${cut.latest} AND ${sql.ref(at)} < ${cut.of(office)}
          AND ${sql.ref(column)} IS NOT NULL AND ${condition ?? sql`true`}`.execute(db);
      for (const row of rows.rows) {
        const scrubbed = scrubJson(row.v);
        if (JSON.stringify(scrubbed) === JSON.stringify(row.v)) continue;
        await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${JSON.stringify(scrubbed)}::jsonb WHERE ${sql.ref(key)}::text = ${row.k}`.execute(
          db,
        );
        changes.note(table, 1);
        changed++;
      }
    }
  }
  return changed;
}

/** Removes personal keys at any depth. */
export function scrubJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !PERSONAL_KEYS.has(k))
        .map(([k, v]) => [k, scrubJson(v)]),
    );
  return value;
}

async function tableExists(db: Kysely<DB>, table: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`SELECT to_regclass(${table})::text AS t`.execute(db);
  return r.rows[0]?.t !== null && r.rows[0]?.t !== undefined;
}
