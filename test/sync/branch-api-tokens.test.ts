import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../../src/app/staff/api-tokens.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { fixedClock } from '../helpers/fixture.ts';
import { addOfficeNord, addToken, bearer } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { centralOps, startCentral, startProxiedBranch, until, type Central, type ProxiedBranch } from './sync-fixture.ts';

// Issue #18, item 4: integrations on the office network (the Fachverfahren, a ticket printer) got
// 401 from the branch node, so they stopped with the line. The tokens scoped to the office now come
// with the change feed; what such a token does at the branch is replayed centrally in its name, and a
// token revoked centrally stops working at the branch with the next page of the feed.

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+01:00`);

describe(`API tokens of the office work at its branch node (central on ${testDbKind})`, () => {
  let central: Central;
  let branch: ProxiedBranch;
  let branchApp: ReturnType<typeof createHttpApp>;
  const tokens = { printer: '', lead: '', nord: '', admin: '' };
  const branchClock = fixedClock(at('08:30'));

  beforeAll(async () => {
    central = await startCentral();
    await addOfficeNord(central.f);
    tokens.printer = await addToken(central.f, { role: 'clerk', officeIds: ['test'], name: 'Ticketdrucker' });
    tokens.lead = await addToken(central.f, { role: 'teamlead', officeIds: ['test', 'nord'], name: 'Fachverfahren' });
    tokens.nord = await addToken(central.f, { role: 'clerk', officeIds: ['nord'], name: 'Drucker Nord' });
    tokens.admin = await addToken(central.f, { role: 'admin', officeIds: [], name: 'Kreis-IT' });
    branch = await startProxiedBranch(central, { now: branchClock.now, journalPrefix: 'schalter-branch-tokens-' });
    branchApp = createHttpApp({ ctx: branch.ctx, dbKind: 'pglite', rateLimitPerMinute: null, log: () => {} });
    await branch.puller.pullNow();
  }, 120_000);

  afterAll(async () => {
    await branch?.stop();
    await central?.close();
  });

  const queueAtBranch = (token: string) => branchApp.request('/api/v1/staff/offices/test/queue', { headers: bearer(token) });

  it('the office’s tokens answer at the branch; tokens of other offices and admin tokens never reach it', async () => {
    expect((await queueAtBranch(tokens.printer)).status).toBe(200);
    expect((await queueAtBranch(tokens.lead)).status).toBe(200);
    expect((await queueAtBranch(tokens.nord)).status).toBe(401);
    expect((await queueAtBranch(tokens.admin)).status).toBe(401);
    const held = await branch.db.db.selectFrom('api_token').select(['name', 'role']).orderBy('name').execute();
    expect(held).toEqual([
      { name: 'Fachverfahren', role: 'teamlead' },
      { name: 'Ticketdrucker', role: 'clerk' },
    ]);
    // At the branch the token sees its office only, whatever else it may see centrally.
    const offices = await branch.db.db.selectFrom('api_token_office').select('office_id').distinct().execute();
    expect(offices).toEqual([{ office_id: 'test' }]);
  });

  it(
    'a ticket the printer draws while the line is down is replayed centrally in the printer’s name, with no Klärfall',
    { timeout: 90_000 },
    async () => {
      branch.proxy.setMode('drop');
      branchClock.set(at('08:31'));
      const res = await branchApp.request('/api/v1/staff/offices/test/walk-ins', {
        method: 'POST',
        headers: { ...bearer(tokens.printer), 'content-type': 'application/json' },
        body: JSON.stringify({ serviceId: 'short' }),
      });
      expect(res.status).toBe(201);
      await until('an upload failing while cut off', async () => (await branch.node.uploader.status()).failures > 0);
      branch.proxy.setMode('pass');
      await branch.node.uploader.drain(60_000);

      expect((await centralOps(central)).map((o) => o.status)).toEqual(['applied']);
      expect(await central.f.ctx.db.selectFrom('sync_work_item').select('kind').execute()).toEqual([]);
      const printerId = (
        await central.f.ctx.db.selectFrom('api_token').select('id').where('name', '=', 'Ticketdrucker').executeTakeFirstOrThrow()
      ).id;
      const audit = await central.f.ctx.db
        .selectFrom('audit_log')
        .select(['actor', 'branch_id'])
        .where('action', '=', 'walkin.issue')
        .execute();
      expect(audit).toEqual([{ actor: `token:${printerId}`, branch_id: central.branchId }]);
    },
  );

  it('revoked centrally, or taken off the office, a token is refused at the branch after the next page', async () => {
    await revokeApiToken(central.f.ctx, { idOrName: 'Ticketdrucker', actor: 'test' });
    const lead = await central.f.ctx.db.selectFrom('api_token').select('id').where('name', '=', 'Fachverfahren').executeTakeFirstOrThrow();
    await central.f.ctx.db.deleteFrom('api_token_office').where('token_id', '=', lead.id).where('office_id', '=', 'test').execute();
    expect((await queueAtBranch(tokens.printer)).status).toBe(200); // not pulled yet
    await branch.puller.pullNow();
    expect((await queueAtBranch(tokens.printer)).status).toBe(401);
    expect((await queueAtBranch(tokens.lead)).status).toBe(401);
    expect(await branch.db.db.selectFrom('api_token').select('name').execute()).toEqual([]);
  });
});
