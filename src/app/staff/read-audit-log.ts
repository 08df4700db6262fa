import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessTown, hasRole, isKreisAdmin, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import { canManageAccount } from '../../domain/staff-accounts.ts';
import { isUuid } from '../../domain/uuid.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditLogEntry } from '../../db/staff-schema.ts';
import { audit } from '../shared/audit.ts';
import { answersForWholeInstallation } from './principal-scope.ts';
import type { AppContext } from '../shared/context.ts';

// The audit log viewer (#19, /staff/verwaltung/protokoll): who read or changed what, filtered by
// person, office, action and days, 50 at a time, or all of a filter as CSV. Admins see every entry.
// A team lead sees what concerns the offices they lead (docs/decisions/0003-staff-access.md,
// „Audit log viewer“):
//   - every entry of one of their offices;
//   - of the entries without an office: their own actions and what happened to their own account,
//     what happened to the accounts they manage (the clerks of their offices, as on the accounts
//     page), set-up changes of their own town and changes of the citizen texts (these change what
//     their office offers and says, and carry no personal data).
// The rest without an office — other accounts, integration tokens, failed logins of unknown
// addresses — is the admins' work, and the accounts of other offices are none of a lead's business.

export type AuditLogFilter = {
  /** A staff account's id: entries that person did. */
  personId?: string | undefined;
  /** An office's id, or 'none': entries without an office (the whole town, accounts, logins). */
  officeId?: string | undefined;
  action?: string | undefined;
  /** Office-local days 'YYYY-MM-DD', both inclusive, in `timeZone`. */
  from?: string | undefined;
  to?: string | undefined;
  timeZone: string;
};

/** Page through the log: entries older than the one named, or newer (then read backwards). */
export type AuditLogCursor = { older: string } | { newer: string } | null;

/** Who did it, as a person reads it: never an id. */
export type AuditActorView =
  | { kind: 'staff'; name: string | null; role: StaffRole | null }
  | { kind: 'token'; name: string | null }
  | { kind: 'kiosk' | 'branch'; officeName: string | null }
  | { kind: 'cli' | 'system' | 'anonymous' | 'demo' | 'lottery' | 'citizen' }
  | { kind: 'other'; text: string };

/** What the entry is about, named: a person, a token, an office, a booking number; null where the kind alone says it. */
export type AuditSubjectView = { entity: string; name: string | null; /** An office day's date. */ day?: string };

export type AuditLine = {
  id: string;
  /** ISO instant with the offset of `timeZone`, e.g. 2026-12-10T14:03:00+01:00. */
  at: string;
  actor: AuditActorView;
  action: string;
  officeId: string | null;
  officeName: string | null;
  subject: AuditSubjectView;
  details: Record<string, unknown> | null;
  /** Arrived through a branch node's journal (recorded at the office PC while cut off). */
  viaBranch: boolean;
};

export type AuditLogPage = { entries: AuditLine[]; older: string | null; newer: string | null };

export type AuditPerson = { id: string; name: string; email: string };

export const AUDIT_PAGE_SIZE = 50;
/** An export larger than this asks for a narrower filter instead of a file nobody opens. */
export const AUDIT_EXPORT_LIMIT = 20_000;

/** Team leads and admins; clerks get 403. */
export function assertMayReadAuditLog(principal: Principal): void {
  if (!hasRole(principal, 'teamlead')) throw new DomainError('forbidden', 'Team leads and admins only');
}

type Scope = { officeIds: readonly string[]; selfActor: string; accountIds: string[]; municipalityIds: string[] } | null;

/**
 * What a team lead or a town admin may see, as the values of the WHERE clause below; null for a Kreis
 * admin, or the admin of an installation's only town (everything). A town admin's offices are all of the town's, its accounts those of the town.
 */
