// Events per minute over the last minute, in six 10-second buckets: constant memory whatever the
// rate, and a count that falls smoothly as a burst ages out. Time is an argument (no clock here).

const BUCKET_MS = 10_000;
const BUCKETS = 6;

export class SlidingWindowCounter {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private readonly starts = new Array<number>(BUCKETS).fill(-Infinity);

  /** Counts one event at `now`. */
  record(now: number): void {
    const start = now - (now % BUCKET_MS);
    const i = Math.floor(start / BUCKET_MS) % BUCKETS;
    if (this.starts[i] !== start) {
      this.starts[i] = start;
      this.counts[i] = 0;
    }
    this.counts[i]!++;
  }

  /** Events in the minute up to `now` (the current bucket and the five before it). */
  perMinute(now: number): number {
    const oldest = now - (now % BUCKET_MS) - (BUCKETS - 1) * BUCKET_MS;
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) if (this.starts[i]! >= oldest && this.starts[i]! <= now) total += this.counts[i]!;
    return total;
  }
}
