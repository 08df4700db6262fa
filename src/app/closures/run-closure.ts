import { sql, type Kysely } from 'kysely';
import { UNIT_MS } from '../../domain/capacity-types.ts';
import { offerDeadline, offerReminderAt } from '../../domain/closure.ts';
import { DomainError } from '../../domain/errors.ts';
import { ReplacementFinder, replacementWindow, type HeldSlot, type OfficeUnits } from '../../domain/replacement.ts';
import type { Closure } from '../../db/closure-schema.ts';
import type { Appointment, DB, NewOutboxMessage, Service } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { moveAppointments } from '../appointments/appointment-rows.ts';
import { createHolds, insertOffers, reminderKey } from '../appointments/holds.ts';
import { releaseLeaseBookings } from '../booking/branch-lease.ts';
import { catalogue, type OfficeSchedule } from '../shared/catalogue.ts';
import { closureSettings, type ClosureSettings } from '../shared/settings.ts';
import type { AppContext } from '../shared/context.ts';
import { renderClosureNotice, renderOfferReminder, type OfficeFacts } from '../messaging/closure-messages.ts';
import { addToCallList, enqueueMessages, outboxRow, type CallListEntry } from '../messaging/enqueue-message.ts';
import { offerLinks } from './offer-links.ts';
import { changeLoads, returnLeaseSeats, takeReplacementSeats, type LoadChange } from '../../db/capacity-units.ts';
import { readReplacementUnits } from '../../db/capacity-unit-reads.ts';
import { readMessageTemplates, templateFor, type TemplateSet } from '../messaging/message-templates.ts';
import { newEntityId } from '../shared/ids.ts';
import { officeTown, officeTownIn } from '../setup/town-site-url.ts';

export type ClosureProgress = { closureId: string; total: number; done: number; skipped: number; pending: number };

/** The closed office has no free slot left for someone: load the other offices and redo the batch. */
class NeedOtherOffices extends Error {
  constructor() {
    super('the closed office cannot hold every replacement');
  }
}

/** Someone else took a seat the job had planned to hold: reload those offices and redo the batch. */
class SeatConflict extends Error {
  constructor(readonly officeIds: string[]) {
    super('replacement seats were taken concurrently');
  }
}

type Item = { appointment_id: string; channel: 'email' | 'sms' | 'call' | 'none' };
type ServiceLine = { appointment_id: string; service: Service; persons: number };

/**
 * Works through a closure's pending items in batches. Each batch is one transaction: the
 * appointments are cancelled and their seats given back, a replacement is held for each, the offer
 * and the message (outbox row or call-list entry) are written and the items marked done. A crash
 * loses at most the batch in flight, which is rolled back whole; a second run (or a second process)
 * picks up exactly the items still pending, so nobody is cancelled, held or told twice.
 */
export async function runClosure(
  ctx: AppContext,
  closureId: string,
  options: { onProgress?: (p: ClosureProgress) => void; signal?: AbortSignal } = {},
): Promise<ClosureProgress> {
  const closure = await ctx.db.selectFrom('closure').selectAll().where('id', '=', closureId).executeTakeFirst();
  if (!closure) throw new DomainError('not_found', 'No such closure', { closureId });
  const settings = closureSettings(ctx);
  // The wording of the office's town, read once per run (a text saved meanwhile applies from the next run).
  const town = await officeTown(ctx, closure.office_id);
  const job = new ClosureJob(ctx, closure, settings, await readMessageTemplates(ctx.db, town.id));
  for (;;) {
    // Stopping (server shutdown) between batches: what is done is committed, the rest stays pending.
    if (options.signal?.aborted) return closureCounts(ctx.db, closureId);
    const processed = await job.batch();
    const progress = await closureCounts(ctx.db, closureId);
    options.onProgress?.(progress);
    if (processed === 0) break;
    if (settings.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.pauseMs));
  }
  const progress = await closureCounts(ctx.db, closureId);
  if (progress.pending === 0) {
    await ctx.db
      .updateTable('closure')
      .set({ state: 'done', finished_at: new Date(ctx.now()) })
      .where('id', '=', closureId)
      .where('state', '=', 'running')
      .execute();
  }
  return progress;
}

