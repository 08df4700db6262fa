import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import { openJournalFile } from '../../src/sync/journal-file.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { createTestDb, testDbKind } from '../helpers/test-db.ts';

// Issue 23, item 3: /readyz for load balancers and systemd — database reachable, migrations current,
// and at a branch node a writable journal. 200 with the checks when ready, 503 naming the failing one.

describe(`/readyz on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f.close());

  it('answers 200 with each check when the database answers and every migration has run', async () => {
    const res = await f.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' }, db: testDbKind });
  });

  it('answers 503 naming the migrations while one of this version has not run', async () => {
    const name = '2026-12-07T1700-call-list-answers';
    await sql`DELETE FROM kysely_migration WHERE name = ${name}`.execute(f.database.db);
    try {
      const res = await f.app.request('/readyz');
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body).toMatchObject({ status: 'not_ready', failed: 'migrations', checks: { database: 'ok' } });
      expect(body.checks.migrations).toBe(`1 pending (schalter migrate): ${name}`);
      // Alive all the same: /healthz is not the place for this.
      expect((await f.app.request('/healthz')).status).toBe(200);
    } finally {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${new Date().toISOString()})`.execute(f.database.db);
    }
    expect((await f.app.request('/readyz')).status).toBe(200);
  });

  it('a migration the database has and this version does not know (a newer version ran) keeps it ready', async () => {
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('2099-01-01T0000-from-the-future', ${new Date().toISOString()})`.execute(
      f.database.db,
    );
    try {
      expect((await f.app.request('/readyz')).status).toBe(200);
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = '2099-01-01T0000-from-the-future'`.execute(f.database.db);
    }
  });

  it('answers 503 naming the database when it is gone, with an error code and no message', async () => {
    const database = await createTestDb();
    const app = createHttpApp({ ctx: { ...f.ctx, db: database.db }, dbKind: database.kind, rateLimitPerMinute: null, log: () => {} });
    expect((await app.request('/readyz')).status).toBe(200);
    await database.close();
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body).toMatchObject({ status: 'not_ready', failed: 'database', checks: { migrations: 'skipped' } });
    expect(body.checks.database).toMatch(/^failed \(.+\)$/);
  });

  it('at a branch node: ready while the journal can be written, 503 naming the journal when its folder is gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-readyz-'));
    const journalDir = path.join(dir, 'journal');
    const file = openJournalFile(path.join(journalDir, 'journal.log'));
    try {
      const app = createHttpApp({
        ctx: f.ctx,
        dbKind: f.database.kind,
        rateLimitPerMinute: null,
        journalProblem: file.problem,
        log: () => {},
      });
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(200);
      expect((await json(ready)).checks).toEqual({ database: 'ok', migrations: 'ok', journal: 'ok' });
      expect(fs.readdirSync(journalDir)).toEqual(['journal.log']); // the probe leaves nothing behind

      // The disk unmounted or the folder deleted under the running node: its next action would be refused.
      fs.rmSync(journalDir, { recursive: true });
      const res = await app.request('/readyz');
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body).toMatchObject({ status: 'not_ready', failed: 'journal', checks: { database: 'ok', migrations: 'ok' } });
      expect(body.checks.journal).toBe('cannot write beside the journal (ENOENT)');
      expect(JSON.stringify(body)).not.toContain(dir);
    } finally {
      file.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
