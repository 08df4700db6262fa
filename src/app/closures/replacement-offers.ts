import type { Kysely } from 'kysely';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { freeReplacementStarts, replacementWindow } from '../../domain/replacement.ts';
import type { ReplacementOffer } from '../../db/closure-schema.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { hashSecret } from '../appointments/appointment-record.ts';
import { insertAppointment } from '../appointments/appointment-rows.ts';
import { confirmHold, decideOffer, lockHold, lockOffer, releaseHold } from '../appointments/holds.ts';
import { enqueueAppointmentMail } from '../messaging/appointment-mail.ts';
import { catalogue } from '../shared/catalogue.ts';
import { takeReplacementSeats } from '../../db/capacity-units.ts';
import { readReplacementUnits } from '../../db/capacity-unit-reads.ts';
import { closureSettings } from '../shared/settings.ts';
import { checkContactLimit } from '../booking/contact-limit.ts';
import type { AppContext } from '../shared/context.ts';
import { newToken } from '../shared/ids.ts';

// What an affected citizen does with the slot held for them: accept it (one click), pick another
// (before the public, including same-day times freed elsewhere), or say they need none. Every change
// is a POST; the mail's links only lead to pages.

export { offerLinks } from './offer-links.ts';
export { reminderKey } from '../appointments/holds.ts';

export type OfferView = {
  state: ReplacementOffer['state'];
  language: 'de' | 'en';
  citizenName: string | null;
  original: { reference: string; start: number; officeName: string; timeZone: string };
  held: {
    reference: string;
    start: number;
    end: number;
    officeId: string;
    officeName: string;
    officeAddress: string;
    timeZone: string;
  } | null;
  expiresAt: number;
  /** Why the office cancelled (the closure's reason), if the offer comes from a closure. */
  reason: string | null;
  services: { serviceId: string; persons: number }[];
};

async function findOffer(db: Kysely<DB> | Trx, token: string, lock = false): Promise<ReplacementOffer> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new DomainError('not_found', 'No offer for this link');
  // Waiting-list offers (no original appointment) are answered on the waiting-list pages.
  let query = db
    .selectFrom('replacement_offer')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .where('waiting_entry_id', 'is', null);
  if (lock) query = query.forUpdate();
  const offer = await query.executeTakeFirst();
  if (!offer) throw new DomainError('not_found', 'No offer for this link');
  return offer;
}

export async function readOffer(ctx: AppContext, token: string): Promise<OfferView> {
  const offer = await findOffer(ctx.db, token);
  const ids = [offer.original_appointment_id, ...(offer.held_appointment_id ? [offer.held_appointment_id] : [])];
  const rows = await ctx.db.selectFrom('appointment').selectAll().where('id', 'in', ids).execute();
  const { offices } = await catalogue(ctx);
  const office = (id: string) => offices.find((o) => o.id === id)!;
  const original = rows.find((r) => r.id === offer.original_appointment_id)!;
  const held = offer.held_appointment_id ? rows.find((r) => r.id === offer.held_appointment_id) : undefined;
  const state = offer.state === 'held' && offer.expires_at.getTime() <= ctx.now() ? 'expired' : offer.state;
  const closure = offer.closure_id
    ? await ctx.db.selectFrom('closure').select('reason').where('id', '=', offer.closure_id).executeTakeFirst()
    : undefined;
  const services = await ctx.db
    .selectFrom('appointment_service')
    .select(['service_id', 'persons'])
    .where('appointment_id', '=', original.id)
    .execute();
  return {
    state,
    language: original.language,
    citizenName: original.citizen_name,
    original: {
      reference: original.reference,
      start: original.starts_at.getTime(),
      officeName: office(original.office_id).name,
      timeZone: office(original.office_id).time_zone,
    },
    held: held
      ? {
          reference: held.reference,
          start: held.starts_at.getTime(),
          end: held.ends_at.getTime(),
          officeId: held.office_id,
          officeName: office(held.office_id).name,
          officeAddress: office(held.office_id).address,
          timeZone: office(held.office_id).time_zone,
        }
      : null,
    expiresAt: offer.expires_at.getTime(),
    reason: closure?.reason ?? null,
    services: services.map((s) => ({ serviceId: s.service_id, persons: s.persons })),
  };
}

/** Accepts the held slot: the hold becomes a confirmed appointment with a manage link of its own. */
export async function acceptOffer(ctx: AppContext, token: string): Promise<{ manageToken: string | null; appointmentId: string }> {
  return inTransaction(ctx.db, async (trx) => acceptLockedOffer(ctx, trx, await findOffer(trx, token, true), 'citizen'));
}

