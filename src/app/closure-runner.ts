import { runClosure, unfinishedClosures, type ClosureProgress } from './closure-job.ts';
import type { AppContext } from './context.ts';

// One in-process runner per closure: the API starts it after answering, the server resumes unfinished
// closures at start. Several processes may run the same closure; the items' row locks keep them apart.
const running = new Map<string, Promise<ClosureProgress | null>>();

export function startClosureJob(ctx: AppContext, closureId: string, log: (message: string, error?: unknown) => void = () => {}): Promise<ClosureProgress | null> {
  const existing = running.get(closureId);
  if (existing) return existing;
  const job = runClosure(ctx, closureId)
    .catch((error: unknown) => {
      log(`Closure ${closureId} stopped; it resumes on the next run`, error);
      return null;
    })
    .finally(() => running.delete(closureId));
  running.set(closureId, job);
  return job;
}

export async function resumeClosures(ctx: AppContext, log?: (message: string, error?: unknown) => void): Promise<number> {
  const ids = await unfinishedClosures(ctx.db);
  for (const id of ids) void startClosureJob(ctx, id, log);
  return ids.length;
}

/** For tests and shutdown: resolves when no closure job of this process is running. */
export async function closureJobsIdle(): Promise<void> {
  while (running.size > 0) await Promise.all(running.values());
}
