import { inTransaction } from '../db/transaction.ts';
import { recordEvent } from './appointment-record.ts';
import type { AppContext } from './context.ts';
import { releaseSeats } from './seat-allocation.ts';

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
    for (const a of lapsed) {
      await releaseSeats(trx, { officeId: a.office_id, start: a.starts_at.getTime(), end: a.ends_at.getTime() });
      await trx.updateTable('appointment').set({ status: 'expired', updated_at: new Date(now) }).where('id', '=', a.id).execute();
      await recordEvent(trx, { appointmentId: a.id, at: now, actor: 'system', action: 'expired', from: 'reserved', to: 'expired' });
    }
    return lapsed.length;
  });
}
