import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../src/app/statistics/apply-retention.ts';
import { asBackgroundWork } from '../../src/db/background-work.ts';
import { createFixture, json, WEDNESDAY_0800, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

const OLD_APPOINTMENTS = 20_000;

describe(`background work on ${testDbKind}`, () => {
  let f: Fixture;
  let server: ServerType;
  let url: string;
  beforeAll(async () => {
    f = await createFixture();
    // A year of appointments whose personal data retention has not removed yet (a first run after an
    // upgrade, or a branch node that was switched off for a while): 40 batches of work.
    await sql`
      INSERT INTO appointment (id, reference, municipality_id, office_id, starts_at, ends_at, status, source, language, citizen_name,
        citizen_email, citizen_phone, manage_token_hash, created_at, updated_at)
      SELECT gen_random_uuid(), 'OLD' || g, 'test', 'test', t, t + interval '10 minutes', 'served', 'online', 'de',
        'Bürgerin ' || g, 'buerger' || g || '@example.org', NULL, md5('old' || g), t - interval '10 days', t
      FROM generate_series(1, ${OLD_APPOINTMENTS}) AS g,
        LATERAL (SELECT ${new Date(WEDNESDAY_0800)}::timestamptz - (40 + g % 320) * interval '1 day' AS t) AS x`.execute(f.ctx.db);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await f?.close();
  });

  it('answers a search that arrives while retention works through 20,000 appointments, and the job still does all of it', async () => {
    let jobDone = false;
    const job = asBackgroundWork(() => applyRetention(f.ctx, { retentionDays: 30 })).finally(() => (jobDone = true));

    // The search comes over a socket like a citizen's: on the embedded database it can only be read
    // when the job lets the event loop turn.
    const res = await fetch(`${url}/api/v1/availability?services=short&office=test&limit=5`);
    const body = await json(res);
    const answeredDuringJob = !jobDone;

    const report = await job;
    expect(res.status).toBe(200);
    expect(body.slots.length).toBe(5);
    expect(answeredDuringJob).toBe(true);
    expect(report.appointments).toBe(OLD_APPOINTMENTS);
    const left = await f.ctx.db
      .selectFrom('appointment')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('citizen_name', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  }, 120_000);
});
