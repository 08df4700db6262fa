import { sql } from 'kysely';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { localDate, localDayBounds } from '../../domain/zoned-time.ts';
import type { AppContext } from '../shared/context.ts';
import { moveAppointment } from './appointment-rows.ts';

/** The event a clerk's reversal writes; the sweep leaves such an appointment alone, the statistics take the no-show back. */
export const NO_SHOW_REVERTED = 'no_show_reverted';
/** Used when an office has no queue settings row; the same default as queueSettings. */
const DEFAULT_LATE_MINUTES = 15;

/**
 * When nobody can check in for an appointment any more: the check-in window closes `lateMinutes`
 * after the start (office_queue_settings), at the latest at the end of the appointment's office day.
 */
export function checkInClosesAt(start: number, lateMinutes: number, timeZone: string): number {
  const dayEnd = localDayBounds(localDate(start, timeZone), timeZone)[1];
  return Math.min(start + lateMinutes * 60_000, dayEnd);
}

export type NoShowSweep = { marked: number };

/**
 * A confirmed appointment nobody checked in for becomes `no_show` once its check-in window has
 * closed (#17): before, it stayed „bestätigt“ for ever and the no-show figures counted only the
 * tickets a clerk marked at the counter. The event is dated when the window closed, not when this
 * job ran, so a sweep that runs late (the server was down) still counts the no-show on its day.
 * Appointments a clerk took back from no-show (a late arrival) are not swept again. Runs in the
 * process that runs the jobs; rows another sweep holds are skipped, so a second run changes nothing.
 */
export async function sweepNoShows(ctx: AppContext, batchSize = 500): Promise<NoShowSweep> {
  const now = ctx.now();
  let marked = 0;
  for (;;) {
    const done = await inTransaction(ctx.db, async (trx) => {
      const due = await trx
        .selectFrom('appointment as a')
        .innerJoin('office as o', 'o.id', 'a.office_id')
        .leftJoin('office_queue_settings as q', 'q.office_id', 'a.office_id')
        .select(['a.id', 'a.starts_at', 'o.time_zone', sql<number | null>`q.checkin_late_minutes`.as('late_minutes')])
        .where('a.status', '=', 'confirmed')
        .where('a.starts_at', '<=', new Date(now))
        // The window (start + late minutes) or the office day has ended; checkInClosesAt below gives the instant.
        .where((eb) =>
          eb.or([
            eb(sql`a.starts_at + make_interval(mins => coalesce(q.checkin_late_minutes, ${DEFAULT_LATE_MINUTES}))`, '<=', new Date(now)),
            eb(
              sql`(date_trunc('day', a.starts_at AT TIME ZONE o.time_zone) + interval '1 day') AT TIME ZONE o.time_zone`,
              '<=',
              new Date(now),
            ),
          ]),
        )
        .where((eb) => eb.not(eb.exists(eb.selectFrom('ticket as t').select('t.id').whereRef('t.appointment_id', '=', 'a.id'))))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('appointment_event as e')
                .select('e.id')
                .whereRef('e.appointment_id', '=', 'a.id')
                .where('e.action', '=', NO_SHOW_REVERTED),
            ),
          ),
        )
        .orderBy('a.starts_at')
        .limit(batchSize)
        .forUpdate('a')
        .skipLocked()
        .execute();
      for (const a of due) {
        const closesAt = checkInClosesAt(a.starts_at.getTime(), a.late_minutes ?? DEFAULT_LATE_MINUTES, a.time_zone);
        await moveAppointment(trx, {
          id: a.id,
          from: 'confirmed',
          to: 'no_show',
          at: Math.min(closesAt, now),
          actor: 'system',
          action: 'no_show',
          details: { reason: 'checkin_window_closed', sweptAt: new Date(now).toISOString() },
        });
      }
      marked += due.length;
      return due.length < batchSize;
    });
    if (done) return { marked };
  }
}

/**
 * no_show -> confirmed with the event the statistics read: `noShowAt` is when the no-show was
 * recorded, so the count is taken back in the hour and on the day it was made.
 */
export async function reinstate(trx: Trx, appointmentId: string, m: { at: number; actor: string; reason: string }): Promise<void> {
  const last = await trx
    .selectFrom('appointment_event')
    .select('at')
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', 'no_show')
    .orderBy('at', 'desc')
    .executeTakeFirst();
  await moveAppointment(trx, {
    id: appointmentId,
    from: 'no_show',
    to: 'confirmed',
    at: m.at,
    actor: m.actor,
    action: NO_SHOW_REVERTED,
    details: { reason: m.reason, ...(last ? { noShowAt: last.at.toISOString() } : {}) },
  });
}
