// In-process notice that an office's queue changed, so call displays update at once. Processes behind
// a load balancer do not see each other's notices: displays also re-read the board every few seconds.

type Listener = () => void;

const listeners = new Map<string, Set<Listener>>();

/** Calls `listener` after every committed queue change of the office; returns the unsubscribe function. */
export function subscribeQueue(officeId: string, listener: Listener): () => void {
  let set = listeners.get(officeId);
  if (!set) listeners.set(officeId, (set = new Set()));
  set.add(listener);
  return () => {
    const current = listeners.get(officeId);
    if (!current) return;
    current.delete(listener);
    if (current.size === 0) listeners.delete(officeId);
  };
}

export function publishQueueChange(officeId: string): void {
  for (const listener of [...(listeners.get(officeId) ?? [])]) listener();
}

/** Open subscriptions (of one office, or all): a display that leaks shows up here. */
export function queueSubscriberCount(officeId?: string): number {
  if (officeId !== undefined) return listeners.get(officeId)?.size ?? 0;
  let total = 0;
  for (const set of listeners.values()) total += set.size;
  return total;
}
