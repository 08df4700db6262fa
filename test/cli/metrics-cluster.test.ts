import { afterAll, describe, expect, it } from 'vitest';
import { killHard, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { scratchEnvironment } from '../helpers/test-db.ts';

// Issue 23, item 1 with SCHALTER_WORKERS=2: a scrape reaches one worker, but shows the requests of
// all of them (the primary gathers them); figures read from the database are shown once, not summed.

const samples = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))] as const),
  );

describe.skipIf(!process.env.DATABASE_URL)('/metrics of a cluster (needs PostgreSQL: DATABASE_URL)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server) await killHard(server);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('adds up the workers’ request counts and shows the outbox once', { timeout: 180_000 }, async () => {
    const env = {
      ...(await scratchEnvironment('metrics_cluster', cleanups)),
      SCHALTER_WORKERS: '2',
      SCHALTER_DB_POOL: '3',
      SCHALTER_DEMO: 'off',
    };
    server = await startServer(env);
    // New connections each time, so both workers serve some.
    for (let i = 0; i < 20; i++) expect((await fetch(`${server.url}/readyz`, { headers: { connection: 'close' } })).status).toBe(200);
    for (let scrape = 0; scrape < 4; scrape++) {
      const res = await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } });
      expect(res.status).toBe(200);
      const s = samples(await res.text());
      expect(s.get('http_request_duration_seconds_count{route="/readyz",method="GET",status="200"}')).toBe(20);
      expect(s.get('schalter_db_pool_max_connections')).toBe(6);
      expect(s.get('schalter_info{version="0.1.0",role="standalone",db="postgres"}')).toBe(1);
      expect(s.get('schalter_outbox_messages{channel="email",state="queued"}')).toBe(0);
      expect(s.get('schalter_outbox_oldest_unsent_seconds')).toBe(0);
    }
  });
});
