import { UNIT_MS } from '../../domain/capacity-types.ts';
import {
  affectedByOfficeClosure,
  chooseNoticeChannel,
  displacedByCounterClosure,
  summariseReachability,
  type NoticeChannel,
  type Reachability,
} from '../../domain/closure.ts';
import { DomainError } from '../../domain/errors.ts';
import { closeUnits } from '../../db/capacity-units.ts';
import { readSeatsAfterClosure } from '../../db/capacity-unit-reads.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import type { DB } from '../../db/schema.ts';
import type { Kysely } from 'kysely';
import { audit } from '../shared/audit.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import { closureNoticesChanged } from './closure-notices.ts';
import { closureSettings } from '../shared/settings.ts';
import type { AppContext } from '../shared/context.ts';
import { withdrawWaitingOffers } from '../waiting-list/sweep-waiting-list.ts';
import { newEntityId } from '../shared/ids.ts';

export type ClosureRequest = {
  officeId: string;
  from: number;
  to: number;
  reason: string;
  /** null: the whole office; otherwise the counters taken out of service. */
  counters: number[] | null;
  notify: boolean;
  offerReplacements: boolean;
  holdHours?: number | undefined;
  /** 'staff:<id>', 'token:<id>', 'cli'. */
  actor: string;
};

export type ClosureOpened = {
  closure: { id: string };
  affected: number;
  notifications: { email: number; sms: number; callList: number };
};

/** waitingHold: a seat held for a waiting-list offer nobody has accepted yet, not anyone's appointment. */
type Candidate = {
  id: string;
  start: number;
  end: number;
  createdAt: number;
  movable: boolean;
  email: string | null;
  phone: string | null;
  waitingHold: boolean;
};

const OPEN = ['reserved', 'confirmed'] as const;
const HOLDING_SEATS = ['reserved', 'confirmed', 'checked_in', 'called'] as const;

/** How many appointments a closure would cancel and how their people can be reached; changes nothing. */
export async function previewClosure(ctx: AppContext, request: Omit<ClosureRequest, 'actor'>): Promise<Reachability> {
  const window = await validate(ctx, request);
  const affected = await findAffected(ctx.db, request, window, ctx.now(), 'preview');
  return summariseReachability(affected.filter((a) => !a.waitingHold).map((a) => channelFor(ctx, request, a)));
}

/**
 * Takes the capacity out of service and records every affected appointment as a pending item of the
 * closure job — in one transaction, so from its commit on no new booking can land in the range and
 * the job knows everyone it has to reach. The job (runClosure) does the cancelling.
 */
export async function openClosure(ctx: AppContext, request: ClosureRequest): Promise<ClosureOpened> {
  const window = await validate(ctx, request);
  const now = ctx.now();
  const id = newEntityId(ctx);
  const holdHours = request.holdHours ?? closureSettings(ctx).holdHours;
  const channels = await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('closure')
      .values({
        id,
        office_id: request.officeId,
        starts_at: new Date(window.from),
        ends_at: new Date(window.to),
        counters: request.counters,
        reason: request.reason,
        notify: request.notify,
        offer_replacements: request.offerReplacements,
        hold_hours: holdHours,
        state: 'running',
        created_by: request.actor,
        created_at: new Date(now),
      })
      .execute();
    // Capacity first. Row locks of bookings in flight make this wait for them, so the read below sees them.
    // The write notes its units: once this commits, the search's cache no longer offers the closed seats.
    await closeUnits(trx, request.officeId, window, request.counters === null ? null : request.counters.length);
    const found = await findAffected(trx, request, window, now, 'lock');
    // Offers from the waiting list are withdrawn here, not by the job: no closure notice, no replacement.
    const withdrawnOffers = await withdrawWaitingOffers(
      trx,
      found.filter((a) => a.waitingHold).map((a) => a.id),
      now,
      request.actor,
    );
    const affected = found.filter((a) => !a.waitingHold);
    const chosen = affected.map((a) => ({ a, channel: channelFor(ctx, request, a) }));
    for (let i = 0; i < chosen.length; i += 1000) {
      await trx
        .insertInto('closure_item')
        .values(
          chosen.slice(i, i + 1000).map(({ a, channel }) => ({
            closure_id: id,
            appointment_id: a.id,
            state: 'pending' as const,
            channel,
            original_start: new Date(a.start),
          })),
        )
        .execute();
    }
    await audit(trx, {
      actor: request.actor,
      action: 'office.close',
      entity: 'closure',
      entityId: id,
      officeId: request.officeId,
      at: now,
      details: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
        counters: request.counters,
        reason: request.reason,
        affected: affected.length,
        withdrawnOffers,
      },
    });
    return chosen.map((c) => c.channel);
  });
  closureNoticesChanged();
  const r = summariseReachability(channels);
  return {
    closure: { id },
    affected: r.appointments,
    notifications: { email: r.email, sms: r.sms, callList: r.phoneOnly + r.unreachable },
  };
}

