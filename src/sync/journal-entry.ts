import { z } from 'zod';
import { COUNTER_COMMAND_TYPES, type CounterCommand, type CounterCommandType } from '../app/counter/counter-command.ts';

// One operation recorded at a branch node, as it travels to the central server.

/** The command types the envelope accepts: exactly those of the counter command contract. */
export const COMMAND_TYPES = COUNTER_COMMAND_TYPES satisfies readonly CounterCommandType[];

const CommandSchema = z.object({
  type: z.enum(COMMAND_TYPES),
  officeId: z.string().min(1).max(64),
  // The handlers run the same code on both ends; the envelope is checked here, the payload by the handler.
  // Not against the command contract at upload, on purpose: an entry the central server cannot apply is
  // kept as a fact with a Klärfall (central-apply.ts), where a refused upload would block the journal.
  payload: z.record(z.string(), z.unknown()),
  actor: z.string().min(1).max(200),
  at: z.iso.datetime({ offset: true }),
});

export const JournalEntrySchema = z.object({
  /** UUID chosen at the branch: the central server applies an op id once, however often it arrives. */
  opId: z.uuid(),
  branchId: z.string().min(1).max(64),
  /** 1, 2, 3, … per branch without gaps: the central server applies entry n only after n-1. */
  seq: z.number().int().positive(),
  /** Hybrid logical clock (see domain/hlc.ts) of the moment the branch recorded it. */
  hlc: z.string().regex(/^\d{16}-\d{4,}$/),
  command: CommandSchema,
  /** The branch was cut off from the central server when it recorded this (its Notbetrieb banner showed); absent: unknown. */
  cutOff: z.boolean().optional(),
});

export type JournalEntry = { opId: string; branchId: string; seq: number; hlc: string; command: CounterCommand; cutOff?: boolean };

/** What the central server did with an entry: applied, already applied before, or applied as a fact with a Klärfall. */
export type EntryOutcome = {
  opId: string;
  seq: number;
  status: 'applied' | 'duplicate' | 'conflict';
  workItemId?: string | null;
  code?: string;
};

/** A branch_journal row as the entry it records (the uploader sends these). */
export function journalEntryOf(row: {
  op_id: string;
  branch_id: string;
  seq: string;
  hlc: string;
  command: unknown;
  cut_off: boolean | null;
}): JournalEntry {
  const entry: JournalEntry = {
    opId: row.op_id,
    branchId: row.branch_id,
    seq: Number(row.seq),
    hlc: row.hlc,
    command: row.command as CounterCommand,
  };
  return row.cut_off === null ? entry : { ...entry, cutOff: row.cut_off };
}
