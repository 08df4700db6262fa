import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../../domain/errors.ts';
import type { Weekday } from '../../domain/capacity-types.ts';
import { defaultWalkinQuota } from '../../domain/queue.ts';
import { patternCovers } from '../../domain/week-pattern.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { localDate } from '../../domain/zoned-time.ts';

export type QueueSettings = {
  walkinQuota: number;
  walkinMinutes: number;
  checkinEarlyMinutes: number;
  checkinLateMinutes: number;
  quotaIsDerived: boolean;
};

export type OfficeDay = { officeId: string; municipalityId: string; name: string; timeZone: string; day: string };

/** The office and its local calendar day at instant `at`; not_found for an unknown office. */
export async function officeDayAt(db: Kysely<DB> | Trx, officeId: string, at: number): Promise<OfficeDay> {
  const office = await db
    .selectFrom('office')
    .select(['id', 'name', 'time_zone', 'municipality_id'])
    .where('id', '=', officeId)
    .executeTakeFirst();
  if (!office) throw new DomainError('not_found', 'Unknown office', { officeId });
  const day = localDate(at, office.time_zone);
  return { officeId: office.id, municipalityId: office.municipality_id, name: office.name, timeZone: office.time_zone, day };
}

/** The office's time zone; not_found for an unknown office. */
export async function officeTimeZone(db: Kysely<DB> | Trx, officeId: string): Promise<string> {
  const office = await db.selectFrom('office').select('time_zone').where('id', '=', officeId).executeTakeFirst();
  if (!office) throw new DomainError('not_found', 'Unknown office', { officeId });
  return office.time_zone;
}

/**
 * The office's queue settings for a day. Without a configured quota the walk-in quota follows the
 * staffing plan: walk-in counter minutes of that weekday over the minutes a walk-in takes.
 */
export async function queueSettings(db: Kysely<DB> | Trx, officeId: string, day: string): Promise<QueueSettings> {
  const row = await db.selectFrom('office_queue_settings').selectAll().where('office_id', '=', officeId).executeTakeFirst();
  const walkinMinutes = row?.walkin_minutes ?? 15;
  const base = {
    walkinMinutes,
    checkinEarlyMinutes: row?.checkin_early_minutes ?? 30,
    checkinLateMinutes: row?.checkin_late_minutes ?? 15,
  };
  if (row && row.walkin_quota !== null) return { ...base, walkinQuota: row.walkin_quota, quotaIsDerived: false };
  const weekday = Temporal.PlainDate.from(day).dayOfWeek as Weekday;
  const lines = await db
    .selectFrom('staffing_rule')
    .select(['start_time', 'end_time', 'walkin_counters', 'every_weeks', 'starting_from', 'valid_from', 'valid_to'])
    .where('office_id', '=', officeId)
    .where('weekday', '=', weekday)
    .execute();
  // Only the lines that run on this date: the second Saturday's walk-in counter is not there on the first.
  const ranges = lines.filter((r) =>
    patternCovers(
      { weekdays: [weekday], everyWeeks: r.every_weeks, startingFrom: r.starting_from, validFrom: r.valid_from, validTo: r.valid_to },
      day,
    ),
  );
  const quota = defaultWalkinQuota(
    ranges.map((r) => ({ startTime: r.start_time, endTime: r.end_time, walkinCounters: r.walkin_counters })),
    walkinMinutes,
  );
  return { ...base, walkinQuota: quota, quotaIsDerived: true };
}

/** Sets (or with walkinQuota null: derives again) an office's queue settings; team leads only, checked at the edge. */
export async function saveQueueSettings(
  db: Kysely<DB> | Trx,
  officeId: string,
  input: { walkinQuota: number | null; walkinMinutes: number; checkinEarlyMinutes: number; checkinLateMinutes: number },
): Promise<void> {
  const values = {
    walkin_quota: input.walkinQuota,
    walkin_minutes: input.walkinMinutes,
    checkin_early_minutes: input.checkinEarlyMinutes,
    checkin_late_minutes: input.checkinLateMinutes,
  };
  await db
    .insertInto('office_queue_settings')
    .values({ office_id: officeId, ...values })
    .onConflict((oc) => oc.column('office_id').doUpdateSet(values))
    .execute();
}
