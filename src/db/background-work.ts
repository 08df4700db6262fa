import { AsyncLocalStorage } from 'node:async_hooks';

// PGlite runs inside this process, and a query it answers settles its promise in the microtask
// queue: the event loop never turns between two queries. A job that issues query after query (the
// first statistics refresh over a year of history, retention catching up, a closure of 10,000
// people) therefore kept the process from reading any socket until it was done — for tens of
// seconds, long enough for clients' kept-alive connections to be reset. Work started through
// asBackgroundWork() is marked, and the embedded database lets the event loop turn before each
// connection it hands such work (connection.ts), so requests that arrived meanwhile run first.
// With PostgreSQL every query waits for the network anyway; nothing is marked there.

const background = new AsyncLocalStorage<true>();
let marking = false;

/** Called by the embedded database when it opens: from now on background work is marked. */
export function markBackgroundWork(): void {
  marking = true;
}

/**
 * Runs `start` so that everything it sets off — timers, promises, the jobs they run — counts as
 * background work. Use it where jobs are started, not around a request's own work.
 */
export function asBackgroundWork<T>(start: () => T): T {
  return marking ? background.run(true, start) : start();
}

export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}

/** Lets the event loop read sockets and fire timers before background work goes on. */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
