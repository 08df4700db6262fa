import { leadTimeDays } from '../../domain/statistics-planning.ts';
import { searchAvailability } from '../booking/search-availability.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { localDate, localPlainDate } from '../../domain/zoned-time.ts';

export type LeadTime = { officeId: string; serviceId: string; leadDays: number | null; firstFree: number | null };

/**
 * Days until the next free online slot for one person, per office and online-bookable service —
 * what a citizen on the homepage would find right now ("nächster Termin in 23 Tagen").
 */
export async function measureLeadTimes(ctx: AppContext, officeIds?: readonly string[]): Promise<LeadTime[]> {
  const now = ctx.now();
  const schedules = await cachedSchedules(ctx, officeIds);
  const online = new Set((await ctx.db.selectFrom('service').select('id').where('online_bookable', '=', true).execute()).map((s) => s.id));
  const out: LeadTime[] = [];
  for (const schedule of schedules) {
    const zone = schedule.office.time_zone;
    const today = localPlainDate(now, zone);
    const to = today.add({ days: ctx.settings.capacityDays }).toString();
    for (const serviceId of [...schedule.serviceIds].filter((id) => online.has(id)).sort()) {
      const [slot] = await searchAvailability(ctx, {
        services: [{ serviceId, persons: 1 }],
        officeId: schedule.office.id,
        from: today.toString(),
        to,
        limit: 1,
      });
      const firstFree = slot?.start ?? null;
      out.push({ officeId: schedule.office.id, serviceId, firstFree, leadDays: leadTimeDays({ now, firstFree, timeZone: zone }) });
    }
  }
  return out;
}

/** Stores today's lead times (the last measurement of a day wins); run hourly, logged in job_run. */
export async function snapshotLeadTimes(ctx: AppContext): Promise<{ measured: number }> {
  const started = ctx.now();
  const times = await measureLeadTimes(ctx);
  const zones = new Map((await cachedSchedules(ctx)).map((s) => [s.office.id, s.office.time_zone]));
  for (const t of times) {
    const day = localDate(started, zones.get(t.officeId) ?? 'Europe/Berlin');
    const values = {
      measured_at: new Date(started),
      lead_days: t.leadDays,
      first_free: t.firstFree === null ? null : new Date(t.firstFree),
    };
    await ctx.db
      .insertInto('lead_time_snapshot')
      .values({ office_id: t.officeId, service_id: t.serviceId, day, ...values })
      .onConflict((oc) => oc.columns(['office_id', 'service_id', 'day']).doUpdateSet(values))
      .execute();
  }
  await ctx.db
    .insertInto('job_run')
    .values({
      job: 'statistics.lead_time',
      started_at: new Date(started),
      finished_at: new Date(ctx.now()),
      details: JSON.stringify({ measured: times.length }),
    })
    .execute();
  return { measured: times.length };
}
