import path from 'node:path';
import type { AppContext } from '../app/shared/context.ts';
import { openBranchJournal, recoverJournal, type BranchJournal, type RecoveryReport } from './branch-journal.ts';
import { openJournalFile, type JournalFile } from './journal-file.ts';
import { CUT_OFF_AFTER_MS, databaseSource, startUploader, type Uploader, type UploaderOptions, type UploaderStatus } from './uploader.ts';

// A branch node: the office's own server. Counters, kiosk and call display talk to it; it journals
// every action durably and sends the journal to the central server whenever it can.

export type BranchNodeOptions = {
  branchId: string;
  officeId: string;
  /** The journal file lives here (the embedded database's data folder, or a second disk). */
  journalDir: string;
  centralUrl: string;
  token: string;
  uploader?: Partial<Omit<UploaderOptions, 'source' | 'centralUrl' | 'branchId' | 'token'>>;
  log?: (line: string) => void;
};

export type SyncBanner = {
  /** True while the central server has not answered recently: the pages show "Notbetrieb — wird später abgeglichen". */
  emergency: boolean;
  unsynced: number;
  lastContactAt: string | null;
  lastError: string | null;
};

export type BranchNode = {
  journal: BranchJournal;
  uploader: Uploader;
  file: JournalFile;
  recovery: RecoveryReport;
  banner(): Promise<SyncBanner>;
  stop(): Promise<void>;
};

export async function startBranchNode(ctx: AppContext, options: BranchNodeOptions): Promise<BranchNode> {
  const log = options.log ?? (() => {});
  await ctx.db
    .insertInto('branch_sync_state')
    .values({ branch_id: options.branchId, office_id: options.officeId })
    .onConflict((oc) => oc.column('branch_id').doNothing())
    .execute();
  const file = openJournalFile(path.join(options.journalDir, 'journal.log'));
  const recovery = await recoverJournal(ctx, file);
  if (recovery.replayed + recovery.copiedToFile > 0) {
    log(
      `Journal wiederhergestellt / journal recovered: ${recovery.replayed} aus der Datei nachgetragen, ${recovery.copiedToFile} in die Datei übernommen, ${recovery.failed} mit Fehler`,
    );
  }
  // Each entry records whether the branch was cut off when it was made: the Klärfall's wording on replay.
  let uploader: Uploader | null = null;
  const journal = await openBranchJournal(ctx, { branchId: options.branchId, file, isCutOff: () => uploader?.isCutOff() ?? true });
  uploader = startUploader({
    ...options.uploader,
    source: databaseSource(ctx.db, options.branchId),
    centralUrl: options.centralUrl,
    branchId: options.branchId,
    token: options.token,
    log,
  });
  journal.onRecorded(() => uploader.kick());
  return {
    journal,
    uploader,
    file,
    recovery,
    async banner() {
      const status: UploaderStatus = await uploader.status();
      const silent = status.lastContactAt === null || ctx.now() - status.lastContactAt > CUT_OFF_AFTER_MS;
      return {
        emergency: status.failures > 0 || (silent && status.pending > 0),
        unsynced: status.pending,
        lastContactAt: status.lastContactAt === null ? null : new Date(status.lastContactAt).toISOString(),
        lastError: status.lastError,
      };
    },
    async stop() {
      await uploader.stop();
      file.close();
    },
  };
}
