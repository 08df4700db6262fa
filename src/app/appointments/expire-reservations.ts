import { inTransaction, type Trx } from '../../db/transaction.ts';
import { moveAppointment } from './appointment-rows.ts';
import type { AppContext } from '../shared/context.ts';
import { releaseSeats } from '../booking/seat-allocation.ts';

/** Unconfirmed online reservations lapse after their deadline and give their seats back. */
export async function expireReservations(ctx: AppContext, batchSize = 200): Promise<number> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const lapsed = await trx
      .selectFrom('appointment')
      .select(['id', 'office_id', 'starts_at', 'ends_at'])
      .where('status', '=', 'reserved')
      .where('reserved_until', '<=', new Date(now))
      .orderBy('reserved_until')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const a of lapsed) await releaseReservation(trx, a, { now });
    return lapsed.length;
  });
}

/**
 * Ends a reservation the caller has locked in `trx`: its seats go back and it becomes `expired`.
 * `reason` is recorded when it is not the deadline (e.g. too many wrong confirmation codes).
 */
export async function releaseReservation(
  trx: Trx,
  appointment: { id: string; office_id: string; starts_at: Date; ends_at: Date },
  options: { now: number; reason?: string },
): Promise<void> {
  const { now, reason } = options;
  await releaseSeats(trx, { officeId: appointment.office_id, start: appointment.starts_at.getTime(), end: appointment.ends_at.getTime() });
  // The deadline stays on the row: it shows when the reservation lapsed.
  await moveAppointment(trx, {
    id: appointment.id,
    from: 'reserved',
    to: 'expired',
    at: now,
    actor: 'system',
    action: 'expired',
    ...(reason ? { details: { reason } } : {}),
  });
}
