import { messageTemplates, templateFor } from '../messaging/message-templates.ts';
import { sql, type Kysely } from 'kysely';
import { UNIT_MS, type Weekday } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { earliestOfferableStart, waitingOfferDeadline, type FreeSlot } from '../../domain/waiting-list.ts';
import type { Appointment, DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { createHolds, decideOffer, insertOffers, lockOffer, releaseHold } from '../appointments/holds.ts';
import { hasReachedContactLimit } from '../booking/contact-limit.ts';
import { takeSeats } from '../booking/seat-allocation.ts';
import { enqueueMessage } from '../messaging/enqueue-message.ts';
import { renderWaitingListOffer, waitingListUrl } from '../messaging/waiting-list-messages.ts';
import { cachedSchedules, catalogue, type OfficeSchedule } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { resolveServiceSelection } from '../shared/service-selection.ts';
import { suitableFreeSlots } from './suitable-slots.ts';
import { today, waitingListHoldMs, type EntryRow } from './waiting-list.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

// The waiting list's sweep (#5): on the server's timer it ends lapsed offers and outdated entries,
// then holds free seats for waiting entries in order of joining and tells them. The entries
// themselves (joining, the citizen's page, leaving, accepting) are in waiting-list.ts.

/** Waiting entries read per query of a sweep (a sweep reads them all, page by page). */
const SWEEP_BATCH = 500;

export type SweepReport = {
  lapsed: number;
  outdated: number;
  offered: number;
  looked: number;
  /** Entries passed over because their person is at the per-contact limit (they stay in line). */
  atLimit: number;
  /** Another sweep was running: this one did nothing. */
  skipped: boolean;
};

const running = new WeakSet<Kysely<DB>>();
const SWEEP_JOB = 'waiting_list.sweep';
/** A sweep still unfinished after this long has died with its process; another may start. */
const SWEEP_STALE_MS = 5 * 60_000;

/**
 * One run of the waiting list: lapsed offers end (their seats go back), entries whose dates have
 * passed end, then free seats are held for waiting entries in order of joining.
 *
 * One sweep at a time, across processes: two at once would each skip the entry the other has
 * locked and give its seat to someone who joined later. A sweep claims a job_run row under an
 * advisory transaction lock (works on PostgreSQL and on PGlite's single connection); a sweep that
 * finds another running simply skips its turn. Runs that changed something stay in job_run as a log.
 */
export async function sweepWaitingList(ctx: AppContext, options: { batch?: number } = {}): Promise<SweepReport> {
  const idle = { lapsed: 0, outdated: 0, offered: 0, looked: 0, atLimit: 0, skipped: true };
  if (running.has(ctx.db)) return idle;
  running.add(ctx.db);
  try {
    const started = ctx.now();
    const runId = await inTransaction(ctx.db, async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${SWEEP_JOB}))`.execute(trx);
      const busy = await trx
        .selectFrom('job_run')
        .select('id')
        .where('job', '=', SWEEP_JOB)
        .where('finished_at', 'is', null)
        .where('started_at', '>', new Date(started - SWEEP_STALE_MS))
        .executeTakeFirst();
      if (busy) return null;
      return (
        await trx
          .insertInto('job_run')
          .values({ job: SWEEP_JOB, started_at: new Date(started), details: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    if (runId === null) return idle;
    let report: SweepReport | null = null;
    try {
      const lapsed = await expireWaitingOffers(ctx);
      const outdated = await expireOutdatedEntries(ctx);
      const { offered, looked, atLimit } = await offerFreeSeats(ctx, options.batch ?? SWEEP_BATCH);
      report = { lapsed, outdated, offered, looked, atLimit, skipped: false };
      return report;
    } finally {
      const changed = report !== null && report.lapsed + report.outdated + report.offered > 0;
      if (changed)
        await ctx.db
          .updateTable('job_run')
          .set({ finished_at: new Date(ctx.now()), details: JSON.stringify(report) })
          .where('id', '=', runId)
          .execute();
      else await ctx.db.deleteFrom('job_run').where('id', '=', runId).execute();
    }
  } finally {
    running.delete(ctx.db);
  }
}

/** Offers nobody answered by the deadline (or that another job already let lapse): the entry is over. */
export async function expireWaitingOffers(ctx: AppContext, batchSize = 200): Promise<number> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const due = await trx
      .selectFrom('waiting_list_entry as e')
      .innerJoin('replacement_offer as o', 'o.id', 'e.offer_id')
      .leftJoin('appointment as a', 'a.id', 'o.held_appointment_id')
      .selectAll('e')
      .select(['a.status as holdStatus', 'o.expires_at as offerExpiresAt'])
      .where('e.state', '=', 'offered')
      // Lapsed, decided elsewhere, or the held appointment cancelled under it (an office closure).
      .where((eb) =>
        eb.or([eb('o.state', '!=', 'held'), eb('o.expires_at', '<=', new Date(now)), eb('a.status', 'not in', ['reserved', 'confirmed'])]),
      )
      .orderBy('e.joined_at')
      .limit(batchSize)
      .forUpdate('e')
      .skipLocked()
      .execute();
    for (const entry of due) {
      const offer = await lockOffer(trx, entry.offer_id);
      // The office took the seat away before the deadline: not the citizen's doing, so they keep their place.
      const takenByOffice = entry.holdStatus === 'cancelled' && entry.offerExpiresAt.getTime() > now && offer?.state === 'held';
      if (offer?.state === 'held') {
        if (offer.held_appointment_id) await releaseHold(trx, offer.held_appointment_id, now, 'expired', 'system');
        await decideOffer(trx, offer, 'expired', now);
      }
      if (takenByOffice) {
        await trx.updateTable('waiting_list_entry').set({ state: 'waiting', offer_id: null }).where('id', '=', entry.id).execute();
        continue;
      }
      // Accepted through another path cannot happen (only this module knows the entry's token); anything else ends the entry.
      await trx
        .updateTable('waiting_list_entry')
        .set({ state: offer?.state === 'accepted' ? 'booked' : 'expired', ended_at: new Date(now) })
        .where('id', '=', entry.id)
        .execute();
    }
    return due.length;
  });
}

/**
 * A closure takes away seats held for waiting-list offers. The hold is cancelled (its seats go back),
 * the offer ends, and the entry is back in line at its old place, where the next sweep may offer it
 * another slot. The closure tells these people nothing: they had not accepted, so no appointment of
 * theirs is cancelled, and their entry page (the offer mail's link) shows them waiting again.
 */
export async function withdrawWaitingOffers(trx: Trx, holdIds: string[], now: number, actor: string): Promise<number> {
  if (holdIds.length === 0) return 0;
  // Entry first, then offer, then hold: the order acceptWaitingOffer locks them in.
  const entries = await trx
    .selectFrom('waiting_list_entry as e')
    .innerJoin('replacement_offer as o', 'o.id', 'e.offer_id')
    .selectAll('e')
    .where('o.held_appointment_id', 'in', holdIds)
    .where('e.state', '=', 'offered')
    .orderBy('e.id')
    .forUpdate('e')
    .execute();
  let withdrawn = 0;
  for (const entry of entries) {
    const offer = await lockOffer(trx, entry.offer_id);
    if (offer?.state !== 'held' || !offer.held_appointment_id) continue;
    await releaseHold(trx, offer.held_appointment_id, now, 'cancelled', actor);
    await decideOffer(trx, offer, 'expired', now);
    await trx.updateTable('waiting_list_entry').set({ state: 'waiting', offer_id: null }).where('id', '=', entry.id).execute();
    withdrawn++;
  }
  return withdrawn;
}

async function expireOutdatedEntries(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const r = await ctx.db
    .updateTable('waiting_list_entry')
    .set({ state: 'expired', ended_at: new Date(now) })
    .where('state', '=', 'waiting')
    .where('latest_date', '<', today(now))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Every waiting entry, in joining order, page by page: someone far down the line may want what nobody ahead of them does. */
async function offerFreeSeats(ctx: AppContext, batch: number): Promise<{ offered: number; looked: number; atLimit: number }> {
  const now = ctx.now();
  const schedules = await cachedSchedules(ctx);
  // Per zone, worked out once per sweep (Temporal is slow in a loop over thousands of entries).
  const earliest = new Map<string, number>();
  const notBefore = (timeZone: string) =>
    earliest.get(timeZone) ?? earliest.set(timeZone, earliestOfferableStart(now, timeZone)).get(timeZone)!;
  let offered = 0;
  let looked = 0;
  let atLimit = 0;
  let after: { joinedAt: Date; id: string } | null = null;
  for (;;) {
    const cursor: { joinedAt: Date; id: string } | null = after;
    const waiting: EntryRow[] = await ctx.db
      .selectFrom('waiting_list_entry')
      .selectAll()
      .where('state', '=', 'waiting')
      .$if(cursor !== null, (qb) =>
        qb.where((eb) =>
          eb.or([eb('joined_at', '>', cursor!.joinedAt), eb.and([eb('joined_at', '=', cursor!.joinedAt), eb('id', '>', cursor!.id)])]),
        ),
      )
      .orderBy('joined_at')
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const entry of waiting) {
      looked++;
      // Someone with as many open appointments for these services as the per-contact limit allows
      // could not accept (contact_limit_reached): a hold would keep the seat from everyone for the
      // whole hold period. The seat goes to the next in line instead. The entry keeps its place: the
      // person may cancel the other appointment (then the next sweep offers them a seat) or keep it
      // (then the entry runs out with its dates, or they leave). Looked at before the search, which
      // costs far more than the count. Seats held for their other offers do not count (contact-limit.ts).
      if (
        await hasReachedContactLimit(ctx, ctx.db, {
          email: entry.citizen_email,
          phone: entry.citizen_phone,
          serviceIds: entry.services.map((s) => s.serviceId),
          exclude: [],
        })
      ) {
        atLimit++;
        continue;
      }
      const slot = await findSlotFor(ctx, entry, schedules, now, notBefore).catch((error: unknown) => {
        // A service taken off the online catalogue, an office closed for good: nothing to offer, keep waiting.
        if (error instanceof DomainError) return null;
        throw error;
      });
      if (!slot) continue;
      if (await holdFor(ctx, entry, slot, schedules)) offered++;
    }
    if (waiting.length < batch) return { offered, looked, atLimit };
    const last = waiting[waiting.length - 1]!;
    after = { joinedAt: last.joined_at, id: last.id };
  }
}

type Found = FreeSlot & { durationUnits: number; services: { serviceId: string; persons: number }[] };

/** The earliest free start that suits the entry, with the seat rules of an online booking. */
async function findSlotFor(
  ctx: AppContext,
  entry: EntryRow,
  schedules: OfficeSchedule[],
  now: number,
  notBefore: (timeZone: string) => number,
): Promise<Found | null> {
  const services = entry.services;
  const selection = await resolveServiceSelection(ctx, services, 'online');
  const [match] = await suitableFreeSlots(ctx, {
    services,
    criteria: {
      officeIds: entry.office_ids,
      earliestDate: entry.earliest_date,
      latestDate: entry.latest_date,
      weekdays: entry.weekdays as Weekday[],
      fromTime: entry.from_time,
      toTime: entry.to_time,
    },
    durationUnits: selection.durationUnits,
    schedules,
    now,
    notBefore,
    limit: 1,
  });
  return match ? { ...match, durationUnits: selection.durationUnits, services } : null;
}

/** Holds the slot for the entry and tells them, in one transaction; false when someone was faster. */
async function holdFor(ctx: AppContext, entry: EntryRow, slot: Found, schedules: OfficeSchedule[]): Promise<boolean> {
  const now = ctx.now();
  const schedule = schedules.find((s) => s.office.id === slot.officeId)!;
  const deadline = waitingOfferDeadline({
    now,
    slotStart: slot.start,
    holdMs: waitingListHoldMs(ctx),
    timeZone: schedule.office.time_zone,
  });
  const end = slot.start + slot.durationUnits * UNIT_MS;
  // Read before the transaction: an expired catalogue snapshot reloads through ctx.db, which on the
  // embedded database's single connection would wait for this very transaction for ever.
  const { services: catalogueServices } = await catalogue(ctx);
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const current = await trx
        .selectFrom('waiting_list_entry')
        .selectAll()
        .where('id', '=', entry.id)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (current?.state !== 'waiting') return false;
      // The seat rule of an online booking: the waiting list gets what the public could book, first.
      await takeSeats(trx, { schedule, start: slot.start, durationUnits: slot.durationUnits, channel: 'online', now });
      const [hold] = (await createHolds(
        ctx,
        trx,
        [
          {
            slot: { officeId: slot.officeId, start: slot.start, end },
            deadline,
            citizen: { name: current.citizen_name, email: current.citizen_email, phone: current.citizen_phone },
            language: current.language,
            source: 'online',
            services: slot.services,
            details: { channel: 'waiting_list' },
          },
        ],
        now,
      )) as [Appointment];
      // The offer's own link: the entry's token is stored only hashed, so the message cannot carry it.
      const [offer] = (await insertOffers(
        ctx,
        trx,
        [
          {
            closureId: null,
            originalAppointmentId: null,
            heldAppointmentId: hold.id,
            waitingEntryId: current.id,
            state: 'held',
            expiresAt: deadline,
            remindAt: null,
          },
        ],
        now,
      )) as [{ id: string; token: string }];
      const { id: offerId, token: offerToken } = offer;
      await trx.updateTable('waiting_list_entry').set({ state: 'offered', offer_id: offerId }).where('id', '=', current.id).execute();
      const names = slot.services.map((s) => {
        const service = catalogueServices.find((c) => c.id === s.serviceId);
        return `${current.language === 'de' ? (service?.name_de ?? s.serviceId) : (service?.name_en ?? s.serviceId)} (${s.persons})`;
      });
      const town = await officeTownIn(ctx, trx, schedule.office.id);
      const message = renderWaitingListOffer(
        {
          language: current.language,
          citizenName: current.citizen_name,
          reference: hold.reference,
          start: new Date(slot.start),
          end: new Date(end),
          deadline: new Date(deadline),
          office: { name: schedule.office.name, address: schedule.office.address, timeZone: schedule.office.time_zone },
          services: names,
          link: waitingListUrl(town.siteUrl, offerToken),
        },
        templateFor(await messageTemplates(ctx, town.id, trx), 'waiting_list_offer', current.language),
      );
      await enqueueMessage(ctx, trx, {
        key: `waiting-offer:${current.id}:${hold.id}`,
        to: { email: current.citizen_email, phone: current.citizen_phone },
        message,
        policy: 'email_or_mobile_sms',
        from: town.mailFrom,
      });
      return true;
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'slot_unavailable') return false;
    throw error;
  }
}
