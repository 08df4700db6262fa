import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/shared/context.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

// A database that fails every query, so each request below ends in the 500 that logs its path.
const failingDb = new Proxy({} as AppContext['db'], {
  get: () => () => {
    throw new Error('connection terminated unexpectedly');
  },
});

describe(`a failing request on a token link is logged without its token (${testDbKind})`, () => {
  let f: Fixture;
  const lines: string[] = [];
  let app: ReturnType<typeof createHttpApp>;
  beforeAll(async () => {
    f = await createFixture();
    app = createHttpApp({
      ctx: { ...f.ctx, db: failingDb },
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: (message, error) => lines.push(`${message} ${String(error)}`),
    });
  });
  afterAll(() => f.close());

  const token = 'Q2hlY2tUaGlzVG9rZW5Jc05vdEluVGhlTG9nc0F0QWx';
  it.each([
    ['GET', `/api/v1/appointments/${token}`],
    ['POST', `/api/v1/appointments/${token}/cancel`],
    ['GET', `/api/v1/waiting-list/${token}`],
    ['GET', `/termin/${token}`],
    ['GET', `/termin/${token}/bestaetigen?code=123456`],
    ['GET', `/angebot/${token}`],
  ])('%s %s', async (method, path) => {
    lines.length = 0;
    const res = await app.request(path, { method });
    expect(res.status).toBe(500);
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).toContain(`${method} ${path.split('?')[0]!.replace(token, 'Q2hl…')} failed`);
    expect(logged).toContain('connection terminated');
    expect(logged).not.toContain(token.slice(4, 20));
    expect(logged).not.toContain('123456');
  });
});
