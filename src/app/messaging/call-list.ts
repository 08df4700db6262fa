import { isUuid } from '../../domain/uuid.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, type Principal } from '../../domain/staff-access.ts';
import { inTransaction } from '../../db/transaction.ts';
import { isoInZone } from '../appointments/appointment-record.ts';
import { audit } from '../shared/audit.ts';
import { catalogue } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { answerOfferByPhone } from '../closures/replacement-offers.ts';

// The staff call list (invariant 3): people the office cancelled who have no email or SMS, or whose
// message failed. A clerk phones, tells them what was held for them, and records the outcome.
// "Not reached" keeps them on the list; only "reached" or a voicemail left takes them off.
// Reached, the clerk records the answer to the held replacement as the citizen's click would
// (#22 defect 2): accepted confirms the hold at once, declined releases it, other_time releases it
// and the clerk books another time on the phone. Without an SMS gateway this is how everyone
// without email answers, so the hold must not lapse while it waits for a click that never comes.

export const CALL_OUTCOMES = ['reached', 'not_reached', 'voicemail', 'accepted', 'declined', 'other_time'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** What the clerk needs next: the confirmed replacement, or the person to book another time for. */
export type CallOutcomeResult = {
  state: CallListItem['state'];
  appointmentId: string | null;
};

export type CallListItem = {
  id: string;
  state: 'open' | 'reached' | 'voicemail';
  reason: 'no_channel' | 'delivery_failed';
  name: string | null;
  phone: string | null;
  email: string | null;
  language: 'de' | 'en';
  original: { reference: string; start: string };
  held: { reference: string; officeId: string; start: string; end: string; expiresAt: string; offerState: string } | null;
  attempts: number;
  lastOutcome: CallOutcome | null;
  note: string | null;
  createdAt: string;
};

/** Open entries of an office (or all, with handled ones), oldest first. A read of personal data: audited. */
export async function readCallList(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; includeHandled?: boolean },
): Promise<CallListItem[]> {
  assertOfficeAccess(principal, input.officeId);
  const { offices } = await catalogue(ctx);
  const tz = (id: string) => offices.find((o) => o.id === id)?.time_zone ?? 'Europe/Berlin';
  let query = ctx.db
    .selectFrom('call_list_entry as c')
    .innerJoin('appointment as a', 'a.id', 'c.appointment_id')
    .leftJoin('replacement_offer as o', 'o.id', 'c.offer_id')
    .leftJoin('appointment as h', 'h.id', 'o.held_appointment_id')
    .select([
      'c.id',
      'c.state',
      'c.reason',
      'c.attempts',
      'c.last_outcome',
      'c.note',
      'c.created_at',
      'a.citizen_name',
      'a.citizen_phone',
      'a.citizen_email',
      'a.language',
      'a.reference',
      'a.starts_at',
      'a.office_id',
      'h.reference as h_reference',
      'h.office_id as h_office',
      'h.starts_at as h_start',
      'h.ends_at as h_end',
      'o.expires_at as o_expires',
      'o.state as o_state',
    ])
    .where('c.office_id', '=', input.officeId);
  if (!input.includeHandled) query = query.where('c.state', '=', 'open');
  const rows = await query.orderBy('c.created_at').orderBy('a.starts_at').limit(2000).execute();
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'call_list.read',
    entity: 'call_list',
    entityId: input.officeId,
    officeId: input.officeId,
    at: ctx.now(),
    details: { entries: rows.map((r) => r.id) },
  });
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    reason: r.reason,
    name: r.citizen_name,
    phone: r.citizen_phone,
    email: r.citizen_email,
    language: r.language,
    original: { reference: r.reference, start: isoInZone(r.starts_at, tz(r.office_id)) },
    held:
      r.h_reference && r.h_office && r.h_start && r.h_end && r.o_expires && r.o_state
        ? {
            reference: r.h_reference,
            officeId: r.h_office,
            start: isoInZone(r.h_start, tz(r.h_office)),
            end: isoInZone(r.h_end, tz(r.h_office)),
            expiresAt: isoInZone(r.o_expires, tz(r.h_office)),
            offerState: r.o_state,
          }
        : null,
    attempts: r.attempts,
    lastOutcome: r.last_outcome,
    note: r.note,
    createdAt: isoInZone(r.created_at, tz(r.office_id)),
  }));
}