/** The citizen needs no appointment any more: the held seats go back to everyone. */
export async function declineOffer(ctx: AppContext, token: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => declineLockedOffer(ctx, trx, await findOffer(trx, token, true), 'citizen'));
}

/**
 * The answer a clerk heard on the phone (the call list): the same as the citizen's click, by the
 * offer's id and in the caller's transaction, with the clerk as actor.
 */
export async function answerOfferByPhone(
  ctx: AppContext,
  trx: Trx,
  offerId: string,
  answer: 'accepted' | 'declined',
  actor: string,
): Promise<{ appointmentId: string } | null> {
  const offer = await lockOffer(trx, offerId);
  if (!offer) throw new DomainError('not_found', 'No such offer');
  if (answer === 'declined') {
    await declineLockedOffer(ctx, trx, offer, actor);
    return null;
  }
  const { appointmentId } = await acceptLockedOffer(ctx, trx, offer, actor);
  return { appointmentId };
}

async function acceptLockedOffer(
  ctx: AppContext,
  trx: Trx,
  offer: ReplacementOffer,
  actor: string,
): Promise<{ manageToken: string | null; appointmentId: string }> {
  const now = ctx.now();
  if (offer.state === 'accepted') return { manageToken: null, appointmentId: offer.held_appointment_id! };
  if (offer.state !== 'held' || !offer.held_appointment_id)
    throw new DomainError('invalid_state', `The offer is ${offer.state}`, { state: offer.state });
  if (offer.expires_at.getTime() <= now) throw new DomainError('reservation_expired', 'The offer has lapsed');
  const hold = await lockHold(trx, offer.held_appointment_id);
  if (hold.status !== 'reserved') throw new DomainError('invalid_state', `The held appointment is ${hold.status}`, { state: hold.status });
  const { serviceIds } = await offerShape(trx, offer);
  // The appointment the office cancelled never counts; another one booked meanwhile does.
  await checkContactLimit(ctx, trx, {
    email: hold.citizen_email,
    phone: hold.citizen_phone,
    serviceIds,
    exclude: [hold.id, offer.original_appointment_id!],
  });
  const { manageToken } = await confirmHold(ctx, trx, hold, { now, channel: 'rebooking', actor });
  await decideOffer(trx, offer, 'accepted', now);
  return { manageToken, appointmentId: hold.id };
}

async function declineLockedOffer(ctx: AppContext, trx: Trx, offer: ReplacementOffer, actor: string): Promise<void> {
  const now = ctx.now();
  if (offer.state === 'declined') return;
  if (offer.state !== 'held' && offer.state !== 'none')
    throw new DomainError('invalid_state', `The offer is ${offer.state}`, { state: offer.state });
  if (offer.held_appointment_id) await releaseHold(trx, offer.held_appointment_id, now, 'cancelled', actor);
  await decideOffer(trx, offer, 'declined', now);
}

export type ReplacementChoice = { officeId: string; officeName: string; start: number; end: number };

/**
 * Other times an affected citizen may take: the replacement rule (before the public), all offices
 * offering the services. `from`: only starts at or after it (the page's "later times").
 */
export async function replacementChoices(ctx: AppContext, token: string, limitPerOffice = 12, from = 0): Promise<ReplacementChoice[]> {
  const offer = await findOffer(ctx.db, token);
  const { durationUnits, serviceIds } = await offerShape(ctx.db, offer);
  const { schedules } = await catalogue(ctx);
  const settings = closureSettings(ctx);
  const now = ctx.now();
  const result: ReplacementChoice[] = [];
  for (const schedule of schedules.filter((s) => serviceIds.every((id) => s.serviceIds.has(id)))) {
    const computed = replacementWindow({
      policy: schedule.policy,
      timeZone: schedule.office.time_zone,
      now,
      leadMinutes: settings.replacementLeadMinutes,
      days: settings.replacementDays,
    });
    const window = { ...computed, earliestStart: Math.max(computed.earliestStart, Math.ceil(from / UNIT_MS) * UNIT_MS) };
    if (window.earliestStart >= window.latestStartExclusive) continue;
    const units = await readReplacementUnits(
      ctx.db,
      schedule.office.id,
      window.earliestStart,
      window.latestStartExclusive + durationUnits * UNIT_MS,
    );
    const starts = freeReplacementStarts({ officeId: schedule.office.id, units, ...window }, durationUnits, limitPerOffice);
    result.push(
      ...starts.map((start) => ({
        officeId: schedule.office.id,
        officeName: schedule.office.name,
        start,
        end: start + durationUnits * UNIT_MS,
      })),
    );
  }
  return result.sort((a, b) => a.start - b.start || a.officeId.localeCompare(b.officeId));
}

