import { UNIT_MS } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { drawFrom, fairWindowFor, lotteryContactKey, mayHavePendingEntries } from '../../domain/fair-release.ts';
import type { ReleaseRequestState } from '../../db/booking-schema.ts';
import { hashSecret } from '../appointments/appointment-record.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import type { BookingRequest } from './book-appointment.ts';
import { checkSeatWindow } from './seat-allocation.ts';
import { currentSeatRule } from './seat-rules.ts';
import { resolveServiceSelection } from '../shared/service-selection.ts';
import { newRowId, newToken } from '../shared/ids.ts';

// Fair release window (issue #7, docs/scaling.md "Fairness at release time"): online booking requests
// for the new slots of a wave, sent in the first SCHALTER_FAIR_RELEASE_MINUTES after the release,
// become lottery entries (this file); src/app/booking/run-release-lottery.ts decides them when the window closes.

export type ReleaseRequestReceipt = {
  /** The secret for the status endpoint; null when the request collapsed into an earlier entry. */
  token: string | null;
  duplicate: boolean;
  state: 'pending';
  officeId: string;
  start: number;
  /** When the window closes; the lottery decides right after. */
  decidesAt: number;
};

/**
 * Collects an online booking request into the lottery when it falls into a fair window, and returns
 * null otherwise (the caller books at once). The request is checked like a booking (contact, grid,
 * services, release window) so that a hopeless entry is refused now, not after the draw.
 */
export async function collectIfInFairWindow(ctx: AppContext, request: BookingRequest): Promise<ReleaseRequestReceipt | null> {
  const minutes = ctx.settings.fairReleaseMinutes ?? null;
  if (!minutes || (request.channel ?? 'online') !== 'online') return null;
  const now = ctx.now();
  const [schedule] = await cachedSchedules(ctx, [request.officeId]);
  if (!schedule) return null; // bookAppointment reports the unknown office
  const { policy, office } = schedule;
  const timeZone = office.time_zone;
  const pendingAfterClose = mayHavePendingEntries({ policy, timeZone, now, minutes }) && (await hasPendingEntries(ctx, office.id));
  const window = fairWindowFor({ policy, timeZone, now, start: request.start, minutes, pendingAfterClose });
  if (!window) return null;

  const email = request.citizen.email?.trim() || null;
  const phone = request.citizen.phone?.trim() || null;
  const contact = lotteryContactKey(email, phone);
  if (!contact) throw new DomainError('contact_required', 'An email address or a phone number is required');
  if (request.start % UNIT_MS !== 0) throw new DomainError('start_not_on_grid', 'Appointments start on a 5-minute grid');
  if (request.start <= now) throw new DomainError('start_in_past', 'This time is in the past');
  const selection = await resolveServiceSelection(ctx, request.services, 'online');
  const notOffered = selection.items.filter((i) => !schedule.serviceIds.has(i.service.id));
  if (notOffered.length > 0)
    throw new DomainError('service_not_offered', `${office.name} does not offer ${notOffered.map((i) => i.service.name_de).join(', ')}`);
  checkSeatWindow(currentSeatRule(schedule, now, 'online'), office.id, request.start);

  const token = newToken(ctx);
  const inserted = await ctx.db
    .insertInto('release_request')
    .values({
      id: newRowId(ctx, now),
      token_hash: hashSecret(token),
      office_id: office.id,
      wave_released_at: new Date(window.waveReleasedAt),
      window_closes_at: new Date(window.closesAt),
      contact_key: contact,
      starts_at: new Date(request.start),
      services: JSON.stringify(selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons }))),
      citizen_name: request.citizen.name.trim(),
      citizen_email: email,
      citizen_phone: phone,
      language: request.language,
      draw: drawFrom(ctx.randomBytes(6)),
      created_at: new Date(now),
    })
    // One entry per person, office and wave: sending again (or a hundred times a second) changes nothing.
    .onConflict((oc) => oc.constraint('release_request_one_per_contact').doNothing())
    .returning('id')
    .executeTakeFirst();
  const duplicate = inserted === undefined;
  return {
    token: duplicate ? null : token,
    duplicate,
    state: 'pending',
    officeId: office.id,
    start: request.start,
    decidesAt: Math.max(window.closesAt, now),
  };
}

/** Pending rows are few (the partial index holds only them), so this is cheap. */
async function hasPendingEntries(ctx: AppContext, officeId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('release_request')
    .select('id')
    .where('state', '=', 'pending')
    .where('office_id', '=', officeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type ReleaseRequestStatus = {
  state: ReleaseRequestState;
  officeId: string;
  start: number;
  decidesAt: number;
  /** Why it was not booked (an error code such as slot_unavailable), else null. */
  outcome: string | null;
  appointment: { reference: string; start: number; status: string } | null;
};

/** What became of an entry, by the token the citizen holds; not_found for unknown tokens. */
export async function releaseRequestStatus(ctx: AppContext, token: string): Promise<ReleaseRequestStatus> {
  const row = await ctx.db
    .selectFrom('release_request as r')
    .leftJoin('appointment as a', 'a.id', 'r.appointment_id')
    .select([
      'r.state',
      'r.office_id',
      'r.starts_at',
      'r.window_closes_at',
      'r.outcome_code',
      'a.reference',
      'a.starts_at as appointment_start',
      'a.status',
    ])
    .where('r.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'Unknown release request');
  return {
    state: row.state,
    officeId: row.office_id,
    start: row.starts_at.getTime(),
    decidesAt: row.window_closes_at.getTime(),
    outcome: row.outcome_code,
    appointment:
      row.reference && row.appointment_start && row.status
        ? { reference: row.reference, start: row.appointment_start.getTime(), status: row.status }
        : null,
  };
}