/** Closures whose job has not finished (after a crash or a restart): the server resumes them. */
export async function unfinishedClosures(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('closure').select('id').where('state', '=', 'running').orderBy('created_at').execute();
  return rows.map((r) => r.id);
}

export async function closureCounts(db: Kysely<DB>, closureId: string): Promise<ClosureProgress> {
  const rows = await db
    .selectFrom('closure_item')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('closure_id', '=', closureId)
    .groupBy('state')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { closureId, total: n('pending') + n('done') + n('skipped'), done: n('done'), skipped: n('skipped'), pending: n('pending') };
}

/**
 * Cancels a closure's appointments and gives their seats back (and a branch lease's walk-in seats).
 * The closure job does this per batch; `setup apply --close-affected` in its own transaction, before
 * it lays out the plan that has no seats for them.
 */
export async function cancelForClosure(
  trx: Trx,
  closure: Pick<Closure, 'id' | 'created_by'>,
  appointments: Appointment[],
  now: number,
): Promise<void> {
  if (appointments.length === 0) return;
  await moveAppointments(trx, appointments, {
    to: 'cancelled',
    at: now,
    actor: closure.created_by,
    action: 'cancelled',
    details: { reason: 'office', closureId: closure.id },
    set: { reserved_until: null },
  });
  // Walk-in slots of the branch lease (#6): beyond the lease they hold no seat, within it lease seats.
  const lease = await releaseLeaseBookings(
    trx,
    appointments.map((a) => a.id),
  );
  // One change per unit: an UPDATE … FROM applies only one of several source rows to a unit.
  const seats = new Map<string, LoadChange>();
  const leaseSeats: LoadChange[] = [];
  for (const a of appointments) {
    if (lease.get(a.id) === false) continue;
    for (let t = a.starts_at.getTime(); t < a.ends_at.getTime(); t += UNIT_MS) {
      const key = `${a.office_id}\u0000${t}`;
      const change = seats.get(key);
      if (change) change.n--;
      else seats.set(key, { officeId: a.office_id, start: t, n: -1 });
      if (lease.get(a.id) === true) leaseSeats.push({ officeId: a.office_id, start: t, n: 1 });
    }
  }
  await changeLoads(trx, [...seats.values()]);
  await returnLeaseSeats(trx, leaseSeats);
}

class ClosureJob {
  private finder: ReplacementFinder | null = null;
  private windows = new Map<string, OfficeUnits>();

  constructor(
    private readonly ctx: AppContext,
    private readonly closure: Closure,
    private readonly settings: ClosureSettings,
    private readonly templates: TemplateSet,
  ) {}

