import { CANCEL_EXPLANATION_MAX, type CancelReason } from '../../domain/cancel-reasons.ts';
import { isUuid } from '../../domain/uuid.ts';
import type { Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import type { Appointment, DB, Language } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { hashSecret, toView, type AppointmentView } from './appointment-record.ts';
import { audit } from '../shared/audit.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import { searchAvailability, type Slot } from '../booking/search-availability.ts';
import { bookAppointment, type BookingResult } from '../booking/book-appointment.ts';
import type { AppContext } from '../shared/context.ts';
import { cancelLockedAppointment, rescheduleLockedAppointment } from './manage-appointment.ts';
import type { RequestedService } from '../shared/service-selection.ts';
import { newToken } from '../shared/ids.ts';

// Staff work on appointments by id, within the offices they work for. An appointment of another
// office answers exactly like one that does not exist (not_found): its existence is personal data too.

/** Throws not_found unless the principal works for the office. Use before anything office-scoped. */
export function assertOfficeAccess(principal: Principal, officeId: string): void {
  if (!canAccessOffice(principal, officeId)) throw new DomainError('not_found', 'Unknown office', { officeId });
}

export async function findAppointmentForStaff(
  db: Kysely<DB> | Trx,
  principal: Principal,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Appointment> {
  if (!isUuid(id)) throw new DomainError('not_found', 'No such appointment');
  let query = db.selectFrom('appointment').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const appointment = await query.executeTakeFirst();
  if (!appointment || !canAccessOffice(principal, appointment.office_id)) throw new DomainError('not_found', 'No such appointment');
  return appointment;
}

export type StaffBookingRequest = {
  officeId: string;
  start: number;
  services: RequestedService[];
  citizen: { name: string; email?: string | null | undefined; phone?: string | null | undefined };
  language: Language;
};

/** Free starts for a caller: staff may give away the seats kept for the phone. */
export async function searchPhoneSlots(
  ctx: AppContext,
  principal: Principal,
  query: { officeId: string; services: RequestedService[]; from?: string; to?: string; limit?: number },
): Promise<Slot[]> {
  assertOfficeAccess(principal, query.officeId);
  // The phone rule lets a slot start at `now` when now is on the 5-minute grid, but a booking must
  // start after now (start_in_past); never offer a time the clerk then cannot book.
  const now = ctx.now();
  const slots = await searchAvailability(ctx, { ...query, channel: 'phone', limit: (query.limit ?? 100) + 1 });
  return slots.filter((s) => s.start > now).slice(0, query.limit ?? 100);
}

/** A booking for a caller: confirmed at once, mailed if an address is given, else read out. */
export async function bookForCaller(ctx: AppContext, principal: Principal, request: StaffBookingRequest): Promise<BookingResult> {
  assertOfficeAccess(principal, request.officeId);
  const actor = actorOf(principal);
  return bookAppointment(ctx, {
    ...request,
    channel: 'phone',
    source: 'phone',
    actor,
    within: (trx, row) =>
      audit(trx, {
        actor,
        action: 'appointment.create',
        entity: 'appointment',
        entityId: row.id,
        officeId: row.office_id,
        at: ctx.now(),
        details: { reference: row.reference, channel: 'phone' },
      }),
  });
}

export async function cancelByStaff(
  ctx: AppContext,
  principal: Principal,
  input: { appointmentId: string; reason: CancelReason; explanation?: string | null | undefined },
): Promise<AppointmentView> {
  const now = ctx.now();
  const actor = actorOf(principal);
  const explanation = checkedExplanation(input.reason, input.explanation);
  const row = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findAppointmentForStaff(trx, principal, input.appointmentId, { lock: true });
    const manageToken = await reissueManageToken(ctx, trx, appointment);
    const updated = await cancelLockedAppointment(ctx, trx, appointment, { actor, now, manageToken, reason: input.reason, explanation });
    await audit(trx, {
      actor,
      action: 'appointment.cancel',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: appointment.office_id,
      at: now,
      details: { reference: appointment.reference, reason: input.reason, ...(explanation ? { explanation } : {}) },
    });
    return updated;
  });
  return toView(ctx.db, row);
}

/** The clerk's words for the citizen: required for „anderer Grund“, quoted in the cancellation mail. */
function checkedExplanation(reason: CancelReason, input: string | null | undefined): string | null {
  const text = input?.trim() || null;
  if (reason === 'other' && !text)
    throw new DomainError('validation_failed', 'Explain the other reason', { fields: [{ path: 'explanation', message: 'required' }] });
  if (text && text.length > CANCEL_EXPLANATION_MAX)
    throw new DomainError('validation_failed', 'Explanation too long', {
      fields: [{ path: 'explanation', message: `at most ${CANCEL_EXPLANATION_MAX} characters` }],
    });
  return text;
}