/** Takes another time instead of the held one (or instead of none) and confirms it, atomically. */
export async function chooseReplacement(
  ctx: AppContext,
  token: string,
  target: { officeId: string; start: number },
): Promise<{ manageToken: string; appointmentId: string }> {
  const now = ctx.now();
  const settings = closureSettings(ctx);
  const { schedules } = await catalogue(ctx);
  const schedule = schedules.find((s) => s.office.id === target.officeId);
  if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${target.officeId}`);
  return inTransaction(ctx.db, async (trx) => {
    const offer = await findOffer(trx, token, true);
    if (offer.state !== 'held' && offer.state !== 'none')
      throw new DomainError('invalid_state', `The offer is ${offer.state}`, { state: offer.state });
    const { durationUnits, serviceIds, original, services } = await offerShape(trx, offer);
    if (!serviceIds.every((id) => schedule.serviceIds.has(id)))
      throw new DomainError('service_not_offered', `${schedule.office.name} does not offer these services`);
    await checkContactLimit(ctx, trx, {
      email: original.citizen_email,
      phone: original.citizen_phone,
      serviceIds,
      exclude: [original.id, ...(offer.held_appointment_id ? [offer.held_appointment_id] : [])],
    });
    if (offer.held_appointment_id) await releaseHold(trx, offer.held_appointment_id, now, 'cancelled', 'citizen');
    const window = replacementWindow({
      policy: schedule.policy,
      timeZone: schedule.office.time_zone,
      now,
      leadMinutes: 0,
      days: settings.replacementDays,
    });
    if (target.start % UNIT_MS !== 0 || target.start < window.earliestStart || target.start >= window.latestStartExclusive) {
      throw new DomainError('slot_unavailable', 'This time is no longer available');
    }
    const starts = Array.from({ length: durationUnits }, (_, k) => target.start + k * UNIT_MS);
    const taken = await takeReplacementSeats(
      trx,
      starts.map((start) => ({ officeId: target.officeId, start, n: 1, limit: window.limit })),
    );
    // Fewer rows than units: one is full; throwing rolls back the seats taken and the hold released.
    if (taken.length !== starts.length) throw new DomainError('slot_unavailable', 'This time is no longer available');
    const manageToken = newToken(ctx);
    const inserted = await insertAppointment(
      ctx,
      trx,
      {
        officeId: target.officeId,
        municipalityId: schedule.office.municipality_id,
        start: target.start,
        end: target.start + durationUnits * UNIT_MS,
        status: 'confirmed',
        source: 'rebooking',
        language: original.language,
        citizen: { name: original.citizen_name, email: original.citizen_email, phone: original.citizen_phone },
        manageTokenHash: hashSecret(manageToken),
        reservedUntil: null,
        services: services.map((s) => ({ serviceId: s.service_id, persons: s.persons })),
        event: { actor: 'citizen', action: 'booked', details: { channel: 'rebooking', replaces: original.id, offerId: offer.id } },
      },
      now,
    );
    await decideOffer(trx, offer, 'accepted', now, { heldAppointmentId: inserted.id });
    await enqueueAppointmentMail(ctx, trx, { kind: 'booked', appointment: inserted, manageToken });
    return { manageToken, appointmentId: inserted.id };
  });
}

/** Holds nobody answered for: their seats go back, the offer lapses. Safe to run from several processes. */
export async function expireOffers(ctx: AppContext, batchSize = 200): Promise<number> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const due = await trx
      .selectFrom('replacement_offer')
      .selectAll()
      .where('state', '=', 'held')
      .where('expires_at', '<=', new Date(now))
      .orderBy('expires_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const offer of due) {
      if (offer.held_appointment_id) await releaseHold(trx, offer.held_appointment_id, now, 'expired', 'system');
      await decideOffer(trx, offer, 'expired', now);
    }
    return due.length;
  });
}

async function offerShape(db: Kysely<DB> | Trx, offer: ReplacementOffer) {
  const original = await db.selectFrom('appointment').selectAll().where('id', '=', offer.original_appointment_id).executeTakeFirstOrThrow();
  const services = await db.selectFrom('appointment_service').selectAll().where('appointment_id', '=', original.id).execute();
  const durationUnits = Math.round((original.ends_at.getTime() - original.starts_at.getTime()) / UNIT_MS);
  return { original, services, durationUnits, serviceIds: services.map((s) => s.service_id) };
}