async function scopeOf(ctx: AppContext, principal: Principal): Promise<Scope> {
  if (await answersForWholeInstallation(ctx.db, principal)) return null;
  const [accounts, offices] = await Promise.all([
    ctx.db
      .selectFrom('staff_user')
      .leftJoin('staff_user_office', 'staff_user_office.user_id', 'staff_user.id')
      .select(['staff_user.id', 'staff_user.role', 'staff_user.municipality_id', 'staff_user_office.office_id'])
      .execute(),
    principal.officeIds.length
      ? ctx.db
          .selectFrom('office')
          .select('municipality_id')
          .where('id', 'in', [...principal.officeIds])
          .execute()
      : [],
  ]);
  const byId = new Map<string, { role: StaffRole; officeIds: string[]; municipalityId: string | null }>();
  for (const a of accounts) {
    const line = byId.get(a.id) ?? { role: a.role, officeIds: [], municipalityId: a.municipality_id };
    if (a.office_id) line.officeIds.push(a.office_id);
    byId.set(a.id, line);
  }
  const managed = [...byId].filter(([, shape]) => canManageAccount(principal, shape)).map(([id]) => id);
  return {
    officeIds: principal.officeIds,
    selfActor: actorOf(principal),
    accountIds: principal.kind === 'user' ? [...managed, principal.id] : managed,
    municipalityIds: [
      ...new Set([principal.municipalityId, ...offices.map((o) => o.municipality_id)].filter((m): m is string => m !== null)),
    ],
  };
}

const none = [''];

function scopeWhere(eb: ExpressionBuilder<DB, 'audit_log'>, scope: NonNullable<Scope>): Expression<SqlBool> {
  const list = (values: readonly string[]) => (values.length ? [...values] : none);
  return eb.or([
    eb('office_id', 'in', list(scope.officeIds)),
    eb.and([
      eb('office_id', 'is', null),
      eb.or([
        eb('actor', '=', scope.selfActor),
        eb.and([eb('entity', '=', 'staff_user'), eb('entity_id', 'in', list(scope.accountIds))]),
        // A text's entry carries its town (#20): another town's texts are not this one's to read.
        eb.and([
          eb('entity', '=', 'message_template'),
          eb.or([
            eb(sql<string>`details->>'municipalityId'`, 'is', null),
            eb(sql<string>`details->>'municipalityId'`, 'in', list(scope.municipalityIds)),
          ]),
        ]),
        eb.and([eb('action', '=', 'setup.apply'), eb(sql<string>`details->>'municipalityId'`, 'in', list(scope.municipalityIds))]),
      ]),
    ]),
  ]);
}

const startOfDay = (day: string, zone: string) => new Date(Temporal.PlainDate.from(day).toZonedDateTime(zone).epochMilliseconds);

/** The entries of one page, newest first, with the cursors of the pages before and after it. */
export async function readAuditLogPage(
  ctx: AppContext,
  principal: Principal,
  filter: AuditLogFilter,
  cursor: AuditLogCursor,
): Promise<AuditLogPage> {
  assertMayReadAuditLog(principal);
  const scope = await scopeOf(ctx, principal);
  const newer = cursor !== null && 'newer' in cursor;
  let query = filtered(ctx, scope, filter).limit(AUDIT_PAGE_SIZE + 1);
  if (cursor) {
    const id = 'older' in cursor ? cursor.older : cursor.newer;
    if (!/^\d{1,18}$/.test(id)) throw new DomainError('validation_failed', 'Not a position in the log');
    const at = sql`(SELECT a.at FROM audit_log a WHERE a.id = ${id})`;
    query = query.where(sql<SqlBool>`(audit_log.at, audit_log.id) ${sql.raw(newer ? '>' : '<')} (${at}, ${id}::bigint)`);
  }
  query = newer ? query.orderBy('at', 'asc').orderBy('id', 'asc') : query.orderBy('at', 'desc').orderBy('id', 'desc');
  let rows = await query.execute();
  const more = rows.length > AUDIT_PAGE_SIZE;
  // Back at the newest entries: the first page, full, as a fresh visit shows it.
  if (newer && !more) return readAuditLogPage(ctx, principal, filter, null);
  rows = rows.slice(0, AUDIT_PAGE_SIZE);
  if (newer) rows.reverse();
  const entries = await nameEntries(ctx, rows, filter.timeZone);
  await audit(ctx.db, {
    actor: principal,
    action: 'audit_log.read',
    entity: 'audit_log',
    at: ctx.now(),
    details: { filter: filterDetails(filter), entries: rows.length },
  });
  const first = entries[0]?.id ?? null;
  const last = entries.at(-1)?.id ?? null;
  // The first page has nothing newer; any other page has (the page it was reached from).
  return { entries, newer: cursor ? first : null, older: newer || more ? last : null };
}

