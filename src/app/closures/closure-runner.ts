import { asBackgroundWork } from '../../db/background-work.ts';
import { queueReminders } from '../appointments/appointment-reminders.ts';
import { moveUndeliveredToCallList } from '../messaging/enqueue-message.ts';
import { runClosure, unfinishedClosures, type ClosureProgress } from './run-closure.ts';
import type { AppContext } from '../shared/context.ts';
import { expireOffers } from './replacement-offers.ts';

// One in-process runner per closure: the API starts it after answering, the server resumes unfinished
// closures at start. Several processes may run the same closure; the items' row locks keep them apart.
const running = new Map<string, Promise<ClosureProgress | null>>();
let stopping = new AbortController();

type Log = (message: string, error?: unknown) => void;

export function startClosureJob(ctx: AppContext, closureId: string, log: Log = () => {}): Promise<ClosureProgress | null> {
  const existing = running.get(closureId);
  if (existing) return existing;
  // Started by the API after answering: as background work, so a closure of thousands of people
  // does not keep the embedded database from the next requests.
  const job = asBackgroundWork(() => runClosure(ctx, closureId, { signal: stopping.signal }))
    .catch((error: unknown) => {
      log(`Closure ${closureId} stopped; it resumes on the next run`, error);
      return null;
    })
    .finally(() => running.delete(closureId));
  running.set(closureId, job);
  return job;
}

export async function resumeClosures(ctx: AppContext, log?: Log): Promise<number> {
  const ids = await unfinishedClosures(ctx.db);
  for (const id of ids) void startClosureJob(ctx, id, log);
  return ids.length;
}

/** For tests and shutdown: resolves when no closure job of this process is running. */
export async function closureJobsIdle(): Promise<void> {
  while (running.size > 0) await Promise.all(running.values());
}

/** Releases every replacement hold whose deadline has passed (in batches). */
export async function expireAllOffers(ctx: AppContext): Promise<number> {
  let total = 0;
  for (let n = 1; n > 0; total += n) n = await expireOffers(ctx);
  return total;
}

/**
 * The server's share of closures: resume the jobs a crash or restart interrupted, give back
 * unanswered holds once their deadline passes, and put people whose notice failed on the call list. stop() lets the running batch commit, then returns.
 */
export function scheduleClosureJobs(
  ctx: AppContext,
  log: { info: (line: string) => void; error: Log },
  options: { expireEveryMs?: number } = {},
) {
  stopping = new AbortController();
  void resumeClosures(ctx, log.error).then(
    (n) => n > 0 && log.info(`${n} unterbrochene Schließung(en) werden fortgesetzt / resuming ${n} interrupted closure(s)`),
    (error: unknown) => log.error('Resuming closures failed', error),
  );
  const minutely = async () => {
    await expireAllOffers(ctx).catch((error: unknown) => log.error('Expiring replacement offers failed', error));
    const moved = await moveUndeliveredToCallList(ctx).catch(
      (error: unknown) => void log.error('Moving undelivered notices to the call list failed', error),
    );
    if (moved) log.info(`${moved} nicht zustellbare Nachricht(en) auf die Anrufliste / undeliverable notice(s) moved to the call list`);
    await queueReminders(ctx).catch((error: unknown) => log.error('Queueing appointment reminders failed', error));
  };
  const timer = setInterval(() => void minutely(), options.expireEveryMs ?? 60_000);
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      stopping.abort();
      await closureJobsIdle();
    },
  };
}
