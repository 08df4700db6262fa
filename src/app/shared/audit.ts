import type { Kysely } from 'kysely';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditLogEntry } from '../../db/staff-schema.ts';
import type { Trx } from '../../db/transaction.ts';

/**
 * The command line when the running server carried the command out for it over its loopback control
 * listener (docs/decisions/0011-town-file.md): recorded as actor 'cli' with `via: 'control'` in the
 * details, so an auditor sees which commands reached the data past a running server.
 */
export type ControlActor = { kind: 'cli'; via: 'control' };

/** 'staff:<id>', 'token:<id>', 'cli', 'system' — or a principal or the control listener, turned into one of these. */
export type AuditActor = string | Principal | ControlActor;

export type AuditEntry = {
  actor: AuditActor;
  /** Verb-object, dotted: 'appointment.read', 'appointment.cancel', 'day_plan.export', 'session.login'. */
  action: string;
  /** The kind of record touched: 'appointment', 'office_day', 'staff_user', 'api_token', … */
  entity: string;
  entityId?: string | null;
  officeId?: string | null;
  /** When it happened (the injected clock, never Date.now()). */
  at: number;
  /** Anything that answers "which records": e.g. appointmentIds of a list that was shown. */
  details?: Record<string, unknown> | null;
  /** The branch node whose journal brought the entry (the central server applying a branch's operations). */
  branchId?: string | null;
};

/** The actor as the audit log and `applied_by` columns write it: 'staff:<id>', 'token:<id>', 'cli', … */
export function actorName(actor: AuditActor): string {
  if (typeof actor === 'string') return actor;
  return actor.kind === 'cli' ? 'cli' : actorOf(actor);
}

/**
 * Records who read or changed what (invariant 6; Art. 5(2) and 32 DSGVO ask us to be able to show it).
 * Pass the transaction of the change, so the entry exists exactly when the change does.
 */
export async function audit(trx: Trx | Kysely<DB>, entry: AuditEntry): Promise<void> {
  const viaControl = typeof entry.actor !== 'string' && entry.actor.kind === 'cli';
  const details = viaControl ? { ...entry.details, via: 'control' } : entry.details;
  await trx
    .insertInto('audit_log')
    .values({
      at: new Date(entry.at),
      actor: actorName(entry.actor),
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      office_id: entry.officeId ?? null,
      details: details ? JSON.stringify(details) : null,
      branch_id: entry.branchId ?? null,
    })
    .execute();
}

/** The latest entries for one office (or all offices: null), newest first. */
export async function readAuditLog(
  db: Kysely<DB>,
  input: { officeId: string | null; limit: number; before?: number },
): Promise<AuditLogEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(input.limit);
  if (input.officeId !== null) query = query.where('office_id', '=', input.officeId);
  if (input.before !== undefined) query = query.where('at', '<', new Date(input.before));
  return query.execute();
}