/** Every entry of a filter for the CSV download, newest first; above AUDIT_EXPORT_LIMIT none, but the advice to narrow it. */
export async function exportAuditLog(
  ctx: AppContext,
  principal: Principal,
  filter: AuditLogFilter,
): Promise<{ entries: AuditLine[] } | { tooMany: number }> {
  assertMayReadAuditLog(principal);
  const scope = await scopeOf(ctx, principal);
  const rows = await filtered(ctx, scope, filter)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(AUDIT_EXPORT_LIMIT + 1)
    .execute();
  if (rows.length > AUDIT_EXPORT_LIMIT) return { tooMany: AUDIT_EXPORT_LIMIT };
  await audit(ctx.db, {
    actor: principal,
    action: 'audit_log.export',
    entity: 'audit_log',
    at: ctx.now(),
    details: { filter: filterDetails(filter), entries: rows.length },
  });
  return { entries: await nameEntries(ctx, rows, filter.timeZone) };
}

function filterDetails(filter: AuditLogFilter): Record<string, string> {
  const { timeZone: _zone, ...rest } = filter;
  return Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function filtered(ctx: AppContext, scope: Scope, filter: AuditLogFilter) {
  let query = ctx.db.selectFrom('audit_log').selectAll();
  if (scope) query = query.where((eb) => scopeWhere(eb, scope));
  if (filter.personId) query = query.where('actor', '=', `staff:${filter.personId}`);
  if (filter.officeId === 'none') query = query.where('office_id', 'is', null);
  else if (filter.officeId) query = query.where('office_id', '=', filter.officeId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', startOfDay(filter.from, filter.timeZone));
  if (filter.to)
    query = query.where('at', '<', startOfDay(Temporal.PlainDate.from(filter.to).add({ days: 1 }).toString(), filter.timeZone));
  return query;
}

/** The people a principal may filter by: admins everyone; a team lead the staff of their offices, the admins and themselves. */
export async function auditPersons(ctx: AppContext, principal: Principal): Promise<AuditPerson[]> {
  assertMayReadAuditLog(principal);
  const rows = await ctx.db
    .selectFrom('staff_user')
    .leftJoin('staff_user_office', 'staff_user_office.user_id', 'staff_user.id')
    .select([
      'staff_user.id',
      'staff_user.display_name',
      'staff_user.email',
      'staff_user.role',
      'staff_user.municipality_id',
      'staff_user_office.office_id',
    ])
    .orderBy('staff_user.display_name')
    .orderBy('staff_user.email')
    .execute();
  const people = new Map<string, AuditPerson>();
  for (const r of rows) {
    const visible =
      isKreisAdmin(principal) ||
      (r.role === 'admin' && canAccessTown({ municipalityId: r.municipality_id }, principal.municipalityId)) ||
      r.id === principal.id ||
      (r.office_id !== null && principal.officeIds.includes(r.office_id));
    if (visible) people.set(r.id, { id: r.id, name: r.display_name, email: r.email });
  }
  return [...people.values()];
}

/**
 * The actions that occur in the log, for the filter (codes; the page names them). A skip scan over
 * audit_log_action_at — one index probe per distinct action — because SELECT DISTINCT would read the
 * whole log at every page view.
 */
export async function auditActions(ctx: AppContext): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    WITH RECURSIVE found(action) AS (
      SELECT min(action) FROM audit_log
      UNION ALL
      SELECT (SELECT min(l.action) FROM audit_log l WHERE l.action > found.action) FROM found WHERE found.action IS NOT NULL
    )
    SELECT action FROM found WHERE action IS NOT NULL`.execute(ctx.db);
  return rows.map((r) => r.action);
}

const FIXED: Record<string, Extract<AuditActorView, { kind: 'cli' | 'system' | 'anonymous' | 'demo' | 'lottery' | 'citizen' }>['kind']> = {
  cli: 'cli',
  system: 'system',
  anonymous: 'anonymous',
  'demo-seed': 'demo',
  'release-lottery': 'lottery',
  citizen: 'citizen',
};

/** Names people, tokens, offices and booking numbers: one query per kind for the whole page. */
async function nameEntries(ctx: AppContext, rows: AuditLogEntry[], zone: string): Promise<AuditLine[]> {
  const idsAfter = (prefix: string) =>
    rows
      .map((r) => r.actor)
      .filter((a) => a.startsWith(prefix))
      .map((a) => a.slice(prefix.length));
  const subjectIds = (entity: string) => rows.filter((r) => r.entity === entity && r.entity_id).map((r) => r.entity_id!);
  const staffIds = [...new Set([...idsAfter('staff:'), ...subjectIds('staff_user')])].filter(isUuid);
  const tokenIds = [...new Set([...idsAfter('token:'), ...subjectIds('api_token')])].filter(isUuid);
  const appointmentIds = [...new Set(subjectIds('appointment'))].filter(isUuid);
  const branchIds = [...new Set([...idsAfter('branch:'), ...subjectIds('sync_branch')])];
  const [staff, tokens, appointments, branches, offices] = await Promise.all([
    staffIds.length ? ctx.db.selectFrom('staff_user').select(['id', 'display_name', 'role']).where('id', 'in', staffIds).execute() : [],
    tokenIds.length ? ctx.db.selectFrom('api_token').select(['id', 'name']).where('id', 'in', tokenIds).execute() : [],
    appointmentIds.length ? ctx.db.selectFrom('appointment').select(['id', 'reference']).where('id', 'in', appointmentIds).execute() : [],
    branchIds.length ? ctx.db.selectFrom('sync_branch').select(['id', 'office_id']).where('id', 'in', branchIds).execute() : [],
    ctx.db.selectFrom('office').select(['id', 'name']).execute(),
  ]);
  const officeName = (id: string | null | undefined) => (id ? (offices.find((o) => o.id === id)?.name ?? null) : null);
  const staffName = (id: string) => staff.find((s) => s.id === id.toLowerCase())?.display_name ?? null;
  const tokenName = (id: string) => tokens.find((t) => t.id === id.toLowerCase())?.name ?? null;
  const branchOffice = (id: string) => officeName(branches.find((b) => b.id === id)?.office_id);

  const actorView = (actor: string): AuditActorView => {
    const [prefix = '', id = ''] = actor.split(/:(.*)/s);
    if (prefix === 'staff') {
      const user = staff.find((s) => s.id === id.toLowerCase());
      return { kind: 'staff', name: user?.display_name ?? null, role: user?.role ?? null };
    }
    if (prefix === 'token') return { kind: 'token', name: tokenName(id) };
    if (prefix === 'kiosk') return { kind: 'kiosk', officeName: officeName(id) };
    if (prefix === 'branch') return { kind: 'branch', officeName: branchOffice(id) };
    const fixed = FIXED[actor];
    return fixed ? { kind: fixed } : { kind: 'other', text: actor };
  };

  const subjectName = (r: AuditLogEntry): string | null => {
    const id = r.entity_id;
    if (!id) return null;
    switch (r.entity) {
      case 'staff_user':
        return staffName(id);
      case 'api_token':
        return tokenName(id);
      case 'appointment':
        return appointments.find((a) => a.id === id)?.reference ?? null;
      case 'office':
      case 'call_list':
        return officeName(id);
      case 'sync_branch':
        return branchOffice(id);
      case 'office_day':
        return officeName(id.split('/')[0]);
      case 'setup_revision':
      case 'message_template':
        // The revision number; the text's kind and language ('closure_notice:de'), which the page names.
        return id;
      default:
        return typeof r.details?.name === 'string' ? r.details.name : null;
    }
  };

  return rows.map((r) => ({
    id: String(r.id),
    at: Temporal.Instant.fromEpochMilliseconds(r.at.getTime()).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' }),
    actor: actorView(r.actor),
    action: r.action,
    officeId: r.office_id,
    officeName: officeName(r.office_id),
    subject: {
      entity: r.entity,
      name: subjectName(r),
      ...(r.entity === 'office_day' && r.entity_id?.includes('/') ? { day: r.entity_id.split('/')[1]! } : {}),
    },
    details: r.details,
    viaBranch: r.branch_id !== null,
  }));
}
