import { UNIT_MS } from '../../domain/capacity-types.ts';
import type { ReplacementOffer } from '../../db/closure-schema.ts';
import { changeLoads, type LoadChange } from '../../db/capacity-units.ts';
import type { Appointment, Language } from '../../db/schema.ts';
import { afterCommit, type Trx } from '../../db/transaction.ts';
import { enqueueAppointmentMail } from '../messaging/appointment-mail.ts';
import type { AppContext } from '../shared/context.ts';
import { hashSecret } from './appointment-record.ts';
import { insertAppointments, moveAppointment } from './appointment-rows.ts';
import { newEntityId, newToken } from '../shared/ids.ts';

// Holds (#16 item 1): a reserved appointment that keeps its seats for one citizen until a deadline,
// and the replacement_offer row that lets them answer. A closure holds a replacement for each
// cancelled appointment, the waiting list holds a free seat for the first in line; both are
// accepted, declined, released and decided here, and only here is replacement_offer written
// (test/architecture/hold-owner.test.ts). The seats are taken by the callers, because the rule
// differs: the closure job and chooseReplacement use the replacement rule, the waiting list the
// online booking rule.

export type HoldRequest = {
  /** Given by the closure job (its batch refers to the hold before the insert); otherwise the database default. */
  id?: string;
  slot: { officeId: string; start: number; end: number };
  /** The hold lapses then (reserved_until): the reservation job gives the seats back even if nobody else does. */
  deadline: number;
  citizen: { name: string | null; email: string | null; phone: string | null };
  language: Language;
  source: 'rebooking' | 'online';
  services: readonly { serviceId: string; persons: number }[];
  /** The 'held' event's details: what the hold is for. */
  details: Record<string, unknown>;
};

/** Inserts reserved appointments for the holds, with services and a 'held' event by 'system'; rows in the given order. */
export async function createHolds(ctx: AppContext, trx: Trx, holds: readonly HoldRequest[], now: number): Promise<Appointment[]> {
  // The offices' towns, read in the transaction: the catalogue may load through ctx.db, which waits
  // for this transaction's connection on the embedded database (one connection).
  const officeIds = [...new Set(holds.map((h) => h.slot.officeId))];
  const rows =
    officeIds.length === 0 ? [] : await trx.selectFrom('office').select(['id', 'municipality_id']).where('id', 'in', officeIds).execute();
  const towns = new Map(rows.map((r) => [r.id, r.municipality_id]));
  return insertAppointments(
    ctx,
    trx,
    holds.map((h) => ({
      ...(h.id === undefined ? {} : { id: h.id }),
      officeId: h.slot.officeId,
      municipalityId: towns.get(h.slot.officeId)!,
      start: h.slot.start,
      end: h.slot.end,
      status: 'reserved',
      source: h.source,
      language: h.language,
      citizen: h.citizen,
      // The citizen gets a manage link once they accept; until then nobody knows this token.
      manageTokenHash: null,
      reservedUntil: h.deadline,
      services: h.services,
      event: { actor: 'system', action: 'held', details: h.details },
    })),
    now,
  );
}

export type OfferRequest = {
  /** The closure the offer comes from; null for a waiting-list offer. */
  closureId: string | null;
  /** The appointment the office cancelled; null for a waiting-list offer. */
  originalAppointmentId: string | null;
  /** null: no replacement could be held ('none'), the citizen may still choose one. */
  heldAppointmentId: string | null;
  waitingEntryId: string | null;
  state: 'held' | 'none';
  expiresAt: number;
  remindAt: number | null;
};