  async batch(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Everything read outside the transaction first: PGlite has one connection, held by the transaction.
        const { schedules } = await catalogue(this.ctx);
        if (this.closure.offer_replacements) await this.ensureFinder(schedules, this.ctx.now());
        return await inTransaction(this.ctx.db, (trx) => this.process(trx, schedules));
      } catch (error) {
        if (error instanceof NeedOtherOffices && !this.allOfficesLoaded) {
          await this.loadOtherOffices();
          continue;
        }
        if (!(error instanceof SeatConflict) || attempt >= 10) throw error;
        for (const officeId of error.officeIds) await this.reloadOffice(officeId);
      }
    }
  }

  private async process(trx: Trx, schedules: OfficeSchedule[]): Promise<number> {
    const { closure, ctx } = this;
    const now = ctx.now();
    const items: Item[] = await trx
      .selectFrom('closure_item')
      .select(['appointment_id', 'channel'])
      .where('closure_id', '=', closure.id)
      .where('state', '=', 'pending')
      .orderBy('original_start')
      .orderBy('appointment_id')
      .limit(this.settings.batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (items.length === 0) return 0;
    const ids = items.map((i) => i.appointment_id);
    const rows = await trx.selectFrom('appointment').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const from = closure.starts_at.getTime();
    const to = closure.ends_at.getTime();
    // A set-up change (setup apply --close-affected) cancelled its appointments when it opened the
    // closure, in the transaction that took their seats away; the job only tells and re-offers.
    const cancelledOnOpen = closure.setup_revision !== null;
    // Still open and still in the closed range (not cancelled or moved away by its citizen meanwhile).
    const live = items.filter((i) => {
      const a = byId.get(i.appointment_id);
      if (cancelledOnOpen) return a?.status === 'cancelled';
      return (
        a &&
        (a.status === 'reserved' || a.status === 'confirmed') &&
        a.office_id === closure.office_id &&
        a.starts_at.getTime() < to &&
        a.ends_at.getTime() > from
      );
    });
    const services = await this.servicesOf(
      trx,
      live.map((i) => i.appointment_id),
    );

    if (!cancelledOnOpen)
      await cancelForClosure(
        trx,
        closure,
        live.map((i) => byId.get(i.appointment_id)!),
        now,
      );
    const holds = closure.offer_replacements
      ? await this.holdReplacements(
          trx,
          live.map((i) => byId.get(i.appointment_id)!),
          services,
          schedules,
        )
      : new Map<string, HeldSlot>();
    const written = await this.writeOffersAndMessages(trx, live, byId, holds, services, schedules, now);

    const liveIds = new Set(live.map((i) => i.appointment_id));
    await sql`
      UPDATE closure_item ci SET state = v.state, offer_id = v.offer_id::uuid, message_key = v.message_key, processed_at = ${new Date(now)}
      FROM unnest(${ids}::uuid[], ${ids.map((id) => (liveIds.has(id) ? 'done' : 'skipped'))}::text[],
                  ${ids.map((id) => written.get(id)?.offerId ?? null)}::text[], ${ids.map((id) => written.get(id)?.messageKey ?? null)}::text[])
        AS v(appointment_id, state, offer_id, message_key)
      WHERE ci.closure_id = ${closure.id} AND ci.appointment_id = v.appointment_id`.execute(trx);
    return items.length;
  }

  private async holdReplacements(
    trx: Trx,
    appointments: Appointment[],
    services: Map<string, ServiceLine[]>,
    schedules: OfficeSchedule[],
  ): Promise<Map<string, HeldSlot>> {
    const finder = this.finder!;
    const holds = new Map<string, HeldSlot>();
    for (const a of appointments) {
      const needed = (services.get(a.id) ?? []).map((s) => s.service.id);
      const offering = schedules.filter((s) => needed.every((id) => s.serviceIds.has(id))).map((s) => s.office.id);
      if (!offering.includes(a.office_id) && offering.length === 0) continue;
      const durationUnits = Math.round((a.ends_at.getTime() - a.starts_at.getTime()) / UNIT_MS);
      const slot = finder.find({
        preferredOfficeId: offering.includes(a.office_id) ? a.office_id : '',
        otherOfficeIds: offering.filter((id) => id !== a.office_id),
        durationUnits,
      });
      if (!slot) {
        if (!this.allOfficesLoaded && offering.some((id) => id !== a.office_id)) throw new NeedOtherOffices();
        continue;
      }
      finder.take(slot);
      holds.set(a.id, slot);
    }
    if (holds.size === 0) return holds;
    const perUnit = new Map<string, number>();
    for (const slot of holds.values()) {
      for (const t of slot.unitStarts) perUnit.set(`${slot.officeId}\u0000${t}`, (perUnit.get(`${slot.officeId}\u0000${t}`) ?? 0) + 1);
    }
    const entries = [...perUnit].map(([key, n]) => {
      const [officeId, t] = key.split('\u0000') as [string, string];
      return { officeId, start: Number(t), n, limit: this.windows.get(officeId)!.limit };
    });
    // Guarded: each unit only if the seats are still there now (the in-memory picture may be stale).
    const taken = await takeReplacementSeats(trx, entries);
    if (taken.length !== entries.length) throw new SeatConflict([...new Set(entries.map((e) => e.officeId))]);
    return holds;
  }

  private async writeOffersAndMessages(
    trx: Trx,
    live: Item[],
    byId: Map<string, Appointment>,
    holds: Map<string, HeldSlot>,
    services: Map<string, ServiceLine[]>,
    schedules: OfficeSchedule[],
    now: number,
  ): Promise<Map<string, { offerId: string; messageKey: string | null }>> {
    const { closure, ctx } = this;
    const written = new Map<string, { offerId: string; messageKey: string | null }>();
    if (live.length === 0) return written;
    const officeOf = (id: string) => schedules.find((s) => s.office.id === id)!.office;
    const facts = (id: string): OfficeFacts => {
      const o = officeOf(id);
      return { name: o.name, address: o.address, phone: o.phone, timeZone: o.time_zone };
    };
    const heldRows: { original: Appointment; slot: HeldSlot; id: string; deadline: number }[] = [];
    for (const item of live) {
      const slot = holds.get(item.appointment_id);
      if (!slot) continue;
      heldRows.push({
        original: byId.get(item.appointment_id)!,
        slot,
        id: newEntityId(ctx),
        deadline: offerDeadline({ now, slotStart: slot.start, holdHours: closure.hold_hours }),
      });
    }
    const inserted = await createHolds(
      ctx,
      trx,
      heldRows.map((h) => ({
        id: h.id,
        slot: h.slot,
        deadline: h.deadline,
        citizen: { name: h.original.citizen_name, email: h.original.citizen_email, phone: h.original.citizen_phone },
        language: h.original.language,
        source: 'rebooking',
        services: (services.get(h.original.id) ?? []).map((s) => ({ serviceId: s.service.id, persons: s.persons })),
        details: { closureId: closure.id, replaces: h.original.id },
      })),
      now,
    );
    const references = new Map(inserted.map((a) => [a.id, a.reference]));
    const heldBy = new Map(heldRows.map((h) => [h.original.id, h]));
    const offers = await insertOffers(
      ctx,
      trx,
      live.map((i) => {
        const h = heldBy.get(i.appointment_id);
        return {
          closureId: closure.id,
          originalAppointmentId: i.appointment_id,
          heldAppointmentId: h?.id ?? null,
          waitingEntryId: null,
          state: h ? 'held' : 'none',
          expiresAt: h ? h.deadline : now + closure.hold_hours * 3_600_000,
          remindAt: h ? offerReminderAt({ now, deadline: h.deadline }) : null,
        };
      }),
      now,
    );

    const outbox: NewOutboxMessage[] = [];
    const calls: CallListEntry[] = [];
    for (const [k, item] of live.entries()) {
      const offer = offers[k]!;
      const a = byId.get(item.appointment_id)!;
      const h = heldBy.get(a.id);
      const key = `closure:${closure.id}:${a.id}`;
      const { siteUrl, mailFrom } = await officeTownIn(ctx, trx, a.office_id);
      if (item.channel === 'call' || item.channel === 'none') {
        calls.push({ officeId: a.office_id, closureId: closure.id, appointmentId: a.id, offerId: offer.id, reason: 'no_channel', at: now });
        written.set(a.id, { offerId: offer.id, messageKey: null });
        continue;
      }
      // The channel was chosen when the closure was opened (closure_item.channel); this only writes it.
      const to = { email: a.citizen_email, phone: a.citizen_phone };
      const de = a.language === 'de';
      const notice = renderClosureNotice(
        {
          language: a.language,
          reference: a.reference,
          citizenName: a.citizen_name,
          reason: closure.reason,
          original: { start: a.starts_at, office: facts(a.office_id) },
          services: (services.get(a.id) ?? []).map((s) => `${de ? s.service.name_de : s.service.name_en} (${s.persons})`),
          held: h
            ? {
                start: new Date(h.slot.start),
                end: new Date(h.slot.end),
                office: facts(h.slot.officeId),
                reference: references.get(h.id)!,
                deadline: new Date(h.deadline),
              }
            : null,
          links: offerLinks(siteUrl, offer.token),
        },
        templateFor(this.templates, 'closure_notice', a.language),
      );
      const remindAt = h ? offerReminderAt({ now, deadline: h.deadline }) : null;
      if (h && remindAt !== null) {
        // Written now, sent later: the reminder needs the offer link, and only this transaction knows the token.
        const reminder = renderOfferReminder(
          {
            language: a.language,
            citizenName: a.citizen_name,
            reference: references.get(h.id)!,
            held: { start: new Date(h.slot.start), office: facts(h.slot.officeId), deadline: new Date(h.deadline) },
            links: offerLinks(siteUrl, offer.token),
          },
          templateFor(this.templates, 'replacement_reminder', a.language),
        );
        outbox.push(
          outboxRow({ key: reminderKey(offer.id), channel: item.channel, to, message: reminder, from: mailFrom, now, dueAt: remindAt }),
        );
      }
      outbox.push(outboxRow({ key, channel: item.channel, to, message: notice, from: mailFrom, now }));
      written.set(a.id, { offerId: offer.id, messageKey: key });
    }
    await enqueueMessages(trx, outbox);
    await addToCallList(trx, calls);
    return written;
  }

  private async servicesOf(trx: Trx, appointmentIds: string[]) {
    const services = new Map<string, ServiceLine[]>();
    if (appointmentIds.length > 0) {
      const rows = await trx
        .selectFrom('appointment_service')
        .innerJoin('service', 'service.id', 'appointment_service.service_id')
        .selectAll('service')
        .select(['appointment_service.appointment_id', 'appointment_service.persons'])
        .where('appointment_service.appointment_id', 'in', appointmentIds)
        .orderBy('service.sort_order')
        .execute();
      for (const { appointment_id, persons, ...service } of rows) {
        const list = services.get(appointment_id) ?? [];
        list.push({ appointment_id, service, persons });
        services.set(appointment_id, list);
      }
    }
    return services;
  }

  // Replacements come from the closed office first, so its units are read first; the other offices'
  // (a district has dozens, each with weeks of units) only once the closed office runs out.
  private allOfficesLoaded = false;

  private async ensureFinder(schedules: OfficeSchedule[], now: number): Promise<ReplacementFinder> {
    if (this.finder) return this.finder;
    const own = schedules.find((s) => s.office.id === this.closure.office_id);
    if (own) this.windows.set(own.office.id, await this.officeUnits(own, now));
    this.allOfficesLoaded = schedules.every((s) => this.windows.has(s.office.id));
    this.finder = new ReplacementFinder([...this.windows.values()]);
    return this.finder;
  }

  private async loadOtherOffices(): Promise<void> {
    const { schedules } = await catalogue(this.ctx);
    const finder = await this.ensureFinder(schedules, this.ctx.now());
    // All of them, the closed office too: the batch that needed them was rolled back, so the seats
    // it had taken in memory must be read again.
    for (const schedule of schedules) {
      const units = await this.officeUnits(schedule, this.ctx.now());
      this.windows.set(schedule.office.id, units);
      finder.reload(units);
    }
    this.allOfficesLoaded = true;
  }

  private async reloadOffice(officeId: string): Promise<void> {
    const { schedules } = await catalogue(this.ctx);
    const schedule = schedules.find((s) => s.office.id === officeId);
    if (!schedule || !this.finder) return;
    const units = await this.officeUnits(schedule, this.ctx.now());
    this.windows.set(officeId, units);
    this.finder.reload(units);
  }

  private async officeUnits(schedule: OfficeSchedule, now: number): Promise<OfficeUnits> {
    const window = replacementWindow({
      policy: schedule.policy,
      timeZone: schedule.office.time_zone,
      now,
      leadMinutes: this.settings.replacementLeadMinutes,
      days: this.settings.replacementDays,
    });
    const units = await readReplacementUnits(
      this.ctx.db,
      schedule.office.id,
      window.earliestStart,
      window.latestStartExclusive + 24 * 3_600_000,
    );
    return {
      officeId: schedule.office.id,
      units,
      limit: window.limit,
      earliestStart: window.earliestStart,
      latestStartExclusive: window.latestStartExclusive,
    };
  }
}
