import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createScratchPostgres, testDbKind } from '../helpers/test-db.ts';

// Every argon2 evaluation is counted: the throttle must decide before the password is checked.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});
const argon2Checks = () => vi.mocked(verify).mock.calls.length;

const GERMAN = 'Zu viele fehlgeschlagene Anmeldeversuche';
const ENGLISH = 'Too many failed login attempts';

type App = ReturnType<typeof createHttpApp>;

function login(app: App, input: { email: string; password: string; client: string; lang?: 'de' | 'en' }) {
  return app.request('/staff/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-client': input.client, 'accept-language': input.lang ?? 'de' },
    body: new URLSearchParams({ email: input.email, password: input.password }),
  });
}

describe(`login throttling under concurrency on ${testDbKind}`, () => {
  let f: Fixture;
  let second: Database | null = null;
  let appB: App;
  let scratch: { url: string; drop(): Promise<void> } | null = null;

  beforeAll(async () => {
    // Two app instances on one database: on PostgreSQL each with a pool of its own, as two processes have.
    const serverUrl = process.env.DATABASE_URL;
    scratch = serverUrl ? await createScratchPostgres(serverUrl) : null;
    const openDb = scratch
      ? async () => {
          const database = await openDatabase({ databaseUrl: scratch!.url, poolSize: 8 });
          await migrateToLatest(database.db);
          return database;
        }
      : undefined;
    f = await createFixture(openDb ? { openDb } : {});
    second = scratch ? await openDatabase({ databaseUrl: scratch.url, poolSize: 8 }) : null;
    const ctxB: AppContext = contextWithDatabase(f.ctx, second?.db ?? f.ctx.db);
    appB = createHttpApp({ ctx: ctxB, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {} });
  });
  afterAll(async () => {
    await second?.close();
    await f?.database.close();
    await scratch?.drop();
  });
  beforeEach(() => {
    vi.mocked(verify).mockClear();
  });

  it('200 parallel wrong passwords for one account evaluate argon2 only 5 times; the rest, and then the right password, get the throttled answer', async () => {
    await addStaff(f, { email: 'ziel@stadt.example', role: 'clerk', officeIds: ['test'] });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(f.app, { email: 'ziel@stadt.example', password: `falsch-${i}-falsch-falsch`, client: `bot-${i}`, lang: i % 2 ? 'en' : 'de' }),
      ),
    );
    expect(argon2Checks()).toBe(5);
    const throttled = answers.map((res, i) => ({ res, i })).filter(({ res }) => res.status === 429);
    expect(answers.filter((res) => res.status === 401).length).toBe(argon2Checks());
    expect(throttled).toHaveLength(200 - argon2Checks());
    for (const { res, i } of throttled) {
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.text()).toContain(i % 2 ? ENGLISH : GERMAN);
    }

    const right = await login(f.app, { email: 'ziel@stadt.example', password: STAFF_PASSWORD, client: 'office-pc' });
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(argon2Checks()).toBeLessThanOrEqual(5);
  });

  it('one address spraying 200 accounts at once (existing or not) gets only 30 password checks', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(f.app, { email: `niemand-${i}@stadt.example`, password: 'rate-mal-rate-mal', client: 'sprayer' }),
      ),
    );
    expect(argon2Checks()).toBe(30);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(200 - argon2Checks());
  });

  it('two app instances on one database share the limit', async () => {
    await addStaff(f, { email: 'zwei@stadt.example', role: 'clerk', officeIds: ['test'] });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => [
        login(f.app, { email: 'zwei@stadt.example', password: `a-${i}-falsch-falsch`, client: `a-${i}` }),
        login(appB, { email: 'zwei@stadt.example', password: `b-${i}-falsch-falsch`, client: `b-${i}` }),
      ]).flat(),
    );
    expect(argon2Checks()).toBeLessThanOrEqual(5);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(200 - argon2Checks());
    expect((await login(appB, { email: 'zwei@stadt.example', password: STAFF_PASSWORD, client: 'office-pc' })).status).toBe(429);
  });

  it('200 parallel wrong security codes after the right password: only 5 are checked, then the right code is refused too', async () => {
    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'lead-pc');
    expect((await b.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD })).headers.get('location')).toBe(
      '/staff/code',
    );
    await b.page('/staff/code');
    const right = totpCodeAt(totpSecret!, f.clock.now());
    // The codes of the step before and after are accepted too (clock drift): none of those is guessed.
    const accepted = new Set([-30_000, 0, 30_000].map((d) => totpCodeAt(totpSecret!, f.clock.now() + d)));
    const wrong = Array.from({ length: 300 }, (_, i) => String((Number(right) + 1 + i * 4999) % 1_000_000).padStart(6, '0')).filter(
      (code) => !accepted.has(code),
    );
    const answers = await Promise.all(wrong.slice(0, 200).map((code) => b.post('/staff/code', { code })));
    expect(answers.filter((res) => res.status === 422)).toHaveLength(5);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(195);
    const refused = await b.post('/staff/code', { code: right });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain(GERMAN);
    expect((await b.get('/staff/tagesplan')).headers.get('location')).toBe('/staff/code');
  });
});
