import http from 'node:http';
/** Runs `clients` loops of `step` until `seconds` are over and collects latencies per kind. */
export async function drive<K extends string>(options: {
  clients: number;
  seconds: number;
  step: (client: number, record: (kind: K, ms: number, ok: boolean) => void) => Promise<void>;
}): Promise<{ elapsedS: number; samples: Map<K, { latencies: number[]; failures: number }> }> {
  const { samples, record } = recorder<K>();
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

/**
 * A lean JSON client for load generation: node:http with kept-alive connections costs the load
 * generator (which shares the machine with the server) about half the CPU of fetch per request.
 */
export function jsonClient(
  baseUrl: string,
  connections: number,
): (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        {
          agent,
          hostname,
          port,
          method,
          path,
          headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

/**
 * Open loop: people arrive at `rate` per second (exponential gaps, as independent arrivals have) and
 * each runs `step` once, however slow the answers are. A closed loop of N clients only measures
 * queueing once the server is saturated (latency = N / throughput); this shows the latency people get
 * while the server keeps up. Returns the samples and the most people in progress at once.
 */
export async function driveAtRate<K extends string>(options: {
  rate: number;
  seconds: number;
  step: (person: number, record: (kind: K, ms: number, ok: boolean) => void) => Promise<void>;
}): Promise<{ elapsedS: number; samples: Map<K, { latencies: number[]; failures: number }>; peakInProgress: number }> {
  const { samples, record } = recorder<K>();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const running = new Set<Promise<void>>();
  let peakInProgress = 0;
  let next = started;
  for (let person = 0; next < deadline; person++) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const run: Promise<void> = options.step(person, record).finally(() => running.delete(run));
    running.add(run);
    peakInProgress = Math.max(peakInProgress, running.size);
    next += (-Math.log(1 - Math.random()) / options.rate) * 1000;
  }
  await Promise.all(running);
  return { elapsedS: (performance.now() - started) / 1000, samples, peakInProgress };
}

/** Latencies of successful requests and the count of failed ones, per kind. */
function recorder<K extends string>() {
  const samples = new Map<K, { latencies: number[]; failures: number }>();
  const record = (kind: K, ms: number, ok: boolean) => {
    let entry = samples.get(kind);
    if (!entry) samples.set(kind, (entry = { latencies: [], failures: 0 }));
    if (ok) entry.latencies.push(ms);
    else entry.failures++;
  };
  return { samples, record };
}
