import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createAppContext } from '../../src/app/app-context.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import type { Database } from '../../src/db/connection.ts';
import { createHttpApp, type HttpAppOptions } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { fixedClock, WEDNESDAY_0800, type Clock } from '../../test/helpers/fixture.ts';
import { leaksIn, secretsOfRun } from '../../test/helpers/log-privacy.ts';
import { createTestDb } from '../../test/helpers/test-db.ts';
import { seedBrowserTown } from './town.ts';

export type TestServer = { url: string; ctx: AppContext; database: Database; clock: Clock; close(): Promise<void> };

/**
 * The whole program in this process on an ephemeral port, with a fixed clock (Wed 25 Nov 2026 08:00).
 * It logs as the server does (one JSON line per request, errors); closing it checks that no name,
 * address, phone number, token or code of the run stands in that log (#23 item 2).
 */
export async function startTestServer(pages: HttpAppOptions['pages'] = {}): Promise<TestServer> {
  const database = await createTestDb();
  const clock = fixedClock(WEDNESDAY_0800);
  const ctx = createAppContext({
    db: database.db,
    now: clock.now,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://placeholder', confirmation: 'email', reservationMinutes: 30, capacityDays: 21 },
  });
  await seedBrowserTown(ctx);
  await materializeCapacity(ctx);
  let log = '';
  const logger = createLogger({ pretty: false, write: (line) => (log += line) });
  const app = createHttpApp({
    ctx,
    dbKind: database.kind,
    rateLimitPerMinute: null,
    log: (m, e) => {
      logger.error(m, e);
      console.error(m, e);
    },
    requestLog: logger.request,
    pages,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.settings.publicUrl = url;
  return {
    url,
    ctx,
    database,
    clock,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const leaks = leaksIn(log, await secretsOfRun(database.db));
      await database.close();
      if (leaks.length > 0) throw new Error(`personal data or secrets in the server log:\n${leaks.join('\n')}`);
    },
  };
}

/** The confirmation link from the newest mail to `email`, as the citizen would click it. */
export async function confirmLinkFor(server: TestServer, email: string): Promise<string> {
  const mail = await server.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('recipient', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const match = /(http:\/\/\S+\/bestaetigen\?code=\d{6})/.exec(mail.body_text);
  if (!match) throw new Error(`no confirm link in mail:\n${mail.body_text}`);
  return match[1]!;
}