/** Records one call. Handled entries may be corrected (a second call), never removed. */
export async function recordCallOutcome(
  ctx: AppContext,
  principal: Principal,
  input: { entryId: string; outcome: CallOutcome; note?: string | undefined },
): Promise<CallOutcomeResult> {
  if (!/^\d{1,18}$/.test(input.entryId)) throw new DomainError('not_found', 'No such call-list entry');
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const entry = await trx.selectFrom('call_list_entry').selectAll().where('id', '=', input.entryId).forUpdate().executeTakeFirst();
    if (!entry || !canAccessOffice(principal, entry.office_id)) throw new DomainError('not_found', 'No such call-list entry');
    const state = input.outcome === 'not_reached' ? 'open' : input.outcome === 'voicemail' ? 'voicemail' : 'reached';
    let appointmentId: string | null = null;
    if (input.outcome === 'accepted' || input.outcome === 'declined' || input.outcome === 'other_time') {
      if (!entry.offer_id) throw new DomainError('invalid_state', 'Nothing was held for this person', { state: 'none' });
      const answer = input.outcome === 'accepted' ? 'accepted' : 'declined';
      appointmentId = (await answerOfferByPhone(ctx, trx, entry.offer_id, answer, actorOf(principal)))?.appointmentId ?? null;
    }
    await trx
      .updateTable('call_list_entry')
      .set({
        state,
        last_outcome: input.outcome,
        attempts: entry.attempts + 1,
        handled_by: actorOf(principal),
        handled_at: new Date(now),
        note: input.note?.trim() ? input.note.trim().slice(0, 500) : entry.note,
      })
      .where('id', '=', entry.id)
      .execute();
    await audit(trx, {
      actor: actorOf(principal),
      action: 'call_list.outcome',
      entity: 'call_list_entry',
      entityId: entry.id,
      officeId: entry.office_id,
      at: now,
      details: { outcome: input.outcome, ...(appointmentId ? { appointmentId } : {}) },
    });
    return { state, appointmentId };
  });
}

/** Whether an appointment is a replacement held for someone and still waiting for their answer. */
export async function heldReplacementOf(ctx: AppContext, appointmentId: string): Promise<{ expiresAt: number } | null> {
  // Offers are the central server's work (the citizen answers online); a branch is not fed them.
  if (ctx.settings.branchNode || !isUuid(appointmentId)) return null;
  const offer = await ctx.db
    .selectFrom('replacement_offer')
    .select('expires_at')
    .where('held_appointment_id', '=', appointmentId)
    .where('state', '=', 'held')
    .executeTakeFirst();
  return offer && offer.expires_at.getTime() > ctx.now() ? { expiresAt: offer.expires_at.getTime() } : null;
}

/**
 * „Ersatztermin annehmen“ on the appointment page: the person said yes on the phone or at the desk.
 * Their call-list entry, if any, is recorded as reached with that answer.
 */
export async function acceptReplacementForCaller(ctx: AppContext, principal: Principal, heldAppointmentId: string): Promise<void> {
  if (!isUuid(heldAppointmentId)) throw new DomainError('not_found', 'No replacement held here');
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const offer = await trx
      .selectFrom('replacement_offer as o')
      .innerJoin('appointment as h', 'h.id', 'o.held_appointment_id')
      .select(['o.id', 'h.office_id'])
      .where('o.held_appointment_id', '=', heldAppointmentId)
      .executeTakeFirst();
    if (!offer || !canAccessOffice(principal, offer.office_id)) throw new DomainError('not_found', 'No replacement held here');
    await answerOfferByPhone(ctx, trx, offer.id, 'accepted', actorOf(principal));
    const entries = await trx
      .updateTable('call_list_entry')
      .set({ state: 'reached', last_outcome: 'accepted', handled_by: actorOf(principal), handled_at: new Date(now) })
      .where('offer_id', '=', offer.id)
      .where('state', '=', 'open')
      .returning('id')
      .execute();
    await audit(trx, {
      actor: actorOf(principal),
      action: 'replacement.accept_for_citizen',
      entity: 'appointment',
      entityId: heldAppointmentId,
      officeId: offer.office_id,
      at: now,
      details: { callListEntries: entries.map((e) => e.id) },
    });
  });
}

/** The person of a call-list entry, for booking another time by phone (other_time). A read of personal data: audited. */
export async function callerOfEntry(
  ctx: AppContext,
  principal: Principal,
  entryId: string,
): Promise<{ name: string; phone: string; email: string; language: 'de' | 'en'; services: { serviceId: string; persons: number }[] }> {
  if (!/^\d{1,18}$/.test(entryId)) throw new DomainError('not_found', 'No such call-list entry');
  const row = await ctx.db
    .selectFrom('call_list_entry as c')
    .innerJoin('appointment as a', 'a.id', 'c.appointment_id')
    .select(['c.office_id', 'a.id', 'a.citizen_name', 'a.citizen_phone', 'a.citizen_email', 'a.language'])
    .where('c.id', '=', entryId)
    .executeTakeFirst();
  if (!row || !canAccessOffice(principal, row.office_id)) throw new DomainError('not_found', 'No such call-list entry');
  const services = await ctx.db
    .selectFrom('appointment_service')
    .select(['service_id', 'persons'])
    .where('appointment_id', '=', row.id)
    .execute();
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'call_list.read',
    entity: 'call_list_entry',
    entityId: entryId,
    officeId: row.office_id,
    at: ctx.now(),
    details: { purpose: 'phone_booking' },
  });
  return {
    name: row.citizen_name ?? '',
    phone: row.citizen_phone ?? '',
    email: row.citizen_email ?? '',
    language: row.language,
    services: services.map((s) => ({ serviceId: s.service_id, persons: s.persons })),
  };
}
