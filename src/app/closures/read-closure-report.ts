import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, type Principal } from '../../domain/staff-access.ts';
import { isoInZone } from '../appointments/appointment-record.ts';
import { audit } from '../shared/audit.ts';
import { catalogue } from '../shared/catalogue.ts';
import { closureCounts, type ClosureProgress } from './run-closure.ts';
import type { AppContext } from '../shared/context.ts';

export type ClosurePerson = {
  appointmentId: string;
  reference: string;
  name: string | null;
  phone: string | null;
  channel: 'email' | 'sms' | 'call' | 'none';
  state: 'pending' | 'done' | 'skipped';
  message: { state: string; attempts: number; lastError: string | null } | null;
  offer: { state: string; expiresAt: string; held: { reference: string; officeId: string; start: string } | null } | null;
  callList: { state: string; lastOutcome: string | null; attempts: number } | null;
};

/** Ways to narrow the list of people: the item's state, how the message stands, the call list, the offer. */
export const PERSON_FILTERS = ['pending', 'done', 'skipped', 'sent', 'waiting', 'failed', 'callList', 'accepted'] as const;
export type PersonFilter = (typeof PERSON_FILTERS)[number];

export type ClosureReport = {
  closure: {
    id: string;
    officeId: string;
    from: string;
    to: string;
    reason: string;
    counters: number[] | null;
    state: string;
    createdAt: string;
    finishedAt: string | null;
  };
  progress: ClosureProgress;
  /** People per filter, over the whole closure. */
  counts: Record<PersonFilter, number>;
  /** One page of the people matching `list.filter` (everyone when null), in order of their appointments. */
  people: ClosurePerson[];
  list: { filter: PersonFilter | null; page: number; pageSize: number; matching: number; pages: number };
};

export type ReportOptions = { filter?: PersonFilter | null; page?: number; pageSize?: number };

/** A closure may affect 10,000 people: the page shows counts and one page of them. */
export const DEFAULT_PAGE_SIZE = 100;

// The same condition counts the people of a filter and selects them.
const CONDITION: Record<PersonFilter, RawBuilder<boolean>> = {
  pending: sql`ci.state = 'pending'`,
  done: sql`ci.state = 'done'`,
  skipped: sql`ci.state = 'skipped'`,
  sent: sql`m.state = 'sent'`,
  waiting: sql`m.state IN ('queued', 'sending')`,
  failed: sql`m.state IN ('failed', 'bounced')`,
  callList: sql`c.appointment_id IS NOT NULL`,
  accepted: sql`o.state = 'accepted'`,
};

function itemsOf(db: Kysely<DB>, closureId: string) {
  return db
    .selectFrom('closure_item as ci')
    .leftJoin('outbox as m', 'm.dedupe_key', 'ci.message_key')
    .leftJoin('replacement_offer as o', 'o.id', 'ci.offer_id')
    .leftJoin('call_list_entry as c', (join) =>
      join.onRef('c.appointment_id', '=', 'ci.appointment_id').onRef('c.closure_id', '=', 'ci.closure_id'),
    )
    .where('ci.closure_id', '=', closureId);
}

/** The closure, how many people stand where, and one page of them: how they were told and where their offer stands. */
export async function readClosureReport(
  ctx: AppContext,
  principal: Principal,
  closureId: string,
  options: ReportOptions = {},
): Promise<ClosureReport> {
  if (!/^[0-9a-f-]{36}$/i.test(closureId)) throw new DomainError('not_found', 'No such closure');
  const closure = await ctx.db.selectFrom('closure').selectAll().where('id', '=', closureId).executeTakeFirst();
  if (!closure || !canAccessOffice(principal, closure.office_id)) throw new DomainError('not_found', 'No such closure');
  const { offices } = await catalogue(ctx);
  const tz = (id: string) => offices.find((o) => o.id === id)?.time_zone ?? 'Europe/Berlin';
  const countRow = await itemsOf(ctx.db, closureId)
    .select(PERSON_FILTERS.map((f) => sql<string>`count(*) FILTER (WHERE ${CONDITION[f]})`.as(f)))
    .select((eb) => eb.fn.countAll<string>().as('all'))
    .executeTakeFirstOrThrow();
  const counts = Object.fromEntries(PERSON_FILTERS.map((f) => [f, Number(countRow[f])])) as Record<PersonFilter, number>;
  const filter = options.filter ?? null;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const matching = filter ? counts[filter] : Number(countRow.all);
  const pages = Math.max(1, Math.ceil(matching / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await itemsOf(ctx.db, closureId)
    .innerJoin('appointment as a', 'a.id', 'ci.appointment_id')
    .leftJoin('appointment as h', 'h.id', 'o.held_appointment_id')
    .select([
      'ci.appointment_id',
      'ci.state',
      'ci.channel',
      'a.reference',
      'a.citizen_name',
      'a.citizen_phone',
      'm.state as m_state',
      'm.attempts as m_attempts',
      'm.last_error as m_error',
      'o.state as o_state',
      'o.expires_at as o_expires',
      'h.reference as h_reference',
      'h.office_id as h_office',
      'h.starts_at as h_start',
      'c.state as c_state',
      'c.last_outcome as c_outcome',
      'c.attempts as c_attempts',
    ])
    .$if(filter !== null, (qb) => qb.where(CONDITION[filter!]))
    .orderBy('ci.original_start')
    .orderBy('ci.appointment_id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'closure.read',
    entity: 'closure',
    entityId: closureId,
    officeId: closure.office_id,
    at: ctx.now(),
    details: { people: rows.length, filter, page },
  });
  const zone = tz(closure.office_id);
  return {
    closure: {
      id: closure.id,
      officeId: closure.office_id,
      from: isoInZone(closure.starts_at, zone),
      to: isoInZone(closure.ends_at, zone),
      reason: closure.reason,
      counters: closure.counters,
      state: closure.state,
      createdAt: isoInZone(closure.created_at, zone),
      finishedAt: closure.finished_at ? isoInZone(closure.finished_at, zone) : null,
    },
    progress: await closureCounts(ctx.db, closureId),
    counts,
    list: { filter, page, pageSize, matching, pages },
    people: rows.map((r) => ({
      appointmentId: r.appointment_id,
      reference: r.reference,
      name: r.citizen_name,
      phone: r.citizen_phone,
      channel: r.channel,
      state: r.state,
      message: r.m_state ? { state: r.m_state, attempts: r.m_attempts ?? 0, lastError: r.m_error ?? null } : null,
      offer:
        r.o_state && r.o_expires
          ? {
              state: r.o_state,
              expiresAt: isoInZone(r.o_expires, zone),
              held:
                r.h_reference && r.h_office && r.h_start
                  ? { reference: r.h_reference, officeId: r.h_office, start: isoInZone(r.h_start, tz(r.h_office)) }
                  : null,
            }
          : null,
      callList: r.c_state ? { state: r.c_state, lastOutcome: r.c_outcome ?? null, attempts: r.c_attempts ?? 0 } : null,
    })),
  };
}
