import { DomainError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/staff-access.ts';
import { inTransaction } from '../../db/transaction.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { officeDayAt, saveQueueSettings } from '../shared/office-time.ts';

export type QueueSettingsInput = {
  walkinQuota: number | null;
  walkinMinutes: number;
  checkinEarlyMinutes: number;
  checkinLateMinutes: number;
};

/**
 * Sets an office's walk-in quota and check-in window (walkinQuota null: derived from the staffing plan
 * again), audited in the same transaction. Team leads only, checked at the edge.
 */
export async function changeQueueSettings(
  ctx: AppContext,
  principal: Principal,
  officeId: string,
  settings: QueueSettingsInput,
): Promise<void> {
  assertOfficeAccess(principal, officeId);
  // The central server replays the branch's tickets and check-ins by its own settings, and the
  // change feed brings those here: a local change would only make the two disagree (issue #18).
  if (ctx.settings.branchNode)
    throw new DomainError('set_centrally', 'Queue settings are changed on the central server', {
      centralUrl: ctx.settings.branchNode.centralUrl,
    });
  const now = ctx.now();
  await officeDayAt(ctx.db, officeId, now);
  await inTransaction(ctx.db, async (trx) => {
    await saveQueueSettings(trx, officeId, settings);
    await audit(trx, {
      actor: principal,
      action: 'queue_settings.update',
      entity: 'office',
      entityId: officeId,
      officeId,
      at: now,
      details: settings,
    });
  });
}
