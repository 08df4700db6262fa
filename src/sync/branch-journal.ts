import { sql } from 'kysely';
import type { AppContext } from '../app/shared/context.ts';
import type { CounterCommand } from '../app/counter/counter-command.ts';
import type { AfterApply, CounterOutcome } from '../app/counter/counter-outcome.ts';
import { applyCounterCommand, executeCounterCommand } from '../app/counter/execute-counter-command.ts';
import { DomainError } from '../domain/errors.ts';
import { formatHlc, HLC_ZERO, hlcTick, parseHlc, type Hlc } from '../domain/hlc.ts';
import { afterCommit, inTransaction, type Trx } from '../db/transaction.ts';
import { journalEntryOf, type JournalEntry } from './journal-entry.ts';
import { JournalWriteError, type JournalFile } from './journal-file.ts';
import { newEntityId } from '../app/shared/ids.ts';

// The branch node's journal: every counter action it applies is recorded, in the same local
// transaction, as an entry with an op id, a gapless sequence number and a hybrid logical clock time,
// and appended to the fsync'd journal file before the transaction commits. Only then is the action
// confirmed to the counter. See docs/decisions/0006-branch-journal.md.

export type BranchJournal = {
  readonly branchId: string;
  /**
   * The same journalling as a hook, for ctx.afterCounterCommand: every executeCounterCommand of the
   * node (staff pages, kiosk, API) is journalled without knowing it. A transaction that fails after the
   * append is not voided here (only execute() can see that); recovery may then replay an action whose
   * confirmation the counter never got — the same as a crash right before the answer.
   */
  afterApply: AfterApply;
  /** Runs a counter command at this branch: applied, journalled, durable, then confirmed. */
  execute(command: CounterCommand): Promise<CounterOutcome>;
  /** Called after each durable entry (the uploader wakes up). */
  onRecorded(listener: () => void): void;
};

export type BranchJournalInput = {
  branchId: string;
  file: JournalFile;
  /**
   * Whether the branch is cut off from the central server right now (what its banner shows). Recorded
   * with each entry, so a Klärfall says „Notbetrieb“ only when it was one; without it: unknown.
   */
  isCutOff?: () => boolean;
};

