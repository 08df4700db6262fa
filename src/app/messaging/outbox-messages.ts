import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, officeScope, type Principal } from '../../domain/staff-access.ts';
import { answersForWholeInstallation } from '../staff/principal-scope.ts';
import type { DB } from '../../db/schema.ts';
import { isoInZone } from '../appointments/appointment-record.ts';
import { audit } from '../shared/audit.ts';
import { catalogue } from '../shared/catalogue.ts';
import { moveUndeliveredToCallList } from './enqueue-message.ts';
import type { AppContext } from '../shared/context.ts';
import { localDayBounds } from '../../domain/zoned-time.ts';

// The outbox as staff see it (#5): which messages are queued, sent, failed or bounced, with the
// error, and a retry for failed ones. Bodies are never shown and recipients only masked — the
// reference in the subject is enough to find the appointment. An outbox row has no office of its
// own; it is derived from the row's dedupe key (appointment:, closure:, offer:, document-ready:,
// release-request:, waiting-joined:, waiting-offer:). Rows whose office cannot be derived are shown
// to admins only.

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced';
export const OUTBOX_STATES: readonly OutboxState[] = ['queued', 'sending', 'sent', 'failed', 'bounced'];

export type OutboxKind = 'appointment' | 'reminder' | 'closure' | 'offer_reminder' | 'document' | 'release' | 'waiting_list' | 'other';

export type OutboxMessageView = {
  id: string;
  officeId: string | null;
  kind: OutboxKind;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
};

type Row = {
  id: string;
  office_id: string | null;
  office_ids: string[];
  dedupe_key: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  next_attempt_at: Date;
};

const UUID = '[0-9a-fA-F-]{36}';

/**
 * The outbox with the offices each row concerns. CASE guards the casts: a key that is not
 * `prefix:<uuid>` is never cast, and the uuid comparison lets both databases use the primary keys.
 * A waiting-list entry can name several offices: its joining mail concerns all of them (its staff
 * may be asked about it); an offer concerns the office of the seat held.
 */
const ONE_OFFICE = sql`COALESCE(a.office_id, c.office_id, oa.office_id, d.office_id, r.office_id, wa.office_id)`;
/** Also what retention reads to give a message its town's period (statistics/apply-retention.ts). */
export const OUTBOX_WITH_OFFICE = sql`
  SELECT m.id::text AS id, m.dedupe_key, m.channel, m.recipient, m.subject, m.state, m.attempts, m.last_error, m.created_at, m.sent_at, m.next_attempt_at,
         COALESCE(${ONE_OFFICE}, w.office_ids[1]) AS office_id,
         CASE WHEN ${ONE_OFFICE} IS NOT NULL THEN ARRAY[${ONE_OFFICE}] ELSE COALESCE(w.office_ids, ARRAY[]::text[]) END AS office_ids
  FROM outbox m
  LEFT JOIN appointment a ON a.id = CASE WHEN m.dedupe_key ~ ${`^appointment:${UUID}(:|$)`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN closure c ON c.id = CASE WHEN m.dedupe_key ~ ${`^closure:${UUID}:`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN replacement_offer o ON o.id = CASE WHEN m.dedupe_key ~ ${`^offer:${UUID}:`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN appointment oa ON oa.id = COALESCE(o.held_appointment_id, o.original_appointment_id)
  LEFT JOIN document_order d ON d.id = CASE WHEN m.dedupe_key ~ ${`^document-ready:${UUID}$`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN release_request r ON r.id = CASE WHEN m.dedupe_key ~ ${`^release-request:${UUID}:`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN waiting_list_entry w ON w.id = CASE WHEN m.dedupe_key ~ ${`^waiting-(joined|offer):${UUID}(:|$)`} THEN split_part(m.dedupe_key, ':', 2)::uuid END
  LEFT JOIN appointment wa ON wa.id = CASE WHEN m.dedupe_key ~ ${`^waiting-offer:${UUID}:${UUID}$`} THEN split_part(m.dedupe_key, ':', 3)::uuid END`;

export function kindOf(dedupeKey: string): OutboxKind {
  if (dedupeKey.startsWith('appointment:')) return dedupeKey.endsWith(':reminder') ? 'reminder' : 'appointment';
  if (dedupeKey.startsWith('closure:')) return 'closure';
  if (dedupeKey.startsWith('offer:')) return 'offer_reminder';
  if (dedupeKey.startsWith('document-ready:')) return 'document';
  if (dedupeKey.startsWith('release-request:')) return 'release';
  if (dedupeKey.startsWith('waiting-')) return 'waiting_list';
  return 'other';
}

/** "e•••@example.org" or "••• 789": enough to recognise a typo, not enough to copy the contact. */
export function maskRecipient(channel: 'email' | 'sms', recipient: string): string {
  if (recipient === '') return '–'; // removed by retention
  if (channel === 'email') {
    const at = recipient.lastIndexOf('@');
    return at > 0 ? `${recipient[0]}•••${recipient.slice(at)}` : '•••';
  }
  const digits = recipient.replace(/\D/g, '');
  return `••• ${digits.slice(-3)}`;
}

export type OutboxFilter = {
  officeId?: string | undefined;
  state?: OutboxState | undefined;
  date?: string | undefined;
  timeZone?: string | undefined;
  limit?: number;
};

