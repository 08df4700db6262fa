import path from 'node:path';
import type { Runtime } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { startBranchNode, type SyncBanner } from './branch-node.ts';
import { startFeedPuller } from './feed-puller.ts';
import { scheduleBranchRetention } from './journal-retention.ts';

export type BranchRole = {
  banner(): Promise<SyncBanner>;
  /** Why the journal could not take an entry now, or null (the readiness check). */
  journalProblem(): string | null;
  stop(): Promise<void>;
};

/**
 * `schalter serve --role branch`: the journal (recovered from its file first), the uploader and the
 * change feed around the runtime. Every counter command of this process is journalled through
 * ctx.afterCounterCommand, whichever page or API route runs it.
 */
export async function startBranchRole(
  runtime: Runtime,
  branch: NonNullable<Config['branch']>,
  log: (line: string) => void,
): Promise<BranchRole> {
  const { ctx } = runtime;
  const node = await startBranchNode(ctx, {
    branchId: branch.branchId,
    officeId: branch.officeId,
    journalDir: path.join(runtime.config.dataDir, 'journal'),
    centralUrl: branch.centralUrl,
    token: branch.token,
    log,
  });
  ctx.afterCounterCommand = node.journal.afterApply;
  const retention = scheduleBranchRetention(ctx, {
    file: node.file,
    branchId: branch.branchId,
    retentionDays: runtime.config.retentionDays,
    log,
  });
  const feed = startFeedPuller({
    db: ctx.db,
    branchId: branch.branchId,
    officeId: branch.officeId,
    centralUrl: branch.centralUrl,
    token: branch.token,
    now: ctx.now,
    log,
  });
  const hasOffice = await ctx.db.selectFrom('office').select('id').where('id', '=', branch.officeId).executeTakeFirst();
  const pulled = feed.pullNow().then(
    (records) => log(`Zweigstelle ${branch.branchId}: ${records} Datensätze von der Zentrale geladen / records loaded from central`),
    (error: unknown) =>
      log(
        `Zentrale nicht erreichbar / central unreachable (${(error as Error).message}): ${hasOffice ? 'Notbetrieb mit dem lokalen Stand' : 'noch keine Daten — erster Start braucht die Zentrale'}`,
      ),
  );
  // Only the first start waits for the central server: without the office there is nothing to serve.
  // A restart after a power cut serves its own data at once — a line that drops packets would
  // otherwise hold the office's counters for the pull's retries (3 × 15 s), the very outage the branch
  // is there for; the pull finishes in the background like every later one.
  if (!hasOffice) await pulled;
  return {
    banner: () => node.banner(),
    journalProblem: () => node.file.problem(),
    async stop() {
      await retention.stop();
      await feed.stop();
      await node.stop();
    },
  };
}
