import type { AppContext } from '../shared/context.ts';
import { snapshotLeadTimes } from './lead-times.ts';
import { applyRetention, type RetentionCopies } from './apply-retention.ts';
import { refreshStatistics } from './refresh-statistics.ts';
import { flushSearchMisses, snapshotWaitingList } from './statistics-demand.ts';

type Every = (ms: number, job: () => Promise<unknown>, name: string) => NodeJS.Timeout;

/**
 * The statistics and privacy timers of the process that runs the jobs: statistics (with the demand
 * figures: empty searches, waiting-list length) every 10 minutes,
 * lead times hourly, retention every 6 hours. Each run writes a job_run row and a log line.
 */
export function scheduleStatisticsJobs(
  ctx: AppContext,
  {
    every,
    log,
    retentionDays,
    retentionCopies = [],
  }: { every: Every; log: (line: string) => void; retentionDays: number; retentionCopies?: readonly RetentionCopies[] },
): NodeJS.Timeout[] {
  const refresh = async () => {
    // Demand figures (#8): this process's counted empty searches, and today's waiting-list length.
    await flushSearchMisses(ctx.db);
    await snapshotWaitingList(ctx);
    const r = await refreshStatistics(ctx);
    log(`Statistik aktualisiert / statistics refreshed: ${r.officeDays} Standorttage, ${r.rows} Zeilen, ${r.ms} ms`);
  };
  const leadTimes = async () => {
    const r = await snapshotLeadTimes(ctx);
    log(`Vorlaufzeiten gemessen / lead times measured: ${r.measured}`);
  };
  const retention = async () => {
    const r = await applyRetention(ctx, { retentionDays, copies: retentionCopies });
    const files = r.copies.mailFiles === undefined ? '' : `, ${r.copies.mailFiles} Maildateien gelöscht`;
    log(
      `Löschfrist ${retentionDays} Tage / retention: ${r.appointments} Termine, ${r.outbox} Nachrichten, ${r.audit} Protokolleinträge, ${r.documents} Dokumente, ${r.waitingList} Wartelisteneinträge, ${r.releaseRequests} Anfragen im Losverfahren, ${r.journal} Journalzeilen anonymisiert${files} (${r.ms} ms)`,
    );
  };
  // First runs shortly after start, so a fresh installation shows figures without waiting an hour.
  setTimeout(
    () =>
      void refresh()
        .then(leadTimes)
        .then(retention)
        .catch((error) => log(`statistics start failed: ${String(error)}`)),
    5_000,
  ).unref();
  return [
    every(10 * 60_000, refresh, 'Statistics refresh'),
    every(60 * 60_000, leadTimes, 'Lead-time snapshot'),
    every(6 * 60 * 60_000, retention, 'Retention'),
  ];
}
