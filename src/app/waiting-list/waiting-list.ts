import { sql, type Kysely } from 'kysely';
import type { Weekday } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { criteriaProblems, spreadSlots } from '../../domain/waiting-list.ts';
import type { WaitingListEntryTable } from '../../db/waiting-list-schema.ts';
import type { DB, Language } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import type { Selectable } from 'kysely';
import { chooseChannel, enqueueMessage } from '../messaging/enqueue-message.ts';
import { hashSecret } from '../appointments/appointment-record.ts';
import { confirmHold, decideOffer, lockHold, lockOffer, releaseHold } from '../appointments/holds.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import { validContact } from '../shared/citizen-contact.ts';
import { closureSettings } from '../shared/settings.ts';
import { checkContactLimit } from '../booking/contact-limit.ts';
import type { AppContext } from '../shared/context.ts';
import { renderWaitingListJoined, waitingListUrl } from '../messaging/waiting-list-messages.ts';
import { resolveServiceSelection, type RequestedService } from '../shared/service-selection.ts';
import { isoInZone, localDate } from '../../domain/zoned-time.ts';
import { suitableFreeSlots } from './suitable-slots.ts';
import { newToken } from '../shared/ids.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

/** The free times a refused join reads, and how far apart the five it shows are (one an hour, not 08:00, 08:05 …). */
const FREE_TIMES_READ = 200;
const FREE_TIMES_GAP_MS = 60 * 60_000;

// The waiting list (#5). When no slot is free, a citizen names offices, dates, weekdays and a time of
// day. A sweep on the server's timer looks for free seats that suit waiting entries, in order of
// joining, and holds one for the first entry it suits — the same hold as a replacement offer: a
// reserved appointment that takes its seats (nobody else can book them) until the deadline, with a
// replacement_offer row that has no original appointment. Accepting confirms the hold in one
// transaction; no answer by the deadline gives the seats back, ends the entry and the next sweep
// offers them to the next person. The sweep covers every way capacity frees up (cancellations by
// citizen or office, declined or lapsed replacement offers, a new release wave, added staff)
// without hooks in each of them, and is safe to run from several processes (sweep-waiting-list.ts).
// This file has the entries: joining, the citizen's page, leaving, accepting.

export type EntryRow = Selectable<WaitingListEntryTable>;
export type WaitingState = EntryRow['state'];

export type JoinRequest = {
  services: RequestedService[];
  officeIds: string[];
  earliestDate: string;
  latestDate: string;
  weekdays: number[];
  fromTime: string;
  toTime: string;
  citizen: { name: string; email?: string | null | undefined; phone?: string | null | undefined };
  language: Language;
};

export type WaitingEntryView = {
  state: WaitingState;
  language: Language;
  citizenName: string;
  services: { serviceId: string; persons: number }[];
  officeIds: string[];
  earliestDate: string;
  latestDate: string;
  weekdays: number[];
  fromTime: string;
  toTime: string;
  joinedAt: number;
  /** Place in line per service: 1 + the open entries for that service that joined earlier. null once out of line. */
  positions: { serviceId: string; position: number }[] | null;
  /** The held slot while the entry is offered; the booked one once accepted. */
  offer: { reference: string; officeId: string; start: number; end: number; expiresAt: number; timeZone: string } | null;
};

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const OPEN_STATES = ['waiting', 'offered'] as const;

export function waitingListHoldMs(ctx: AppContext): number {
  return closureSettings(ctx).waitlistHoldHours * 3_600_000;
}

/** The office-local date today (every office of a town shares one zone; Europe/Berlin by default). */
export function today(now: number, timeZone = 'Europe/Berlin'): string {
  return localDate(now, timeZone);
}