/** Messages newest first, within the principal's offices. date: the office-local day the row was created. */
export async function listOutboxMessages(ctx: AppContext, principal: Principal, filter: OutboxFilter): Promise<OutboxMessageView[]> {
  if (filter.officeId && !canAccessOffice(principal, filter.officeId))
    throw new DomainError('not_found', 'Unknown office', { officeId: filter.officeId });
  // The admin of an installation's only town keeps seeing the messages of no office, as before towns.
  const scope = (await answersForWholeInstallation(ctx.db, principal)) ? null : officeScope(principal);
  const conditions = [sql`TRUE`];
  if (filter.officeId) conditions.push(sql`${filter.officeId} = ANY(x.office_ids)`);
  else if (scope !== null) conditions.push(sql`x.office_ids && ${[...scope]}::text[]`);
  if (filter.state) conditions.push(sql`x.state = ${filter.state}`);
  if (filter.date) {
    const [from, to] = localDayBounds(filter.date, filter.timeZone ?? 'Europe/Berlin');
    conditions.push(sql`x.created_at >= ${new Date(from)} AND x.created_at < ${new Date(to)}`);
  }
  const { rows } =
    await sql<Row>`SELECT * FROM (${OUTBOX_WITH_OFFICE}) x WHERE ${sql.join(conditions, sql` AND `)} ORDER BY x.created_at DESC, x.id DESC LIMIT ${filter.limit ?? 200}`.execute(
      ctx.db,
    );
  const { offices } = await catalogue(ctx);
  const tz = (id: string | null) => offices.find((o) => o.id === id)?.time_zone ?? filter.timeZone ?? 'Europe/Berlin';
  return rows.map((r) => ({
    id: r.id,
    officeId: r.office_id,
    kind: kindOf(r.dedupe_key),
    channel: r.channel,
    recipient: maskRecipient(r.channel, r.recipient),
    subject: r.subject,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: isoInZone(r.created_at, tz(r.office_id)),
    sentAt: r.sent_at ? isoInZone(r.sent_at, tz(r.office_id)) : null,
    nextAttemptAt: r.state === 'queued' ? isoInZone(r.next_attempt_at, tz(r.office_id)) : null,
  }));
}

async function messageInScope(ctx: AppContext, principal: Principal, id: string): Promise<Row> {
  if (!/^\d{1,18}$/.test(id)) throw new DomainError('not_found', 'No such message');
  const { rows } = await sql<Row>`SELECT * FROM (${OUTBOX_WITH_OFFICE}) x WHERE x.id = ${id}`.execute(ctx.db);
  const row = rows[0];
  // Rows without an office belong to no office and no town: only a Kreis admin may touch them.
  if (
    !row ||
    (row.office_ids.length === 0
      ? !(await answersForWholeInstallation(ctx.db, principal))
      : !row.office_ids.some((o) => canAccessOffice(principal, o)))
  )
    throw new DomainError('not_found', 'No such message');
  return row;
}

/**
 * Sends a failed message again: queued now, with a fresh round of attempts. Only 'failed' rows; a
 * message that bounced went to a wrong address, and sending it again would only bounce again.
 */
export async function retryOutboxMessage(ctx: AppContext, principal: Principal, id: string): Promise<OutboxState> {
  const row = await messageInScope(ctx, principal, id);
  if (row.state !== 'failed') throw new DomainError('invalid_state', 'Only failed messages can be sent again', { state: row.state });
  const now = ctx.now();
  await ctx.db
    .updateTable('outbox')
    .set({ state: 'queued', attempts: 0, next_attempt_at: new Date(now) })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .execute();
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'outbox.retry',
    entity: 'outbox',
    entityId: id,
    officeId: row.office_id,
    at: now,
    details: { previousError: row.last_error, attempts: row.attempts },
  });
  return 'queued';
}

/**
 * A bounce reported by an integration (the relay's DSN reader): the row becomes 'bounced', and a
 * bounced closure notice puts its person on the call list at once (invariant 3), not a minute later.
 */
export async function reportBounce(
  ctx: AppContext,
  principal: Principal,
  input: { messageId: string; reason: string },
): Promise<{ state: OutboxState; movedToCallList: number }> {
  const id = /^<?outbox-(\d{1,18})@schalter>?$/.exec(input.messageId.trim())?.[1];
  if (!id) throw new DomainError('not_found', 'No such message');
  const row = await messageInScope(ctx, principal, id);
  if (row.state === 'bounced') return { state: 'bounced', movedToCallList: 0 };
  await markBounced(ctx.db, input);
  const moved = await moveUndeliveredToCallList(ctx);
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'outbox.bounce',
    entity: 'outbox',
    entityId: id,
    officeId: row.office_id,
    at: ctx.now(),
    details: { reason: input.reason.slice(0, 200) },
  });
  return { state: 'bounced', movedToCallList: moved };
}

// A mail the relay accepted can still come back (unknown mailbox, full inbox). Whoever reads the
// bounces (the relay's DSN, a mailbox watcher) reports the Message-ID we gave the mail:
// <outbox-ID@schalter>. The row becomes 'bounced', which staff see, and closure notices move on
// to the call list (enqueue-message.ts). It lives here, not in notify, because app
// never imports an adapter.
export async function markBounced(db: Kysely<DB>, input: { messageId: string; reason: string }): Promise<boolean> {
  const id = /^<?outbox-(\d+)@schalter>?$/.exec(input.messageId.trim())?.[1];
  if (!id) return false;
  const result = await db
    .updateTable('outbox')
    .set({ state: 'bounced', last_error: input.reason.slice(0, 1000) })
    .where('id', '=', id)
    .where('state', 'in', ['sent', 'sending', 'queued', 'failed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
