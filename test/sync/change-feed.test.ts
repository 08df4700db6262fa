import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import type { Database } from '../../src/db/connection.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { NO_BRANCH_LOGIN, startFeedPuller, type FeedPuller } from '../../src/sync/feed-puller.ts';
import { bookConfirmed } from '../helpers/counter.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { BRANCH_CLERK, embeddedDb, startCentral, tempDir, type Central } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// A new office PC starts with an empty database and loads its office from the change feed: services,
// counters, staff (with their branch PIN, never a central secret), the next days' appointments, documents ready for
// pickup. Later changes arrive by cursor; what the counter did locally is not overwritten.

describe(`change feed to a fresh branch (central on ${testDbKind})`, () => {
  let central: Central;
  let branchDb: Database;
  let puller: FeedPuller;
  let node: BranchNode;

  beforeAll(async () => {
    central = await startCentral();
    await central.f.ctx.db
      .insertInto('staff_user')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        email: 'clerk@test.example',
        display_name: 'Clerk',
        role: 'clerk',
        password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      })
      .execute();
    await central.f.ctx.db
      .insertInto('staff_user_office')
      .values({ user_id: '00000000-0000-4000-8000-000000000001', office_id: 'test' })
      .execute();
    await central.f.ctx.db
      .insertInto('document_order')
      .values({
        id: newEntityId(central.f.ctx),
        order_number: 'PA-1',
        office_id: 'test',
        kind: 'id_card',
        holder_name: 'Erika Mustermann',
        citizen_email: 'e@example.org',
        citizen_phone: null,
        state: 'ready',
        source: 'import',
        ready_at: new Date(),
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    branchDb = await embeddedDb();
    await branchDb.db.insertInto('branch_sync_state').values({ branch_id: central.branchId, office_id: 'test' }).execute();
    puller = startFeedPuller({
      db: branchDb.db,
      branchId: central.branchId,
      officeId: 'test',
      centralUrl: central.url,
      token: central.token,
      now: central.f.clock.now,
      intervalMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await puller?.stop();
    await node?.stop();
    await branchDb?.close();
    await central?.close();
  });

  it('loads the office into an empty branch database, without citizens’ contact data', { timeout: 60_000 }, async () => {
    const appointment = await bookConfirmed(central.f, '2026-11-25T09:00:00+01:00', { name: 'Max Muster' });
    const applied = await puller.pullNow();
    expect(applied).toBeGreaterThan(5);
    const db = branchDb.db;
    expect(await db.selectFrom('office').select('id').execute()).toEqual([{ id: 'test' }]);
    expect((await db.selectFrom('counter').select('number').orderBy('number').execute()).map((c) => c.number)).toEqual([1, 2, 3]);
    expect((await db.selectFrom('service').select('id').orderBy('id').execute()).map((s) => s.id)).toEqual([
      'counter-only',
      'long',
      'short',
    ]);
    // Neither has chosen a branch PIN: both are known here, and neither can log in yet.
    expect(await db.selectFrom('staff_user').select(['email', 'password_hash']).orderBy('email').execute()).toEqual([
      { email: 'clerk@test.example', password_hash: NO_BRANCH_LOGIN },
      { email: 'zweigstelle@test.example', password_hash: NO_BRANCH_LOGIN },
    ]);
    const local = await db.selectFrom('appointment').selectAll().where('id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(local).toMatchObject({
      reference: appointment.reference,
      status: 'confirmed',
      citizen_name: 'Max Muster',
      citizen_phone: null,
      citizen_email: null,
    });
    expect(await db.selectFrom('appointment_service').select('service_id').where('appointment_id', '=', appointment.id).execute()).toEqual([
      { service_id: 'short' },
    ]);
    expect(await db.selectFrom('document_order').select(['order_number', 'citizen_email']).execute()).toEqual([
      { order_number: 'PA-1', citizen_email: null },
    ]);
    const state = await db.selectFrom('branch_sync_state').select('feed_position').executeTakeFirstOrThrow();
    expect(state.feed_position).toMatch(/^c:\d+:2026-11-25$/);
  });

  it('brings later central changes by cursor, and the branch can serve them at its counter', { timeout: 60_000 }, async () => {
    const later = await bookConfirmed(central.f, '2026-11-25T10:00:00+01:00', { name: 'Lena Later' });
    await central.f.ctx.db.insertInto('counter').values({ office_id: 'test', number: 4, name: 'Schalter 4' }).execute();
    const applied = await puller.pullNow();
    expect(applied).toBeGreaterThanOrEqual(2);
    expect(applied).toBeLessThan(10); // the changes, not the whole image again
    expect(await branchDb.db.selectFrom('appointment').select('status').where('id', '=', later.id).executeTakeFirst()).toEqual({
      status: 'confirmed',
    });
    expect(await branchDb.db.selectFrom('counter').select('number').where('number', '=', 4).executeTakeFirst()).toEqual({ number: 4 });

    // Checked in at the branch (journalled, uploaded); a feed page with an older central view does not undo it.
    const clock = { now: () => Date.parse('2026-11-25T09:50:00+01:00') };
    const ctx = { ...contextWithDatabase(central.f.ctx, branchDb.db), now: clock.now };
    node = await startBranchNode(ctx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir: tempDir('schalter-feed-'),
      centralUrl: central.url,
      token: central.token,
      uploader: { idleMs: 50 },
    });
    await node.journal.execute({
      type: 'appointment.check_in',
      officeId: 'test',
      payload: { reference: later.reference, ticketId: newEntityId(ctx) },
      actor: BRANCH_CLERK,
      at: new Date(clock.now()).toISOString(),
    });
    await central.f.ctx.db.updateTable('appointment').set({ citizen_name: 'Lena Later-Neu' }).where('id', '=', later.id).execute();
    await puller.pullNow();
    expect(await branchDb.db.selectFrom('appointment').select(['status']).where('id', '=', later.id).executeTakeFirst()).toEqual({
      status: 'checked_in',
    });
    await node.uploader.drain(20_000);
    expect(await central.f.ctx.db.selectFrom('appointment').select('status').where('id', '=', later.id).executeTakeFirst()).toEqual({
      status: 'checked_in',
    });
  });
});