/** Joins the waiting list; the token is the citizen's only key to the entry (stored hashed). */
export async function joinWaitingList(ctx: AppContext, request: JoinRequest): Promise<{ token: string; entry: WaitingEntryView }> {
  const now = ctx.now();
  const { email, phone } = validContact(request.citizen);
  const name = request.citizen.name.trim();
  if (!email && !phone) throw new DomainError('contact_required', 'An email address or a phone number is required');
  // An offer is held for hours, not days: the person must be reachable at once.
  // Where to tell this person of an offer: email, else SMS to a mobile when a gateway is configured.
  if (!chooseChannel(ctx, { email, phone }, 'email_or_mobile_sms'))
    throw new DomainError(
      'contact_required',
      'An email address (or a mobile number when SMS is available) is required to be told of an offer',
      { fields: [{ path: 'email', message: 'required' }] },
    );
  const selection = await resolveServiceSelection(ctx, request.services, 'online');
  const officeIds = [...new Set(request.officeIds)];
  const schedules = await cachedSchedules(ctx);
  for (const officeId of officeIds) {
    const schedule = schedules.find((s) => s.office.id === officeId);
    if (!schedule) throw new DomainError('unknown_office', `Unknown office: ${officeId}`, { officeId });
    const missing = selection.items.filter((i) => !schedule.serviceIds.has(i.service.id));
    if (missing.length > 0)
      throw new DomainError(
        'service_not_offered',
        `${schedule.office.name} does not offer ${missing.map((i) => i.service.name_de).join(', ')}`,
        { officeId },
      );
  }
  const weekdays = [...new Set(request.weekdays)].sort() as Weekday[];
  const criteria = {
    officeIds,
    earliestDate: request.earliestDate,
    latestDate: request.latestDate,
    weekdays,
    fromTime: request.fromTime,
    toTime: request.toTime,
  };
  const zone = schedules.find((s) => s.office.id === officeIds[0])?.office.time_zone;
  const problems = criteriaProblems(criteria, today(now, zone));
  if (problems.length > 0)
    throw new DomainError('validation_failed', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });

  const services = selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons }));
  // Free now: the person can book it at once, and an entry would only hold the next free seat
  // back from the public later (#22 item 5). The refusal names the times, so a page can offer them.
  const free = await suitableFreeSlots(ctx, {
    services,
    criteria,
    durationUnits: selection.durationUnits,
    schedules,
    now,
    notBefore: () => now,
    limit: FREE_TIMES_READ,
  });
  if (free.length > 0)
    throw new DomainError('slots_available', 'Suitable times are free: book one of them instead', {
      slots: spreadSlots(free, 5, FREE_TIMES_GAP_MS).map((s) => ({ officeId: s.officeId, start: isoInZone(s.start, s.timeZone) })),
    });
  const token = newToken(ctx);
  const entry = await inTransaction(ctx.db, async (trx) => {
    // One place in line per person and service: a second entry would only push everyone else back.
    const contact = email ? sql`lower(citizen_email) = ${email.toLowerCase()}` : sql`citizen_phone = ${phone}`;
    const twice = await sql<{ n: number }>`SELECT 1 AS n FROM waiting_list_entry WHERE state IN ('waiting', 'offered') AND ${contact}
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(services) s WHERE s->>'serviceId' = ANY(${services.map((s) => s.serviceId)}::text[])) LIMIT 1`.execute(
      trx,
    );
    if (twice.rows.length > 0) throw new DomainError('already_exists', 'You are already on the waiting list for this service');
    const row = await trx
      .insertInto('waiting_list_entry')
      .values({
        services: JSON.stringify(services),
        office_ids: officeIds,
        earliest_date: criteria.earliestDate,
        latest_date: criteria.latestDate,
        weekdays,
        from_time: criteria.fromTime,
        to_time: criteria.toTime,
        citizen_name: name,
        citizen_email: email,
        citizen_phone: phone,
        language: request.language,
        token_hash: hashSecret(token),
        state: 'waiting',
        offer_id: null,
        joined_at: new Date(now),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const names = selection.items.map((i) => `${request.language === 'de' ? i.service.name_de : i.service.name_en} (${i.persons})`);
    const sender = schedules.find((s) => s.office.id === officeIds[0])?.office.name ?? '';
    const town = await officeTownIn(ctx, trx, officeIds[0]!);
    const message = renderWaitingListJoined({
      language: request.language,
      citizenName: name,
      services: names,
      link: waitingListUrl(town.siteUrl, token),
      sender,
    });
    await enqueueMessage(ctx, trx, {
      key: `waiting-joined:${row.id}`,
      to: { email, phone },
      message,
      policy: 'email_or_mobile_sms',
      from: town.mailFrom,
    });
    return row;
  });
  return { token, entry: await viewOf(ctx.db, entry) };
}

export async function readWaitingEntry(ctx: AppContext, token: string): Promise<WaitingEntryView> {
  return viewOf(ctx.db, await findEntry(ctx.db, token));
}

/** Leaves the waiting list; an offer held at that moment is declined and its seats go back. */
export async function leaveWaitingList(ctx: AppContext, token: string): Promise<WaitingEntryView> {
  const now = ctx.now();
  const entry = await inTransaction(ctx.db, async (trx) => {
    const entry = await findEntry(trx, token, true);
    if (entry.state === 'left') return entry;
    if (entry.state !== 'waiting' && entry.state !== 'offered')
      throw new DomainError('invalid_state', `The entry is ${entry.state}`, { state: entry.state });
    const offer = entry.state === 'offered' ? await lockOffer(trx, entry.offer_id) : null;
    if (offer?.state === 'held') {
      if (offer.held_appointment_id) await releaseHold(trx, offer.held_appointment_id, now, 'cancelled', 'citizen');
      await decideOffer(trx, offer, 'declined', now);
    }
    return trx
      .updateTable('waiting_list_entry')
      .set({ state: 'left', ended_at: new Date(now) })
      .where('id', '=', entry.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return viewOf(ctx.db, entry);
}

/** Declining an offer is leaving the list: the slot goes to the next person. */
export const declineWaitingOffer = leaveWaitingList;

/** Takes the held slot: the hold becomes a confirmed appointment, its confirmation mail carries the manage link. */
export async function acceptWaitingOffer(
  ctx: AppContext,
  token: string,
): Promise<{ appointmentId: string; manageToken: string | null; entry: WaitingEntryView }> {
  const now = ctx.now();
  const result = await inTransaction(ctx.db, async (trx) => {
    const entry = await findEntry(trx, token, true);
    const offer = await lockOffer(trx, entry.offer_id);
    // Pressing the button twice books once.
    if (entry.state === 'booked' && offer?.held_appointment_id)
      return { entry, appointmentId: offer.held_appointment_id, manageToken: null };
    if (entry.state !== 'offered' || !offer || offer.state !== 'held' || !offer.held_appointment_id)
      throw new DomainError('invalid_state', `The entry is ${entry.state}`, { state: entry.state });
    if (offer.expires_at.getTime() <= now) throw new DomainError('reservation_expired', 'The offer has lapsed');
    const hold = await lockHold(trx, offer.held_appointment_id);
    if (hold.status !== 'reserved') throw new DomainError('reservation_expired', 'The offer has lapsed');
    // The hold stays theirs until the deadline: after cancelling the other appointment they may still accept.
    await checkContactLimit(ctx, trx, {
      email: hold.citizen_email,
      phone: hold.citizen_phone,
      serviceIds: entry.services.map((s) => s.serviceId),
      exclude: [hold.id],
    });
    const { manageToken } = await confirmHold(ctx, trx, hold, { now, channel: 'waiting_list' });
    await decideOffer(trx, offer, 'accepted', now);
    const booked = await trx
      .updateTable('waiting_list_entry')
      .set({ state: 'booked', ended_at: new Date(now) })
      .where('id', '=', entry.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { entry: booked, appointmentId: hold.id, manageToken };
  });
  return { appointmentId: result.appointmentId, manageToken: result.manageToken, entry: await viewOf(ctx.db, result.entry) };
}

/**
 * The entry behind a link: the token from joining, or the token of an offer made to the entry (the
 * offer message's link). Both lead to the same page and may do the same things.
 */
async function findEntry(db: Kysely<DB> | Trx, token: string, lock = false): Promise<EntryRow> {
  if (!TOKEN.test(token)) throw new DomainError('not_found', 'No waiting-list entry for this link');
  const hash = hashSecret(token);
  let query = db
    .selectFrom('waiting_list_entry')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('token_hash', '=', hash),
        eb(
          'id',
          '=',
          eb
            .selectFrom('replacement_offer')
            .select('waiting_entry_id')
            .where('token_hash', '=', hash)
            .where('waiting_entry_id', 'is not', null),
        ),
      ]),
    );
  if (lock) query = query.forUpdate();
  const entry = await query.executeTakeFirst();
  if (!entry) throw new DomainError('not_found', 'No waiting-list entry for this link');
  return entry;
}

async function viewOf(db: Kysely<DB>, entry: EntryRow): Promise<WaitingEntryView> {
  const open = (OPEN_STATES as readonly string[]).includes(entry.state);
  let positions: WaitingEntryView['positions'] = null;
  if (open) {
    positions = [];
    for (const s of entry.services) {
      // Everyone still in line for the service who joined earlier (equal instants: by id, as the sweep orders them).
      const r = await sql<{ n: string }>`SELECT count(*) AS n FROM waiting_list_entry
        WHERE state IN ('waiting', 'offered') AND services @> ${JSON.stringify([{ serviceId: s.serviceId }])}::jsonb
          AND (joined_at < ${entry.joined_at} OR (joined_at = ${entry.joined_at} AND id < ${entry.id}::uuid))`.execute(db);
      positions.push({ serviceId: s.serviceId, position: Number(r.rows[0]?.n ?? 0) + 1 });
    }
  }
  let offer: WaitingEntryView['offer'] = null;
  if (entry.offer_id && (entry.state === 'offered' || entry.state === 'booked')) {
    const row = await db
      .selectFrom('replacement_offer as o')
      .innerJoin('appointment as a', 'a.id', 'o.held_appointment_id')
      .innerJoin('office as f', 'f.id', 'a.office_id')
      .select(['a.reference', 'a.office_id', 'a.starts_at', 'a.ends_at', 'o.expires_at', 'f.time_zone'])
      .where('o.id', '=', entry.offer_id)
      .executeTakeFirst();
    if (row)
      offer = {
        reference: row.reference,
        officeId: row.office_id,
        start: row.starts_at.getTime(),
        end: row.ends_at.getTime(),
        expiresAt: row.expires_at.getTime(),
        timeZone: row.time_zone,
      };
  }
  return {
    state: entry.state,
    language: entry.language,
    citizenName: entry.citizen_name,
    services: entry.services,
    officeIds: entry.office_ids,
    earliestDate: entry.earliest_date,
    latestDate: entry.latest_date,
    weekdays: entry.weekdays,
    fromTime: entry.from_time,
    toTime: entry.to_time,
    joinedAt: entry.joined_at.getTime(),
    positions,
    offer,
  };
}
