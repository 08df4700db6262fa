import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import {
  applySeatChange,
  publishSeatChangesWith,
  setAvailabilityCacheTtl,
  SHORT_TTL_MS,
} from '../../src/app/booking/availability-cache.ts';
import { searchAvailability } from '../../src/app/booking/search-availability.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
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
    ctxB = contextWithDatabase(f.ctx, second.db);
    for (const db of [f.ctx.db, second.db]) {
      const n = startSeatChangeNotices({ db, databaseUrl: scratch.url, onChange: (change) => applySeatChange(db, change) });
      publishSeatChangesWith(db, n.publish);
      notices.push(n);
    }
    await Promise.all(notices.map((n) => n.listening));
    setAvailabilityCacheTtl(3_600_000);
  });

  afterAll(async () => {
    setAvailabilityCacheTtl(SHORT_TTL_MS);
    for (const n of notices) await n.stop();
    await second?.close();
    await f?.database.close();
    await scratch?.drop();
  });

  const offered = async (ctx: AppContext, start = THURSDAY_0900) =>
    (
      await searchAvailability(ctx, {
        services: [{ serviceId: 'short', persons: 1 }],
        officeId: 'test',
        from: '2026-11-26',
        to: '2026-11-26',
      })
    ).some((s) => s.start === start);

  it("a booking in one process disappears from the other process's cached answers, patched without reading the day again", async () => {
    const THURSDAY_1000 = THURSDAY_0900 + 3_600_000;
    expect(await offered(ctxB)).toBe(true); // B has the day in its cache now
    // Behind the application's back: B would only see this if it read the day again.
    await sql`UPDATE capacity_unit SET load = capacity WHERE office_id = 'test' AND starts_at = ${new Date(THURSDAY_1000)}`.execute(
      f.ctx.db,
    );
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: THURSDAY_0900,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika Muster', phone: '0221 12345' },
      language: 'de',
      channel: 'phone',
    });
    expect(await offered(f.ctx)).toBe(false);
    const deadline = Date.now() + 10_000;
    while ((await offered(ctxB)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await offered(ctxB)).toBe(false);
    expect(await offered(ctxB, THURSDAY_1000)).toBe(true);
  });
});
