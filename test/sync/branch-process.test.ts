import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { seedDemo } from '../../src/app/demo/seed-demo.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { UNIT_MS } from '../../src/domain/capacity-types.ts';
import { enrollBranch } from '../../src/sync/central-apply.ts';
import { hashPassword } from '../../src/app/staff/staff-secrets.ts';
import { killHard, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { scratchEnvironment, testDbKind } from '../helpers/test-db.ts';
import { until } from './sync-fixture.ts';

// Issue #6 end to end with real processes: `schalter serve` as the central server and
// `schalter serve --role branch` on its own embedded database. The central process is killed; at the
// branch a citizen checks in at the kiosk and a walk-in draws a number; the central process comes
// back and both operations arrive there, each exactly once. A clerk of the office logs in at the
// branch with her branch PIN meanwhile (docs/decisions/0009-branch-credentials.md).

const PIN = '582931';
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe(`central and branch as real processes (central on ${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  const openCentral = (env: Record<string, string>): Promise<Database> =>
    env.DATABASE_URL
      ? openDatabase({ databaseUrl: env.DATABASE_URL })
      : openDatabase({ dataDir: path.join(env.SCHALTER_DATA_DIR!, 'pglite') });

  it('a check-in and a walk-in at the branch while central is down are applied once central is back', { timeout: 300_000 }, async () => {
    const centralEnv = {
      ...(await scratchEnvironment('branch_e2e', cleanups)),
      SCHALTER_DEMO: 'off',
      ...(process.env.DATABASE_URL ? { SCHALTER_ROLE: 'central' } : {}),
    };

    // The central database: the demo town, walk-in counters every day (so the walk-in quota does not
    // depend on the weekday this runs), an appointment starting in 10–15 minutes, an enrolled branch.
    let db = await openCentral(centralEnv);
    const ctx = createAppContext({
      db: db.db,
      now: () => Date.now(),
      randomBytes: (n) => randomBytes(n),
      settings: { publicUrl: 'http://central', confirmation: 'none', reservationMinutes: 30, capacityDays: 14 },
    });
    await migrateToLatest(db.db);
    await seedDemo(ctx, {});
    await materializeCapacity(ctx);
    await db.db
      .insertInto('staffing_rule')
      .values(
        [6, 7].map((weekday) => ({
          office_id: 'rathaus',
          weekday,
          start_time: '08:00',
          end_time: '12:30',
          appointment_counters: 0,
          walkin_counters: 1,
        })),
      )
      .execute();
    const start = Math.ceil(Date.now() / UNIT_MS) * UNIT_MS + 10 * 60_000;
    const { municipality_id: town } = await db.db
      .selectFrom('office')
      .select('municipality_id')
      .where('id', '=', 'rathaus')
      .executeTakeFirstOrThrow();
    const appointment = await db.db
      .insertInto('appointment')
      .values({
        reference: 'E2E-BR1',
        municipality_id: town,
        office_id: 'rathaus',
        starts_at: new Date(start),
        ends_at: new Date(start + 2 * UNIT_MS),
        status: 'confirmed',
        source: 'phone',
        language: 'de',
        citizen_name: 'Erika Zweig',
        citizen_email: null,
        citizen_phone: '0201 555',
        manage_token_hash: 'e2e-branch-process',
        confirmation_code_hash: null,
        reserved_until: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db
      .insertInto('appointment_service')
      .values({ appointment_id: appointment.id, municipality_id: town, service_id: 'meldebescheinigung', persons: 1 })
      .execute();
    const clerk = await db.db
      .insertInto('staff_user')
      .values({
        email: 'schalter@musterstadt.example',
        display_name: 'Sabine Schalter',
        role: 'clerk',
        password_hash: await hashPassword('Pferd Batterie Heftklammer'),
        must_change_password: false,
        branch_pin_hash: await hashPassword(PIN),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db.insertInto('staff_user_office').values({ user_id: clerk.id, office_id: 'rathaus' }).execute();
    const { branchId, token } = await enrollBranch(ctx, { officeId: 'rathaus', actor: 'test' });
    await db.close();

    let central: ServerProcess = await startServer(centralEnv);
    // killHard waits for an exit event: only for a process that has not ended yet.
    const stop = async (p: ServerProcess) => {
      if (p.child.exitCode === null && p.child.signalCode === null) await killHard(p);
    };
    cleanups.push(async () => stop(central));
    const branchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schalter-branch-e2e-'));
    cleanups.push(async () => fs.rmSync(branchDir, { recursive: true, force: true }));
    const branch = await startServer({
      SCHALTER_DATA_DIR: branchDir,
      SCHALTER_ROLE: 'branch',
      SCHALTER_CENTRAL_URL: central.url,
      SCHALTER_OFFICE: 'rathaus',
      SCHALTER_BRANCH_ID: branchId,
      SCHALTER_BRANCH_TOKEN: token,
      DATABASE_URL: '',
    });
    cleanups.push(async () => stop(branch));
    expect(branch.output()).toMatch(/Datensätze von der Zentrale geladen/);
    // The central server trusts no network unless told to (issue 15, item 7): the same form from the
    // same PC is refused there, while the branch below serves its office LAN (private ranges by default).
    expect((await fetch(`${central.url}/kiosk/rathaus/wartenummer`, form({ service: 'meldebescheinigung' }))).status).toBe(403);

    // /readyz (issue 23, item 3): the branch checks its journal as well, the central server has none.
    const ready = async (url: string) => {
      const res = await fetch(`${url}/readyz`);
      return { status: res.status, checks: ((await res.json()) as { checks: Record<string, string> }).checks };
    };
    expect(await ready(branch.url)).toEqual({ status: 200, checks: { database: 'ok', migrations: 'ok', journal: 'ok' } });
    expect(await ready(central.url)).toEqual({ status: 200, checks: { database: 'ok', migrations: 'ok' } });

    await killHard(central);
    // Cut off from the central server the branch is what the office needs: still ready.
    expect((await ready(branch.url)).status).toBe(200);

    const loginPage = await (await fetch(`${branch.url}/staff/login`)).text();
    expect(loginPage).toContain(`${central.url}/staff/zweigstellen-pin`);
    const login = await fetch(`${branch.url}/staff/login`, {
      ...form({ email: 'schalter@musterstadt.example', password: PIN }),
      redirect: 'manual',
    });
    expect(login.headers.get('location')).toBe('/staff/tagesplan');
    const checkIn = await fetch(`${branch.url}/kiosk/rathaus/anmelden`, form({ reference: 'E2E-BR1' }));
    expect(checkIn.status).toBe(201);
    const walkin = await fetch(`${branch.url}/kiosk/rathaus/wartenummer`, form({ service: 'meldebescheinigung' }));
    expect(walkin.status).toBe(201);
    const status = async () =>
      (await (await fetch(`${branch.url}/api/v1/branch/status`)).json()) as { emergency: boolean; unsynced: number };
    await until(
      'the branch reports Notbetrieb with two unsent operations',
      async () => {
        const s = await status();
        return s.emergency && s.unsynced === 2;
      },
      60_000,
    );

    // Back on the same address the branch knows.
    central = await startServer({ ...centralEnv, PORT: new URL(central.url).port });
    await until('the branch sent everything to the returned central server', async () => (await status()).unsynced === 0, 90_000);
    await killHard(central);

    db = await openCentral(centralEnv);
    try {
      const ops = await db.db
        .selectFrom('sync_applied_op')
        .select(['seq', 'type', 'outcome'])
        .where('branch_id', '=', branchId)
        .orderBy('seq')
        .execute();
      expect(ops.map((o) => [Number(o.seq), o.type, (o.outcome as { status: string }).status])).toEqual([
        [1, 'appointment.check_in', 'applied'],
        [2, 'walkin.issue', 'applied'],
      ]);
      expect(await db.db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirstOrThrow()).toEqual({
        status: 'checked_in',
      });
      const tickets = await db.db
        .selectFrom('ticket')
        .select(['kind', 'appointment_id'])
        .where('office_id', '=', 'rathaus')
        .orderBy('kind')
        .execute();
      expect(tickets).toEqual([
        { kind: 'appointment', appointment_id: appointment.id },
        { kind: 'walkin', appointment_id: null },
      ]);
      expect(await db.db.selectFrom('sync_work_item').selectAll().execute()).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
