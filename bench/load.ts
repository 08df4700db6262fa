/** Runs `clients` loops of `step` until `seconds` are over and collects latencies per kind. */
export async function drive<K extends string>(options: {
  clients: number;
  seconds: number;
  step: (client: number, record: (kind: K, ms: number, ok: boolean) => void) => Promise<void>;
}): Promise<{ elapsedS: number; samples: Map<K, { latencies: number[]; failures: number }> }> {
  const samples = new Map<K, { latencies: number[]; failures: number }>();
  const record = (kind: K, ms: number, ok: boolean) => {
    let entry = samples.get(kind);
    if (!entry) samples.set(kind, (entry = { latencies: [], failures: 0 }));
    if (ok) entry.latencies.push(ms);
    else entry.failures++;
  };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      while (performance.now() < deadline) await options.step(client, record);
    }),
  );
  return { elapsedS: (performance.now() - started) / 1000, samples };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work();
  return [result, performance.now() - t0];
}
