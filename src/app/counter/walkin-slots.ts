import { UNIT_MS } from '../../domain/capacity-types.ts';
import type { Principal } from '../../domain/staff-access.ts';
import { freeLeaseStarts, walkinSlotUnits } from '../booking/branch-lease.ts';
import type { AppContext } from '../shared/context.ts';
import type { WalkinSlotView } from './counter-outcome.ts';
import { executeCounterCommand, staffCommand } from './execute-counter-command.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { newEntityId, newReference } from '../shared/ids.ts';

// The clerk's side of a walk-in slot (#6): which starts the lease still has today, and giving one.
// The slot itself is the counter command walkin.book_slot (book-walkin-slot.ts), so a branch node
// journals it and the central server replays it against its own lease pool.

/** Starts later today with lease seats for this service, earliest first. */
export async function walkinSlotStarts(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; serviceId: string; persons: number },
): Promise<number[]> {
  assertOfficeAccess(principal, input.officeId);
  const units = await walkinSlotUnits(ctx.db, input.officeId, input.serviceId, input.persons);
  return freeLeaseStarts(ctx.db, { officeId: input.officeId, at: ctx.now(), units });
}

/**
 * Gives a walk-in a slot at `start`, or at the first start the lease has room for; when the lease is
 * used up, at the next 5-minute mark anyway (the citizen is served; the slot is flagged).
 */
export async function giveWalkinSlot(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; serviceId: string; persons: number; start?: number | null },
): Promise<WalkinSlotView> {
  const now = ctx.now();
  let start = input.start ?? null;
  if (start === null) {
    const [first] = await walkinSlotStarts(ctx, principal, input);
    start = first ?? Math.ceil((now + 1) / UNIT_MS) * UNIT_MS;
  }
  const payload = {
    appointmentId: newEntityId(ctx),
    reference: newReference(ctx),
    serviceId: input.serviceId,
    persons: input.persons,
    startsAt: new Date(start).toISOString(),
  };
  const outcome = await executeCounterCommand(
    ctx,
    staffCommand(principal, { type: 'walkin.book_slot', officeId: input.officeId, payload, at: now }),
  );
  return outcome.walkinSlot!;
}
