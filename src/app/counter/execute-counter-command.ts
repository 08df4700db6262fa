import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, type Principal } from '../../domain/staff-access.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { handOutDocument, markDocumentReady, registerDocument, returnDocument } from '../documents/documents.ts';
import { bookWalkinSlot } from './book-walkin-slot.ts';
import { parseCounterPayload, type CounterCommand, type CounterCommandType } from './counter-command.ts';
import type { AfterApply, CommandHandlerResult, CounterOutcome } from './counter-outcome.ts';
import { publishQueueChange } from './queue-events.ts';
import { recordWalkinRefusal } from './record-walkin-refusal.ts';
import {
  callNext,
  callTicket,
  callTicketAgain,
  cancelAtCounter,
  checkIn,
  closeCounter,
  finishTicket,
  forwardTicket,
  issueWalkin,
  openCounter,
  recordPayment,
} from './queue-commands.ts';

// Every action at the counter is a serializable command (counter-command.ts) run by this one
// dispatcher in one transaction. A branch node journals the commands it applied (afterApply, same
// transaction) and the central server replays them: commands carry their own time and the ids of
// what they create, so applying one is deterministic given the database state.

/**
 * Applies one command in `trx`; exported for a caller that already holds a transaction (replay).
 * `branchId`: the central server applies a branch's journal entry; the audit log names the branch.
 */
export async function applyCounterCommand(
  ctx: AppContext,
  trx: Trx,
  command: CounterCommand,
  options: { branchId?: string } = {},
): Promise<CounterOutcome> {
  const at = Date.parse(command.at);
  if (!Number.isFinite(at))
    throw new DomainError('validation_failed', 'Invalid command time', { fields: [{ path: 'at', message: 'ISO instant expected' }] });
  const result = await HANDLERS[command.type](ctx, trx, command as never, at);
  const outcome: CounterOutcome = { ticket: null, document: null, unchanged: false, resolved: command, ...result };
  if (!outcome.unchanged) {
    await audit(trx, {
      actor: command.actor,
      action: command.type,
      entity: outcome.document ? 'document_order' : outcome.ticket ? 'ticket' : 'office',
      entityId: outcome.document?.id ?? outcome.ticket?.id ?? null,
      officeId: command.officeId,
      at,
      details: {
        payload: command.payload,
        ...(outcome.ticket ? { ticket: outcome.ticket.label, appointmentId: outcome.ticket.appointmentId } : {}),
      },
      branchId: options.branchId ?? null,
    });
  }
  return outcome;
}

/**
 * The one entry point for actions at the counter: validates and applies `command` in one transaction,
 * runs `afterApply` in that same transaction (the branch node writes its journal entry there), and
 * after the commit tells the office's call displays.
 */
export async function executeCounterCommand(
  ctx: AppContext,
  command: CounterCommand,
  options: { afterApply?: AfterApply } = {},
): Promise<CounterOutcome> {
  // Whoever built the command (a staff form, the API, a walk-in slot), its payload keeps the contract a
  // journalled command is held to: a value no column can take is a 422, not a database error.
  parseCounterPayload(command.type, command.payload);
  const outcome = await inTransaction(ctx.db, async (trx) => {
    const result = await applyCounterCommand(ctx, trx, command);
    const afterApply = options.afterApply ?? ctx.afterCounterCommand;
    if (afterApply) await afterApply(trx, command, result);
    return result;
  }).catch(async (error: unknown) => {
    // A walk-in sent away is demand the statistics must see (#8); the refused command itself changed nothing.
    if (command.type === 'walkin.issue' && error instanceof DomainError && error.code === 'walkin_quota_exhausted')
      await recordWalkinRefusal(ctx.db, command);
    throw error;
  });
  if (!outcome.unchanged) publishQueueChange(command.officeId);
  return outcome;
}

/** Staff may only command their own offices; another office looks like one that does not exist. */
export function staffCommand<T extends CounterCommandType>(
  principal: Principal,
  input: { type: T; officeId: string; payload: Extract<CounterCommand, { type: T }>['payload']; at: number },
): Extract<CounterCommand, { type: T }> {
  if (!canAccessOffice(principal, input.officeId)) throw new DomainError('not_found', 'Unknown office', { officeId: input.officeId });
  return {
    type: input.type,
    officeId: input.officeId,
    payload: input.payload,
    actor: actorOf(principal),
    at: new Date(input.at).toISOString(),
  } as Extract<CounterCommand, { type: T }>;
}

type Handler<C extends CounterCommand> = (ctx: AppContext, trx: Trx, command: C, at: number) => Promise<CommandHandlerResult>;
type Handlers = { [T in CounterCommandType]: Handler<Extract<CounterCommand, { type: T }>> };

const HANDLERS: Handlers = {
  'counter.open': (_ctx, trx, c, at) => openCounter(trx, c, at),
  'counter.close': (_ctx, trx, c) => closeCounter(trx, c),
  'appointment.check_in': (_ctx, trx, c, at) => checkIn(trx, c, at),
  'walkin.issue': (_ctx, trx, c, at) => issueWalkin(trx, c, at),
  'walkin.book_slot': (_ctx, trx, c, at) => bookWalkinSlot(trx, c, at),
  'ticket.call_next': (_ctx, trx, c, at) => callNext(trx, c, at),
  'ticket.call': (_ctx, trx, c, at) => callTicket(trx, c, at),
  'ticket.call_again': (_ctx, trx, c, at) => callTicketAgain(trx, c, at),
  'ticket.served': (_ctx, trx, c, at) => finishTicket(trx, c, at, 'served'),
  'ticket.no_show': (_ctx, trx, c, at) => finishTicket(trx, c, at, 'no_show'),
  'ticket.forward': (_ctx, trx, c, at) => forwardTicket(trx, c, at),
  'appointment.cancel': (_ctx, trx, c, at) => cancelAtCounter(trx, c, at),
  'fee.paid': (_ctx, trx, c, at) => recordPayment(trx, c, at),
  'document.register': (ctx, trx, c, at) => registerDocument(ctx, trx, c, at),
  'document.ready': (ctx, trx, c, at) => markDocumentReady(ctx, trx, c, at),
  'document.hand_out': (_ctx, trx, c, at) => handOutDocument(trx, c, at),
  'document.return': (_ctx, trx, c, at) => returnDocument(trx, c, at),
};
