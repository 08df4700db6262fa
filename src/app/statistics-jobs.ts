import type { AppContext } from './context.ts';
import { snapshotLeadTimes } from './lead-times.ts';
import { refreshStatistics } from './statistics-refresh.ts';

type Every = (ms: number, job: () => Promise<unknown>, name: string) => NodeJS.Timeout;

/** The statistics timers of the process that runs the jobs; each run writes a job_run row and a log line. */
export function scheduleStatisticsJobs(ctx: AppContext, { every, log }: { every: Every; log: (line: string) => void }): NodeJS.Timeout[] {
  const refresh = async () => {
    const r = await refreshStatistics(ctx);
    log(`Statistik aktualisiert / statistics refreshed: ${r.officeDays} Standorttage, ${r.rows} Zeilen, ${r.ms} ms`);
  };
  const leadTimes = async () => {
    const r = await snapshotLeadTimes(ctx);
    log(`Vorlaufzeiten gemessen / lead times measured: ${r.measured}`);
  };
  // First runs shortly after start, so a fresh installation shows figures without waiting an hour.
  setTimeout(() => void refresh().then(leadTimes).catch((error) => log(`statistics start failed: ${String(error)}`)), 5_000).unref();
  return [every(10 * 60_000, refresh, 'Statistics refresh'), every(60 * 60_000, leadTimes, 'Lead-time snapshot')];
}