/** Inserts offers; each gets an id and the token of its link, returned in the given order (stored hashed only). */
export async function insertOffers(
  ctx: AppContext,
  trx: Trx,
  offers: readonly OfferRequest[],
  now: number,
): Promise<{ id: string; token: string }[]> {
  const links = offers.map(() => ({ id: newEntityId(ctx), token: newToken(ctx) }));
  if (offers.length === 0) return links;
  await trx
    .insertInto('replacement_offer')
    .values(
      offers.map((o, k) => ({
        id: links[k]!.id,
        closure_id: o.closureId,
        original_appointment_id: o.originalAppointmentId,
        held_appointment_id: o.heldAppointmentId,
        token_hash: hashSecret(links[k]!.token),
        state: o.state,
        expires_at: new Date(o.expiresAt),
        remind_at: o.remindAt === null ? null : new Date(o.remindAt),
        created_at: new Date(now),
        waiting_entry_id: o.waitingEntryId,
      })),
    )
    .execute();
  return links;
}

/** The outbox key of an offer's reminder, written with the offer and dropped once it is decided. */
export const reminderKey = (offerId: string) => `offer:${offerId}:reminder`;

export async function lockHold(trx: Trx, id: string): Promise<Appointment> {
  return trx.selectFrom('appointment').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function lockOffer(trx: Trx, offerId: string | null): Promise<ReplacementOffer | null> {
  if (!offerId) return null;
  return (await trx.selectFrom('replacement_offer').selectAll().where('id', '=', offerId).forUpdate().executeTakeFirst()) ?? null;
}

/**
 * The citizen takes the held slot: the hold becomes a confirmed appointment with a manage link of
 * its own, sent in the confirmation mail. The caller has locked the hold and checked it is reserved.
 */
export async function confirmHold(
  ctx: AppContext,
  trx: Trx,
  hold: Appointment,
  o: { now: number; channel: 'rebooking' | 'waiting_list'; actor?: string },
): Promise<{ manageToken: string; appointment: Appointment }> {
  const manageToken = newToken(ctx);
  const appointment = await moveAppointment(
    trx,
    {
      id: hold.id,
      from: 'reserved',
      to: 'confirmed',
      at: o.now,
      actor: o.actor ?? 'citizen',
      action: 'confirmed',
      details: { channel: o.channel },
      set: { reserved_until: null, manage_token_hash: hashSecret(manageToken) },
    },
    { returning: true },
  );
  await enqueueAppointmentMail(ctx, trx, { kind: 'booked', appointment, manageToken });
  // A booking like any other for /metrics, counted once it holds.
  afterCommit(trx, () => ctx.metrics?.booking(o.channel, 'confirmed'));
  return { manageToken, appointment };
}

/** Gives a hold's seats back (unless the reservation job already did) and ends it. */
export async function releaseHold(trx: Trx, holdId: string, now: number, to: 'cancelled' | 'expired', actor: string): Promise<void> {
  const hold = await lockHold(trx, holdId);
  if (hold.status !== 'reserved') return;
  const changes: LoadChange[] = [];
  for (let t = hold.starts_at.getTime(); t < hold.ends_at.getTime(); t += UNIT_MS)
    changes.push({ officeId: hold.office_id, start: t, n: -1 });
  await changeLoads(trx, changes);
  await moveAppointment(trx, { id: holdId, from: 'reserved', to, at: now, actor, action: to, set: { reserved_until: null } });
}

/** Ends an offer; `heldAppointmentId`: the time the citizen chose instead of the held one. */
export async function decideOffer(
  trx: Trx,
  offer: ReplacementOffer,
  state: 'accepted' | 'declined' | 'expired',
  now: number,
  options: { heldAppointmentId?: string } = {},
): Promise<void> {
  const chosen = options.heldAppointmentId === undefined ? {} : { held_appointment_id: options.heldAppointmentId };
  await trx
    .updateTable('replacement_offer')
    .set({ state, decided_at: new Date(now), ...chosen })
    .where('id', '=', offer.id)
    .execute();
  // The scheduled reminder is pointless now; one already being sent simply goes out.
  await trx.deleteFrom('outbox').where('dedupe_key', '=', reminderKey(offer.id)).where('state', '=', 'queued').execute();
}