export async function rescheduleByStaff(
  ctx: AppContext,
  principal: Principal,
  input: { appointmentId: string; start: number; officeId?: string | undefined },
): Promise<AppointmentView> {
  const now = ctx.now();
  const actor = actorOf(principal);
  if (input.officeId !== undefined) assertOfficeAccess(principal, input.officeId);
  // Read before the transaction (see rescheduleLockedAppointment).
  const schedules = await cachedSchedules(ctx);
  const row = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findAppointmentForStaff(trx, principal, input.appointmentId, { lock: true });
    const manageToken = await reissueManageToken(ctx, trx, appointment);
    const updated = await rescheduleLockedAppointment(
      ctx,
      trx,
      appointment,
      { start: input.start, officeId: input.officeId },
      { actor, now, manageToken, channel: 'phone', schedules },
    );
    await audit(trx, {
      actor,
      action: 'appointment.reschedule',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: appointment.office_id,
      at: now,
      details: { fromStart: appointment.starts_at.toISOString(), toStart: updated.starts_at.toISOString(), toOffice: updated.office_id },
    });
    return updated;
  });
  return toView(ctx.db, row);
}

export type AppointmentHistoryEntry = { at: string; actor: string; action: string; fromStatus: string | null; toStatus: string | null };

/** One appointment with its history, for the detail page. Reading it is audited. */
export async function readAppointmentForStaff(
  ctx: AppContext,
  principal: Principal,
  appointmentId: string,
): Promise<{ appointment: AppointmentView; history: AppointmentHistoryEntry[]; staffNote: string | null }> {
  const appointment = await findAppointmentForStaff(ctx.db, principal, appointmentId);
  const events = await ctx.db
    .selectFrom('appointment_event')
    .selectAll()
    .where('appointment_id', '=', appointment.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  await audit(ctx.db, {
    actor: principal,
    action: 'appointment.read',
    entity: 'appointment',
    entityId: appointment.id,
    officeId: appointment.office_id,
    at: ctx.now(),
  });
  return {
    appointment: await toView(ctx.db, appointment),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
    })),
    staffNote: appointment.staff_note,
  };
}

/**
 * Staff changes are mailed with a fresh manage link (we only keep a hash of the old one, so it
 * cannot be repeated); the old link stops working. Without an email address nothing is sent and
 * the citizen's link, if any, stays as it is.
 */
export async function reissueManageToken(ctx: AppContext, trx: Trx, appointment: Appointment): Promise<string> {
  if (!appointment.citizen_email) return '';
  const token = newToken(ctx);
  await trx
    .updateTable('appointment')
    .set({ manage_token_hash: hashSecret(token) })
    .where('id', '=', appointment.id)
    .execute();
  return token;
}

/** Services an office offers, in catalogue order: the choice of the phone booking form. */
export async function servicesOfOffice(ctx: AppContext, principal: Principal, officeId: string) {
  assertOfficeAccess(principal, officeId);
  return ctx.db
    .selectFrom('office_service')
    .innerJoin('service', 'service.id', 'office_service.service_id')
    .select(['service.id', 'service.name_de', 'service.name_en', 'service.max_persons', 'service.online_bookable'])
    .where('office_service.office_id', '=', officeId)
    .orderBy('service.sort_order')
    .orderBy('service.name_de')
    .execute();
}

/** Who made a history entry, as a person reads it: never an internal id. */
type PlainActor = { kind: 'citizen' | 'system' | 'demo' | 'kiosk' | 'branch' | 'cli' | 'lottery' | 'unknown' };
export type HistoryActor =
  { kind: 'staff'; role: StaffRole | null; name: string | null } | { kind: 'token'; name: string | null } | PlainActor;

export type NamedHistoryEntry = AppointmentHistoryEntry & { by: HistoryActor };

const FIXED_ACTORS: Record<string, PlainActor['kind']> = {
  citizen: 'citizen',
  system: 'system',
  'demo-seed': 'demo',
  cli: 'cli',
  'release-lottery': 'lottery',
};

/**
 * Resolves the actors of an appointment's history (`staff:{uuid}`, `token:{uuid}`, `kiosk:{office}`,
 * `citizen`, …, see actorOf) to names and roles for the staff page. Staff names are no citizen data,
 * so this read is not audited; the appointment itself was read through readAppointmentForStaff.
 */
export async function nameHistoryActors(ctx: AppContext, history: AppointmentHistoryEntry[]): Promise<NamedHistoryEntry[]> {
  const idsOf = (prefix: string) =>
    [...new Set(history.map((h) => h.actor).filter((a) => a.startsWith(prefix)))]
      .map((a) => a.slice(prefix.length))
      .filter((id) => isUuid(id));
  const staffIds = idsOf('staff:');
  const tokenIds = idsOf('token:');
  const staff = staffIds.length
    ? await ctx.db.selectFrom('staff_user').select(['id', 'display_name', 'role']).where('id', 'in', staffIds).execute()
    : [];
  const tokens = tokenIds.length ? await ctx.db.selectFrom('api_token').select(['id', 'name']).where('id', 'in', tokenIds).execute() : [];
  const by = (actor: string): HistoryActor => {
    const [prefix = '', id = ''] = actor.split(/:(.*)/s);
    if (prefix === 'staff') {
      const user = staff.find((s) => s.id === id.toLowerCase());
      return { kind: 'staff', role: (user?.role as StaffRole | undefined) ?? null, name: user?.display_name ?? null };
    }
    if (prefix === 'token') return { kind: 'token', name: tokens.find((t) => t.id === id.toLowerCase())?.name ?? null };
    if (prefix === 'kiosk') return { kind: 'kiosk' };
    if (prefix === 'branch') return { kind: 'branch' };
    return { kind: FIXED_ACTORS[actor] ?? 'unknown' };
  };
  return history.map((h) => ({ ...h, by: by(h.actor) }));
}
