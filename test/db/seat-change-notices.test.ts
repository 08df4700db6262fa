import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropCachedDays, publishSeatChangesWith, setAvailabilityCacheTtl } from '../../src/app/availability-cache.ts';
import { searchAvailability } from '../../src/app/availability.ts';
import { bookAppointment } from '../../src/app/book-appointment.ts';
import type { AppContext } from '../../src/app/context.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { startSeatChangeNotices, type SeatChangeNotices } from '../../src/db/seat-change-notices.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createScratchPostgres } from '../helpers/test-db.ts';

// Two app processes on one PostgreSQL, each with its own availability cache (keyed by its own
// connection pool here). With cache expiry switched off, only the notices can tell process B that
// process A booked the last seat of a time.

const serverUrl = process.env.DATABASE_URL;
const THURSDAY_0900 = Date.parse('2026-11-26T09:00:00+01:00');

describe.skipIf(!serverUrl)('seat change notices between app processes (PostgreSQL)', () => {
  let f: Fixture;
  let second: Database;
  let ctxB: AppContext;
  let scratch: { url: string; drop(): Promise<void> };
  const notices: SeatChangeNotices[] = [];

  beforeAll(async () => {
    scratch = await createScratchPostgres(serverUrl!);
    f = await createFixture({
      openDb: async () => {
        const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 4 });
        await migrateToLatest(database.db);
        return database;
      },
    });
    second = await openDatabase({ databaseUrl: scratch.url, poolSize: 4 });
    ctxB = { ...f.ctx, db: second.db };
    for (const db of [f.ctx.db, second.db]) {
      const n = startSeatChangeNotices({ db, databaseUrl: scratch.url, onChange: (c) => dropCachedDays(db, c.officeId, c.start, c.end) });
      publishSeatChangesWith(db, n.publish);
      notices.push(n);
    }
    await Promise.all(notices.map((n) => n.listening));
    setAvailabilityCacheTtl(3_600_000);
  });

  afterAll(async () => {
    setAvailabilityCacheTtl(1_000);
    for (const n of notices) await n.stop();
    await second?.close();
    await f?.database.close();
    await scratch?.drop();
  });

  const offered = async (ctx: AppContext) =>
    (await searchAvailability(ctx, { services: [{ serviceId: 'short', persons: 1 }], officeId: 'test', from: '2026-11-26', to: '2026-11-26' })).some((s) => s.start === THURSDAY_0900);

  it('a booking in one process disappears from the other process\'s cached answers', async () => {
    expect(await offered(ctxB)).toBe(true); // B has the day in its cache now
    await bookAppointment(f.ctx, { officeId: 'test', start: THURSDAY_0900, services: [{ serviceId: 'short', persons: 1 }], citizen: { name: 'Erika Muster', phone: '0221 12345' }, language: 'de', channel: 'phone' });
    expect(await offered(f.ctx)).toBe(false);
    const deadline = Date.now() + 10_000;
    while ((await offered(ctxB)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await offered(ctxB)).toBe(false);
  });
});