export async function openBranchJournal(ctx: AppContext, input: BranchJournalInput): Promise<BranchJournal> {
  const { branchId, file } = input;
  const last = await ctx.db.selectFrom('branch_journal').select('hlc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let clock: Hlc = last ? parseHlc(last.hlc) : HLC_ZERO;
  const listeners: (() => void)[] = [];

  const afterApply = async (trx: Trx, _command: CounterCommand, outcome: CounterOutcome, pending: { opId: string | null }) => {
    if (outcome.unchanged) return; // nothing happened, nothing to tell the central server
    // A retried transaction (PostgreSQL 40001) appended once already: that attempt never committed.
    if (pending.opId) file.markVoid(pending.opId);
    pending.opId = null;
    const seq = await nextSeq(trx);
    clock = hlcTick(clock, ctx.now());
    const cutOff = input.isCutOff?.();
    const entry: JournalEntry = {
      opId: newEntityId(ctx),
      branchId,
      seq,
      hlc: formatHlc(clock),
      command: outcome.resolved,
      ...(cutOff === undefined ? {} : { cutOff }),
    };
    await insertJournalRow(trx, entry, null);
    // Last step before the commit: from here on, the entry survives even if the database does not.
    file.append(entry);
    pending.opId = entry.opId;
  };

  const hook: AfterApply = async (trx, command, outcome) => {
    try {
      await afterApply(trx, command, outcome, { opId: null });
    } catch (error) {
      if (error instanceof JournalWriteError) throw journalUnavailable(error);
      throw error;
    }
    afterCommit(trx, () => listeners.forEach((listener) => listener()));
  };

  return {
    branchId,
    afterApply: hook,
    onRecorded: (listener) => listeners.push(listener),
    async execute(command) {
      const pending = { opId: null as string | null };
      try {
        const outcome = await executeCounterCommand(ctx, command, { afterApply: (trx, c, o) => afterApply(trx, c, o, pending) });
        if (pending.opId) listeners.forEach((listener) => listener());
        return outcome;
      } catch (error) {
        // Appended but not committed: the action did not happen, and recovery must not replay it.
        if (pending.opId) markVoidQuietly(file, pending.opId);
        if (error instanceof JournalWriteError) throw journalUnavailable(error);
        throw error;
      }
    },
  };
}

/** Disk full or gone: the action is refused before the counter is told anything happened. */
function journalUnavailable(error: JournalWriteError): DomainError {
  return new DomainError('journal_unavailable', error.message, { reason: (error.cause as { code?: string })?.code ?? null });
}

function markVoidQuietly(file: JournalFile, opId: string): void {
  try {
    file.markVoid(opId);
  } catch {
    // Cannot write the marker either: recovery replays an action the counter saw fail (at most once).
  }
}

async function nextSeq(trx: Trx): Promise<number> {
  // PGlite runs one transaction at a time, so max + 1 is gapless and unique; the primary key guards it anyway.
  const row = await trx
    .selectFrom('branch_journal')
    .select(sql<string>`coalesce(max(seq), 0) + 1`.as('next'))
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

async function insertJournalRow(trx: Trx, entry: JournalEntry, localError: unknown): Promise<void> {
  await trx
    .insertInto('branch_journal')
    .values({
      seq: entry.seq,
      op_id: entry.opId,
      branch_id: entry.branchId,
      hlc: entry.hlc,
      office_id: entry.command.officeId,
      type: entry.command.type,
      command: JSON.stringify(entry.command),
      recorded_at: new Date(entry.command.at),
      local_error: localError === null ? null : JSON.stringify(localError),
      cut_off: entry.cutOff ?? null,
    })
    .execute();
}

export type RecoveryReport = { replayed: number; failed: number; copiedToFile: number };

/**
 * On start: brings the database up to the journal file. Entries the file has and the database lost
 * (a power cut within the write-back window) are applied again, in order; entries only the database
 * has (the file was restored from an older copy) are appended to the file.
 */
export async function recoverJournal(ctx: AppContext, file: JournalFile): Promise<RecoveryReport> {
  const rows = await ctx.db
    .selectFrom('branch_journal')
    .select(['seq', 'op_id', 'branch_id', 'hlc', 'command', 'cut_off'])
    .orderBy('seq')
    .execute();
  const inDb = new Set(rows.map((r) => r.op_id));
  const fileEntries = file.entries();
  const inFile = new Set(fileEntries.map((e) => e.opId));
  const report: RecoveryReport = { replayed: 0, failed: 0, copiedToFile: 0 };
  for (const entry of [...fileEntries].sort((a, b) => a.seq - b.seq)) {
    if (inDb.has(entry.opId)) continue;
    await inTransaction(ctx.db, async (trx) => {
      const error = await applyInSavepoint(ctx, trx, entry.command);
      await insertJournalRow(trx, entry, error);
      if (error) report.failed++;
    });
    report.replayed++;
  }
  for (const row of rows) {
    if (inFile.has(row.op_id)) continue;
    file.append(journalEntryOf(row));
    report.copiedToFile++;
  }
  return report;
}

const RETRYABLE = new Set(['40001', '40P01']);

/** Applies a command; a refused one (DomainError, or any failure but a lost race) is rolled back to the savepoint and returned as its error. */
export async function applyInSavepoint(
  ctx: AppContext,
  trx: Trx,
  command: CounterCommand,
  options: { branchId?: string } = {},
): Promise<{ code: string; message: string } | null> {
  await sql`SAVEPOINT apply_command`.execute(trx);
  try {
    await applyCounterCommand(ctx, trx, command, options);
    await sql`RELEASE SAVEPOINT apply_command`.execute(trx);
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // A lost race on PostgreSQL is retried as a whole; everything else the command refused is an answer.
    if (typeof code === 'string' && RETRYABLE.has(code)) throw error;
    await sql`ROLLBACK TO SAVEPOINT apply_command`.execute(trx);
    const isDomain = (error as Error).name === 'DomainError' && typeof code === 'string';
    return { code: isDomain ? code : `error_${typeof code === 'string' ? code : 'internal'}`, message: (error as Error).message };
  }
}
