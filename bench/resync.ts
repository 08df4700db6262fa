import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { JournalEntry } from '../src/sync/journal-entry.ts';
import { startUploader, type UploadSource } from '../src/sync/uploader.ts';

/**
 * `npm run bench -- resync [--branches 50] [--entries 200] [--outage-seconds 5]`
 * N branch uploaders (default probing: every 1–3 s at random) hold journals while the central server
 * is away; then it listens again on the same port. Prints how long after its return each branch had
 * everything acknowledged (aim: all within 5 s, #18 item 3). The central here is a stand-in that
 * acknowledges what it gets (the real replay is `bench -- sync`): this measures the reconnect.
 */
export async function measureResync(options: { branches: number; entries: number; outageMs: number }) {
  const highWater = new Map<string, number>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/healthz') return res.end('{"status":"ok"}');
    const branch = decodeURIComponent(/\/branches\/([^/]+)\/journal/.exec(req.url ?? '')?.[1] ?? '');
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { entries } = JSON.parse(body) as { entries: { seq: number }[] };
      if (entries.length > 0) highWater.set(branch, entries.at(-1)!.seq);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ highWater: highWater.get(branch) ?? 0, results: entries.map(() => ({ status: 'applied' })) }));
    });
  });
  // Take a free port, then close it: the central is "down" (connections refused) during the outage.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const uploaders = Array.from({ length: options.branches }, (_, i) => {
    const entries = Array.from({ length: options.entries }, (_, k) => ({ seq: k + 1 }) as unknown as JournalEntry);
    let acked = 0;
    const source: UploadSource = {
      ackedSeq: async () => acked,
      lastSeq: async () => options.entries,
      pending: async (after, limit) => entries.slice(after, after + limit),
      recordContact: async ({ highWater: hw }) => {
        acked = hw;
      },
      recordError: async () => {},
    };
    return startUploader({ source, centralUrl: `http://127.0.0.1:${port}`, branchId: `branch-${i}`, token: 't', idleMs: 60_000 });
  });
  await new Promise((resolve) => setTimeout(resolve, options.outageMs));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const back = performance.now();
  const drainedMs = await Promise.all(
    uploaders.map(async (u) => {
      // Polled, not drain(): drain wakes the uploader, which would skip its probe pause.
      while ((await u.status()).pending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      return performance.now() - back;
    }),
  );
  await Promise.all(uploaders.map((u) => u.stop()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  drainedMs.sort((a, b) => a - b);
  const at = (q: number) => Math.round(drainedMs[Math.min(drainedMs.length - 1, Math.floor(q * drainedMs.length))]!);
  return {
    branches: options.branches,
    entriesPerBranch: options.entries,
    resyncMsP50: at(0.5),
    resyncMsP95: at(0.95),
    resyncMsMax: Math.round(drainedMs.at(-1)!),
    centralRequests: requests,
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      branches: { type: 'string', default: '50' },
      entries: { type: 'string', default: '200' },
      'outage-seconds': { type: 'string', default: '5' },
    },
  });
  const figures = await measureResync({
    branches: Number(values.branches),
    entries: Number(values.entries),
    outageMs: Number(values['outage-seconds']) * 1000,
  });
  console.log(JSON.stringify({ scenario: 'resync', ...figures }));
}
