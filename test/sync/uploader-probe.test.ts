import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/sync/journal-entry.ts';
import { probeDelay, startUploader, type UploadSource } from '../../src/sync/uploader.ts';

// #18 item 3: resync took 10–24 s after the central server returned, because the uploader backed off
// exponentially up to 30 s. While cut off it now probes /healthz every 1–3 s (random per branch) and
// sends the journal as soon as the central answers.

function memorySource(count: number): UploadSource & { acked: number } {
  const entries = Array.from({ length: count }, (_, i) => ({ seq: i + 1 }) as unknown as JournalEntry);
  const source = {
    acked: 0,
    ackedSeq: async () => source.acked,
    lastSeq: async () => count,
    pending: async (after: number, limit: number) => entries.slice(after, after + limit),
    recordContact: async ({ highWater }: { highWater: number }) => {
      source.acked = highWater;
    },
    recordError: async () => {},
  };
  return source;
}

function fakeCentral() {
  const calls: string[] = [];
  const central = {
    up: false,
    highWater: 0,
    calls,
    fetch: (async (url: string | URL, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      calls.push(`${init?.method ?? 'GET'} ${path}`);
      if (!central.up) throw new TypeError('fetch failed');
      if (path === '/healthz') return new Response('{"status":"ok"}', { status: 200 });
      const { entries } = JSON.parse(String(init?.body)) as { entries: { seq: number }[] };
      if (entries.length > 0) central.highWater = entries.at(-1)!.seq;
      return Response.json({ highWater: central.highWater, results: entries.map(() => ({ status: 'applied' })) });
    }) as typeof fetch,
  };
  return central;
}

describe('the uploader while the central server is away', () => {
  it('probes /healthz instead of re-sending the journal, and sends it right after the first answer', async () => {
    const central = fakeCentral();
    const source = memorySource(3);
    const uploader = startUploader({
      source,
      centralUrl: 'http://central.test',
      branchId: 'b1',
      token: 't',
      fetch: central.fetch,
      idleMs: 10_000,
      probeMinMs: 10,
      probeMaxMs: 30,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const journalPosts = central.calls.filter((c) => c.startsWith('POST ')).length;
    const probes = central.calls.filter((c) => c === 'GET /healthz').length;
    expect(journalPosts).toBe(1);
    expect(probes).toBeGreaterThanOrEqual(5);
    expect(uploader.isCutOff()).toBe(true);

    central.up = true;
    const upAt = Date.now();
    await uploader.drain(2_000);
    expect(Date.now() - upAt).toBeLessThan(1_000);
    expect(source.acked).toBe(3);
    expect(uploader.isCutOff()).toBe(false);
    const firstPostAfterUp = central.calls.indexOf('POST /api/v1/sync/branches/b1/journal', central.calls.length - 3);
    expect(central.calls[firstPostAfterUp - 1]).toBe('GET /healthz');
    await uploader.stop();
  });

  it('waits between 1 and 3 s between probes by default, spread at random so branches do not arrive together', () => {
    expect(probeDelay(() => 0)).toBe(1_000);
    expect(probeDelay(() => 0.5)).toBe(2_000);
    expect(probeDelay(() => 0.999_999)).toBeLessThan(3_000);
    const draws = Array.from({ length: 1000 }, () => probeDelay(Math.random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...draws)).toBeLessThan(3_000);
    expect(new Set(draws.map((d) => Math.floor(d / 250))).size).toBeGreaterThanOrEqual(7);
  });
});
