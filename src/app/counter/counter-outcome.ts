import type { Trx } from '../../db/transaction.ts';
import type { DocumentView } from '../documents/document-view.ts';
import type { CounterCommand } from './counter-command.ts';
import type { TicketView } from './ticket-view.ts';

// What a counter command returns. Types only, imported by the handlers, the dispatcher and
// shared/context.ts (afterCounterCommand); it imports nothing that imports it back.

/** A walk-in slot given (walkin.book_slot): when, its reference, and whether the lease had room. */
export type WalkinSlotView = { appointmentId: string; reference: string; startsAt: string; endsAt: string; withinLease: boolean };

export type CounterOutcome = {
  ticket: TicketView | null;
  document: DocumentView | null;
  /**
   * The command in the form to replay elsewhere: `ticket.call_next` becomes `ticket.call` of the
   * ticket it called (or stays call_next when nothing was waiting). Journal this one.
   */
  resolved: CounterCommand;
  /** Nothing changed: e.g. an appointment checked in twice gets its ticket again. */
  unchanged: boolean;
  /** Estimated wait of a new walk-in ticket in minutes. */
  waitMinutes?: number;
  walkinSlot?: WalkinSlotView;
};

export type AfterApply = (trx: Trx, command: CounterCommand, outcome: CounterOutcome) => Promise<void>;

/** What a handler returns; the dispatcher fills in the rest (nothing found, nothing unchanged, the command as given). */
export type CommandHandlerResult = Omit<CounterOutcome, 'resolved' | 'ticket' | 'document' | 'unchanged'> &
  Partial<Pick<CounterOutcome, 'resolved' | 'ticket' | 'document' | 'unchanged'>>;