async function validate(ctx: AppContext, request: Omit<ClosureRequest, 'actor'>): Promise<{ from: number; to: number }> {
  const [schedule] = await cachedSchedules(ctx, [request.officeId]);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${request.officeId}`, { officeId: request.officeId });
  if (!(request.from < request.to))
    throw new DomainError('validation_failed', 'The closure must end after it starts', {
      fields: [{ path: 'to', message: 'must be after from' }],
    });
  if (request.to <= ctx.now())
    throw new DomainError('validation_failed', 'The closure lies in the past', {
      fields: [{ path: 'to', message: 'must be in the future' }],
    });
  if (request.reason.trim().length === 0)
    throw new DomainError('validation_failed', 'A reason is required', { fields: [{ path: 'reason', message: 'required' }] });
  if (request.counters !== null) {
    if (request.counters.length === 0)
      throw new DomainError('validation_failed', 'Name at least one counter, or null for the whole office', {
        fields: [{ path: 'counters', message: 'empty' }],
      });
    const known = await ctx.db.selectFrom('counter').select('number').where('office_id', '=', request.officeId).execute();
    const missing = request.counters.filter((n) => !known.some((k) => k.number === n));
    if (missing.length > 0)
      throw new DomainError('validation_failed', `Unknown counters: ${missing.join(', ')}`, {
        fields: [{ path: 'counters', message: `unknown: ${missing.join(', ')}` }],
      });
  }
  // Whole units: a closure from 07:32 closes the unit starting 07:30.
  return { from: Math.floor(request.from / UNIT_MS) * UNIT_MS, to: Math.ceil(request.to / UNIT_MS) * UNIT_MS };
}

async function findAffected(
  db: Kysely<DB> | Trx,
  request: Omit<ClosureRequest, 'actor'>,
  window: { from: number; to: number },
  now: number,
  mode: 'preview' | 'lock',
): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('appointment')
    .select(['id', 'starts_at', 'ends_at', 'created_at', 'status', 'citizen_email', 'citizen_phone'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('replacement_offer as r')
            .select('r.id')
            .whereRef('r.held_appointment_id', '=', 'appointment.id')
            .where('r.waiting_entry_id', 'is not', null)
            .where('r.state', '=', 'held'),
        )
        .as('waiting_hold'),
    )
    .where('office_id', '=', request.officeId)
    .where('status', 'in', request.counters === null ? [...OPEN] : [...HOLDING_SEATS])
    .where('starts_at', '<', new Date(window.to))
    .where('ends_at', '>', new Date(window.from))
    .execute();
  const candidates: Candidate[] = rows.map((r) => ({
    id: r.id,
    start: r.starts_at.getTime(),
    end: r.ends_at.getTime(),
    createdAt: r.created_at.getTime(),
    movable: r.status === 'reserved' || r.status === 'confirmed',
    email: r.citizen_email,
    phone: r.citizen_phone,
    waitingHold: Boolean(r.waiting_hold) && r.status === 'reserved',
  }));
  if (request.counters === null) return affectedByOfficeClosure(candidates, window, now);
  // Seats left per unit once the closure is in force (in preview, the counters are not yet subtracted).
  const seats = await readSeatsAfterClosure(db, request.officeId, window, mode === 'preview' ? request.counters.length : 0);
  return displacedByCounterClosure({ appointments: candidates, now, seatsAt: (t) => seats.get(t) ?? Number.POSITIVE_INFINITY });
}

function channelFor(ctx: AppContext, request: Pick<ClosureRequest, 'notify'>, a: Candidate): NoticeChannel {
  // Without messages, a clerk calls everyone: nobody the office cancels may go untold (invariant 3).
  if (!request.notify) return a.phone ? 'call' : 'none';
  return chooseNoticeChannel({ email: a.email, phone: a.phone, smsEnabled: closureSettings(ctx).smsEnabled });
}
