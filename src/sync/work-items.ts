import { sql, type Kysely, type Selectable } from 'kysely';
import { audit } from '../app/shared/audit.ts';
import type { AppContext } from '../app/shared/context.ts';
import type { CounterCommand } from '../app/counter/counter-command.ts';
import { DomainError } from '../domain/errors.ts';
import type { DB } from '../db/schema.ts';
import type { SyncWorkItemTable } from '../db/sync-schema.ts';
import { inTransaction } from '../db/transaction.ts';

// Klärfälle: what a branch did — mostly during Notbetrieb — that the central state did not allow.
// The action stands (it happened at the counter); a team lead decides what follows.

const localTime = (iso: string | number) =>
  new Date(iso).toLocaleTimeString('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });

/** What the branch knew of the line when it acted (the journal entry's cutOff); undefined: not recorded (an older branch). */
export type BranchLine = boolean | undefined;

/**
 * „am Standort um 10:15“, with „(Notbetrieb)“ only when the branch was cut off then. With the line
 * up the difference is not the outage's: the two sides applied different rules, or the central state
 * changed meanwhile — the team lead should know which kind of case it is.
 */
function atBranch(command: CounterCommand, cutOff: BranchLine): string {
  const where = `am Standort um ${localTime(command.at)}`;
  if (cutOff === undefined) return where;
  return `${where} ${cutOff ? '(Notbetrieb)' : '(mit Verbindung zur Zentrale)'}`;
}

/** A sentence a team lead understands, e.g. „Dokument PA-1 ausgegeben am Standort um 10:15 (Notbetrieb); zentral um 10:40 nicht zulässig: … [not_found]“. */
export function conflictMessage(
  command: CounterCommand,
  refused: { code: string; message: string },
  now: number,
  cutOff: BranchLine,
): string {
  return `${describe(command)} ${atBranch(command, cutOff)}; zentral um ${localTime(now)} nicht zulässig: ${refused.message} [${refused.code}]`;
}

/** A walk-in slot given at the branch beyond its lease: the citizen was served, the seats are missing. */
export function leaseExceededMessage(
  command: Extract<CounterCommand, { type: 'walkin.book_slot' }>,
  now: number,
  cutOff: BranchLine,
): string {
  return `${describe(command)} ${atBranch(command, cutOff)}, über das Kontingent der Zweigstelle hinaus; zentral um ${localTime(now)} übernommen, ohne freien Platz [lease_exceeded]`;
}

/** An operation the branch recorded in the name of someone it may not act for: not applied, kept for the team lead. */
export function actorRefusedMessage(command: CounterCommand, who: string, now: number, cutOff: BranchLine): string {
  return `${describe(command)} ${atBranch(command, cutOff)}; zentral um ${localTime(now)} nicht übernommen: die Zweigstelle nannte als Handelnde ${who} [actor_refused]`;
}

function describe(command: CounterCommand): string {
  switch (command.type) {
    case 'walkin.book_slot':
      return `Termin ${command.payload.reference} für ${localTime(command.payload.startsAt)} an Spontankunden vergeben`;
    case 'document.hand_out':
      return `Dokument ${command.payload.orderNumber} ausgegeben`;
    case 'fee.paid':
      return `Gebühr ${(command.payload.amountCents / 100).toFixed(2)} € kassiert`;
    case 'walkin.issue':
      return 'Spontankunde angenommen';
    case 'appointment.check_in':
      return `Termin ${command.payload.reference} eingecheckt`;
    case 'appointment.cancel':
      return 'Termin am Schalter abgesagt';
    default:
      return `Aktion ${command.type}`;
  }
}

/**
 * A Klärfall as a team lead sees it: what the branch did and when, what the central state said and
 * when, and — once settled — who settled it with which note.
 */
export type WorkItem = {
  id: string;
  officeId: string;
  branchId: string | null;
  kind: string;
  message: string;
  opId: string | null;
  /** The branch's side: the action and its time at the counter. */
  branchAction: string | null;
  branchAt: string | null;
  /** Whether the branch was cut off from the central server then (Notbetrieb); null: not recorded. */
  branchCutOff: boolean | null;
  /** The central side: why the central state did not allow it, and when it was applied there. */
  centralVerdict: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** The staff member's display name for resolvedBy, where it is one. */
  resolvedByName: string | null;
  resolutionNote: string | null;
};

type WorkItemRow = Selectable<SyncWorkItemTable> & { resolved_by_name?: string | null };

function workItemView(r: WorkItemRow): WorkItem {
  const details = (r.details ?? {}) as { command?: CounterCommand; refused?: { code: string; message: string }; cutOff?: boolean };
  return {
    id: r.id,
    officeId: r.office_id,
    branchId: r.branch_id,
    kind: r.kind,
    message: r.message,
    opId: r.op_id,
    branchAction: details.command ? describe(details.command) : null,
    branchAt: details.command?.at ?? null,
    branchCutOff: details.cutOff ?? null,
    centralVerdict: details.refused?.message ?? null,
    createdAt: r.created_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    resolvedByName: r.resolved_by_name ?? null,
    resolutionNote: r.resolution_note,
  };
}

/** Open Klärfälle of an office, oldest first; with `resolved` also the settled ones of the last 30 days. */
export async function listWorkItems(db: Kysely<DB>, input: { officeId: string; resolved?: boolean; now?: number }): Promise<WorkItem[]> {
  let query = db
    .selectFrom('sync_work_item as w')
    .leftJoin('staff_user as u', (join) => join.on(sql`'staff:' || u.id::text`, '=', sql.ref('w.resolved_by')))
    .selectAll('w')
    .select('u.display_name as resolved_by_name')
    .where('w.office_id', '=', input.officeId);
  if (input.resolved)
    query = query.where((eb) =>
      eb.or([eb('w.resolved_at', 'is', null), eb('w.resolved_at', '>=', new Date((input.now ?? Date.now()) - 30 * 86_400_000))]),
    );
  else query = query.where('w.resolved_at', 'is', null);
  // Applied in one upload they share created_at: then in the order they happened at the branch.
  const rows = await query
    .orderBy('w.created_at')
    .orderBy(sql`w.details->'command'->>'at'`)
    .orderBy('w.id')
    .limit(500)
    .execute();
  return rows.map(workItemView);
}

export async function listOpenWorkItems(db: Kysely<DB>, officeId: string): Promise<WorkItem[]> {
  return listWorkItems(db, { officeId });
}

/**
 * A team lead settles a Klärfall with a note (what was done: seat found, citizen called, document
 * recalled …). Audited; settling one twice is refused, the first note stands.
 */
export async function resolveWorkItem(
  ctx: AppContext,
  input: { officeId: string; itemId: string; note: string; actor: string },
): Promise<WorkItem> {
  const note = input.note.trim();
  if (note.length === 0)
    throw new DomainError('validation_failed', 'A note is required', { fields: [{ path: 'note', message: 'required' }] });
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const row = await trx
      .selectFrom('sync_work_item')
      .selectAll()
      .where('id', '=', input.itemId)
      .where('office_id', '=', input.officeId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'Unknown work item', { itemId: input.itemId });
    if (row.resolved_at)
      throw new DomainError('already_resolved', 'The work item is already resolved', { resolvedAt: row.resolved_at.toISOString() });
    const updated = await trx
      .updateTable('sync_work_item')
      .set({ resolved_at: new Date(now), resolved_by: input.actor, resolution_note: note })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor: input.actor,
      action: 'sync_work_item.resolve',
      entity: 'sync_work_item',
      entityId: row.id,
      officeId: row.office_id,
      at: now,
      details: { kind: row.kind, note },
    });
    return workItemView(updated);
  });
}
