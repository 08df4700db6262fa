import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createApiToken } from '../../src/app/staff/api-tokens.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createMetrics, type Metrics } from '../../src/http/metrics/metrics-registry.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { socketFrom } from '../helpers/office-device.ts';
import type { SyncBanner } from '../../src/sync/branch-node.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue 23, item 1: GET /metrics in the Prometheus text format, for loopback and the networks in
// SCHALTER_METRICS_NETWORKS, otherwise only with an admin token.

type Samples = Map<string, number>;

/** `name{a="x",b="y"} 3` lines as a map from `name{a="x",b="y"}` (labels as written) to the value. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const THU_0800 = '2026-11-26T08:00:00+01:00';
const citizen = { name: 'Erika Mustermann', email: 'erika@example.org' };
const booking = (start: string) => ({ officeId: 'test', start, services: [{ serviceId: 'short', persons: 1 }], citizen, language: 'de' });

describe(`/metrics on ${testDbKind}`, () => {
  let f: Fixture;
  let metrics: Metrics;
  let app: ReturnType<typeof createHttpApp>;
  const scrape = async (from = '127.0.0.1'): Promise<Samples> => {
    const res = await app.request('/metrics', {}, socketFrom(from));
    expect(res.status).toBe(200);
    return parse(await res.text());
  };

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    metrics = createMetrics({ ctx: f.ctx, dbKind: f.database.kind, role: 'standalone', version: '9.9.9', pool: f.database.pool });
    f.ctx.metrics = metrics.app;
    const networks = loadConfig({ SCHALTER_METRICS_NETWORKS: '10.9.0.0/16, fd00:9::/64' }).metricsNetworks;
    app = createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, metrics: { metrics, networks } });
  });
  afterAll(async () => f.close());

  it('answers loopback in the Prometheus text format, with the process metrics and the database pool', async () => {
    expect((await app.request('/readyz')).status).toBe(200); // queries: a connection was checked out
    const res = await app.request('/metrics', {}, socketFrom('127.0.0.1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const samples = parse(text);
    expect(samples.get(`schalter_info{version="9.9.9",role="standalone",db="${testDbKind}"}`)).toBe(1);
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(samples.get('schalter_db_pool_max_connections')).toBe(testDbKind === 'pglite' ? 1 : 20);
    expect(samples.has('schalter_db_pool_connections{state="in_use"}')).toBe(true);
    // The scrape's own reads may queue for a connection (on PGlite there is one): a count, maybe not 0.
    expect(samples.get('schalter_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    expect(samples.get('schalter_db_pool_wait_seconds_count')).toBeGreaterThan(0);
    expect(samples.get('schalter_outbox_oldest_unsent_seconds')).toBe(0);
    expect(samples.get('schalter_outbox_messages{channel="email",state="queued"}')).toBe(0);
    expect(samples.get('schalter_closure_jobs_running')).toBe(0);
    expect(samples.get('schalter_closure_job_appointments{state="pending"}')).toBe(0);
    // A standalone process has no branch figures.
    expect([...samples.keys()].some((k) => k.startsWith('schalter_branch_'))).toBe(false);
  });

  it('counts bookings by channel and outcome, the outbox, and requests by route pattern without the token', async () => {
    const before = await scrape();
    const booked = await postJson(app, '/api/v1/appointments', booking(THU_0800));
    expect(booked.status).toBe(201);
    const { manageToken } = await json(booked);
    const taken = await postJson(app, '/api/v1/appointments', booking(THU_0800));
    expect(taken.status).toBe(409);
    expect((await app.request(`/api/v1/appointments/${manageToken}`)).status).toBe(200);
    f.clock.advance(20 * 60_000);

    const res = await app.request('/metrics', {}, socketFrom('127.0.0.1'));
    const text = await res.text();
    const after = parse(text);
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('schalter_bookings_total{channel="online",outcome="reserved"}')).toBe(1);
    expect(delta('schalter_bookings_total{channel="online",outcome="slot_unavailable"}')).toBe(1);
    expect(delta('schalter_outbox_messages{channel="email",state="queued"}')).toBe(1);
    expect(after.get('schalter_outbox_oldest_unsent_seconds')).toBe(20 * 60);
    expect(delta('http_request_duration_seconds_count{route="/api/v1/appointments",method="POST",status="201"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{route="/api/v1/appointments",method="POST",status="409"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{route="/api/v1/appointments/:manageToken",method="GET",status="200"}')).toBe(1);
    expect(text).not.toContain(manageToken);
  });

  it('names a request no route took `unmatched`, not by its path', async () => {
    await app.request('/gibt-es-nicht/geheim-123');
    const text = await (await app.request('/metrics', {}, socketFrom('127.0.0.1'))).text();
    expect(text).toContain('http_request_duration_seconds_count{route="unmatched",method="GET",status="404"}');
    expect(text).not.toContain('geheim-123');
  });

  it('counts availability cache hits and misses', async () => {
    const search = '/api/v1/availability?services=short&office=test&from=2026-11-30&to=2026-11-30&limit=3';
    const before = await scrape();
    expect((await app.request(search)).status).toBe(200);
    expect((await app.request(search)).status).toBe(200);
    const after = await scrape();
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('schalter_availability_cache_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(1);
    expect(delta('schalter_availability_cache_lookups_total{result="hit"}')).toBeGreaterThanOrEqual(1);
  });

  it('answers the configured networks and IPv4-mapped loopback without a token', async () => {
    for (const from of ['10.9.200.1', 'fd00:9::17', '::1', '::ffff:127.0.0.1']) {
      expect((await app.request('/metrics', {}, socketFrom(from))).status, from).toBe(200);
    }
  });

  it('refuses any other address without a token (401), with a clerk token (403); an admin token is let in', async () => {
    const outside = socketFrom('203.0.113.5');
    const none = await app.request('/metrics', {}, outside);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.text()).not.toContain('schalter_');
    // X-Forwarded-For is nobody's word for the address.
    expect((await app.request('/metrics', { headers: { 'x-forwarded-for': '127.0.0.1' } }, outside)).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer sch_nonsense' } }, outside)).status).toBe(401);
    // app.request without a socket at all: no address, so no trust.
    expect((await app.request('/metrics')).status).toBe(401);

    const clerk = await createApiToken(f.ctx, { name: 'fachverfahren', role: 'clerk', officeIds: ['test'], actor: 'test' });
    const asClerk = await app.request('/metrics', { headers: { authorization: `Bearer ${clerk.token}` } }, outside);
    expect(asClerk.status).toBe(403);
    const admin = await createApiToken(f.ctx, { name: 'prometheus', role: 'admin', officeIds: [], actor: 'test' });
    const asAdmin = await app.request('/metrics', { headers: { authorization: `Bearer ${admin.token}` } }, outside);
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.text()).toContain('schalter_bookings_total');
  });

  it('at a branch node: unsynced operations and seconds since the central server last answered', async () => {
    let status: SyncBanner = { emergency: true, unsynced: 3, lastContactAt: null, lastError: 'down' };
    const branchMetrics = createMetrics({
      ctx: f.ctx,
      dbKind: f.database.kind,
      role: 'branch',
      version: '9.9.9',
      branchStatus: async () => status,
    });
    const branchApp = createHttpApp({
      ctx: f.ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: () => {},
      metrics: { metrics: branchMetrics, networks: [] },
    });
    const read = async () => parse(await (await branchApp.request('/metrics', {}, socketFrom('127.0.0.1'))).text());
    f.clock.advance(90_000);
    let samples = await read();
    expect(samples.get('schalter_branch_unsynced_operations')).toBe(3);
    // Never heard from the central server since the start: silent for as long as it runs.
    expect(samples.get('schalter_branch_last_contact_seconds')).toBe(90);
    status = { emergency: false, unsynced: 0, lastContactAt: new Date(f.clock.now() - 4_000).toISOString(), lastError: null };
    samples = await read();
    expect(samples.get('schalter_branch_unsynced_operations')).toBe(0);
    expect(samples.get('schalter_branch_last_contact_seconds')).toBe(4);
  });
});

describe('the sample dashboard and alert rules (docs/monitoring)', () => {
  it('use only metrics that a branch node or a central server exposes', async () => {
    const f = await createFixture();
    try {
      const names = new Set<string>();
      for (const branchStatus of [undefined, async () => ({ emergency: false, unsynced: 0, lastContactAt: null, lastError: null })]) {
        const metrics = createMetrics({
          ctx: f.ctx,
          dbKind: f.database.kind,
          role: 'x',
          version: 'x',
          pool: f.database.pool,
          branchStatus,
        });
        // Declared metrics, also those without a sample yet (a counter nobody has counted with).
        for (const metric of await metrics.registry.getMetricsAsJSON()) {
          names.add(metric.name);
          if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(metric.name + suffix);
        }
      }
      const dashboard = JSON.parse(fs.readFileSync('docs/monitoring/grafana-dashboard.json', 'utf8')) as {
        panels: { targets: { expr: string }[] }[];
      };
      const rules = YAML.parse(fs.readFileSync('docs/monitoring/alerts.yml', 'utf8')) as {
        groups: { rules: { alert: string; expr: string }[] }[];
      };
      const exprs = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ];
      const used = new Set(exprs.flatMap((e) => e.match(/\b(?:schalter|http|process|nodejs)_[a-z0-9_]+/g) ?? []));
      expect([...used].filter((name) => !names.has(name))).toEqual([]);
      expect(rules.groups[0]!.rules.map((r) => r.alert)).toEqual(
        expect.arrayContaining(['SchalterMailStuck', 'SchalterBranchSilent', 'SchalterServerErrors']),
      );
    } finally {
      await f.close();
    }
  });
});

describe('SCHALTER_METRICS_NETWORKS', () => {
  it('takes a comma-separated list of networks; nothing set means loopback and tokens only', () => {
    expect(loadConfig({ SCHALTER_METRICS_NETWORKS: '10.9.0.0/16,192.0.2.7' }).metricsNetworks).toEqual([
      { address: '10.9.0.0', prefix: 16, family: 'ipv4' },
      { address: '192.0.2.7', prefix: 32, family: 'ipv4' },
    ]);
    expect(loadConfig({}).metricsNetworks).toEqual([]);
  });

  it('refuses to start on an entry that is not a network, naming the setting and the entry', () => {
    let error: unknown;
    try {
      loadConfig({ SCHALTER_METRICS_NETWORKS: '10.9.0.0/16, prometheus.kreis.example' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'SCHALTER_METRICS_NETWORKS: "prometheus.kreis.example" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)',
    ]);
  });
});
