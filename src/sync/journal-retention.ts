import type { Kysely } from 'kysely';
import type { AppContext } from '../app/shared/context.ts';
import { applyRetention, scrubJson, type RetentionCopies } from '../app/statistics/apply-retention.ts';
import { asBackgroundWork } from '../db/background-work.ts';
import type { DB } from '../db/schema.ts';
import type { FileRecord, JournalFile } from './journal-file.ts';

// Retention at a branch node (decision records 0006, 0007). The journal file keeps every counter
// command with its names (document.register) for good; retention rewrites entries that are older
// than the period *and* acknowledged by the central server, with the same personal keys removed as
// in the database's branch_journal rows. Op ids, sequence numbers and clocks stay, so recovery still
// finds every row in the file (nothing is copied back) and a resend after a restore is still
// recognised centrally by its op id: exactly once holds. An entry not yet acknowledged is never
// touched — it must reach the central server whole. Entries voided (never committed) and older than
// the period are dropped with their void marker.

/** The journal file as a copy retention removes personal data from; counts lines rewritten or dropped. */
export function journalFileCopies(db: Kysely<DB>, input: { file: JournalFile; branchId: string }): RetentionCopies {
  return {
    name: 'journalLines',
    async remove({ cutoff }) {
      const state = await db.selectFrom('branch_sync_state').select('acked_seq').where('branch_id', '=', input.branchId).executeTakeFirst();
      const acked = Number(state?.acked_seq ?? 0);
      let changed = 0;
      input.file.rewrite((records) => {
        const { next, count } = compactRecords(records, { acked, cutoff: cutoff.getTime() });
        changed = count;
        return next;
      });
      return changed;
    },
  };
}

export function compactRecords(
  records: readonly FileRecord[],
  options: { acked: number; cutoff: number },
): { next: FileRecord[]; count: number } {
  const isOld = (e: { command: { at: string } }) => Date.parse(e.command.at) < options.cutoff;
  const voided = new Set(records.flatMap((r) => (r.k === 'void' ? [r.opId] : [])));
  const dropped = new Set(records.flatMap((r) => (r.k === 'op' && voided.has(r.e.opId) && isOld(r.e) ? [r.e.opId] : [])));
  let count = 0;
  const next: FileRecord[] = [];
  for (const record of records) {
    if (dropped.has(record.k === 'op' ? record.e.opId : record.opId)) {
      count++;
      continue;
    }
    if (record.k === 'op' && !voided.has(record.e.opId) && record.e.seq <= options.acked && isOld(record.e)) {
      const command = scrubJson(record.e.command) as typeof record.e.command;
      if (JSON.stringify(command) !== JSON.stringify(record.e.command)) {
        count++;
        next.push({ k: 'op', e: { ...record.e, command } });
        continue;
      }
    }
    next.push(record);
  }
  return { next, count };
}

const EVERY_MS = 6 * 60 * 60_000;

/**
 * A branch runs none of the central jobs, but its database and journal hold names too: retention
 * runs here every 6 hours (first shortly after start), with the journal file as a copy to rewrite.
 */
export function scheduleBranchRetention(
  ctx: AppContext,
  input: { file: JournalFile; branchId: string; retentionDays: number; log: (line: string) => void },
): { stop(): Promise<void> } {
  const copies = [journalFileCopies(ctx.db, input)];
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = applyRetention(ctx, { retentionDays: input.retentionDays, copies })
      .then((r) =>
        input.log(
          `Löschfrist ${input.retentionDays} Tage / retention (Zweigstelle): ${r.appointments} Termine, ${r.documents} Dokumente, ${r.journal} Journaleinträge, ${r.copies.journalLines ?? 0} Zeilen der Journaldatei`,
        ),
      )
      .catch((error) => input.log(`Retention failed: ${String(error)}`));
  };
  // Background work: on the embedded database, requests of the counters go first (db/background-work.ts).
  const [first, timer] = asBackgroundWork(() => [setTimeout(run, 60_000).unref(), setInterval(run, EVERY_MS).unref()] as const);
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
