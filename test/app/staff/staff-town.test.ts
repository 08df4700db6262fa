import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, resolveApiToken } from '../../../src/app/staff/api-tokens.ts';
import { changeStaffAccount } from '../../../src/app/staff/staff-account-changes.ts';
import { createStaffUser, listStaffAccounts } from '../../../src/app/staff/staff-accounts.ts';
import { loginWithPassword, resolveSession } from '../../../src/app/staff/staff-auth.ts';
import type { Fixture } from '../../helpers/fixture.ts';
import { STAFF_PASSWORD } from '../../helpers/staff.ts';
import { createThreeTownFixture, OFFICE_A, OFFICE_B, TOWN_A, TOWN_B } from '../../helpers/staff-towns.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Issue #20: accounts belong to a town (or, admins, to the whole Kreis); a clerk's offices are of
// the clerk's town; the principal read for a request carries the town's offices and the grant.

describe(`staff of a town (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createThreeTownFixture();
  });
  afterAll(async () => f?.close());

  const add = (input: {
    email: string;
    role: 'clerk' | 'teamlead' | 'admin';
    officeIds: string[];
    municipalityId?: string | null;
    personalData?: boolean;
  }) => createStaffUser(f.ctx, { ...input, password: STAFF_PASSWORD, actor: 'test' });
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'created',
      (e: { code?: string }) => e.code,
    );
  const principalOf = async (email: string) => {
    const { sessionId } = await loginWithPassword(f.ctx, { email, password: STAFF_PASSWORD, ip: '10.0.0.1' });
    return (await resolveSession(f.ctx, sessionId))!.principal;
  };

  it('a clerk gets the town of the offices; an office of another town than the one named is refused', async () => {
    expect((await add({ email: 'a-clerk@castrop.example', role: 'clerk', officeIds: [OFFICE_A] })).municipalityId).toBe(TOWN_A);
    expect(await codeOf(add({ email: 'x1@castrop.example', role: 'clerk', officeIds: [OFFICE_B], municipalityId: TOWN_A }))).toBe(
      'office_of_other_town',
    );
    expect(await codeOf(add({ email: 'x2@castrop.example', role: 'teamlead', officeIds: [OFFICE_A, OFFICE_B] }))).toBe(
      'office_of_other_town',
    );
    expect(await codeOf(add({ email: 'x3@castrop.example', role: 'clerk', officeIds: [OFFICE_A], municipalityId: 'dorsten' }))).toBe(
      'unknown_municipality',
    );
    const emails = (await listStaffAccounts(f.ctx.db)).map((a) => a.email);
    expect(emails.filter((e) => e.startsWith('x'))).toEqual([]);
  });

  it('in a Kreis of several towns an admin names the town or the whole Kreis; the grant is only for the Kreis', async () => {
    expect(await codeOf(add({ email: 'x4@kreis.example', role: 'admin', officeIds: [] }))).toBe('account_town_required');
    expect(
      (await add({ email: 'a-admin@castrop.example', role: 'admin', officeIds: [], municipalityId: TOWN_A, personalData: true }))
        .personalData,
    ).toBe(false);
    const kreis = await add({ email: 'it@kreis.example', role: 'admin', officeIds: [], municipalityId: null });
    expect([kreis.municipalityId, kreis.personalData]).toEqual([null, false]);
  });

  it('a town admin works for its town’s offices; a Kreis admin for all, without personal data until granted', async () => {
    const townAdmin = await principalOf('a-admin@castrop.example');
    expect([townAdmin.municipalityId, townAdmin.officeIds, townAdmin.personalData]).toEqual([
      TOWN_A,
      ['castrop-habinghorst', OFFICE_A],
      true,
    ]);
    const kreisAdmin = await principalOf('it@kreis.example');
    expect([kreisAdmin.municipalityId, kreisAdmin.officeIds, kreisAdmin.personalData]).toEqual([null, [], false]);
    await changeStaffAccount(f.ctx, {
      target: { email: 'it@kreis.example' },
      manager: null,
      actor: 'test',
      role: 'admin',
      officeIds: [],
      personalData: true,
    });
    expect((await principalOf('it@kreis.example')).personalData).toBe(true);
  });

  it('a clerk assigned an office of another town behind the rules’ back still reaches only their town’s', async () => {
    const { userId } = await add({ email: 'a-clerk2@castrop.example', role: 'clerk', officeIds: [OFFICE_A] });
    await f.ctx.db.insertInto('staff_user_office').values({ user_id: userId, office_id: OFFICE_B }).execute();
    expect((await principalOf('a-clerk2@castrop.example')).officeIds).toEqual([OFFICE_A]);
  });

  it('a town admin creates and changes accounts of its own town only', async () => {
    const townAdmin = await principalOf('a-admin@castrop.example');
    const byTownAdmin = (input: Parameters<typeof add>[0]) =>
      codeOf(createStaffUser(f.ctx, { ...input, password: STAFF_PASSWORD, actor: 'test', manager: townAdmin }));
    expect(await byTownAdmin({ email: 'x5@datteln.example', role: 'clerk', officeIds: [OFFICE_B] })).toBe('office_of_other_town');
    expect(await byTownAdmin({ email: 'x6@datteln.example', role: 'admin', officeIds: [], municipalityId: TOWN_B })).toBe('forbidden');
    expect(await byTownAdmin({ email: 'x7@kreis.example', role: 'admin', officeIds: [], municipalityId: null })).toBe('forbidden');
    expect(await byTownAdmin({ email: 'a-lead@castrop.example', role: 'teamlead', officeIds: [OFFICE_A] })).toBe('created');
    await add({ email: 'b-clerk@datteln.example', role: 'clerk', officeIds: [OFFICE_B] });
    expect((await listStaffAccounts(f.ctx.db, townAdmin)).map((a) => a.email)).toEqual([
      'a-admin@castrop.example',
      'a-clerk2@castrop.example',
      'a-clerk@castrop.example',
      'a-lead@castrop.example',
    ]);
    const change = changeStaffAccount(f.ctx, {
      target: { email: 'b-clerk@datteln.example' },
      manager: townAdmin,
      actor: 'test',
      role: 'clerk',
      officeIds: [OFFICE_A],
    });
    expect(await codeOf(change)).toBe('not_found');
    expect((await listStaffAccounts(f.ctx.db)).find((a) => a.email === 'b-clerk@datteln.example')!.officeIds).toEqual([OFFICE_B]);
  });

  it('an admin token gets a town like an account; one of the whole Kreis never sees personal data', async () => {
    const town = await createApiToken(f.ctx, {
      name: 'fachverfahren',
      role: 'admin',
      officeIds: [],
      municipalityId: TOWN_B,
      actor: 'test',
    });
    const scoped = (await resolveApiToken(f.ctx, town.token))!;
    expect([scoped.municipalityId, scoped.officeIds, scoped.personalData]).toEqual([TOWN_B, ['datteln-meckinghoven', OFFICE_B], true]);
    const kreis = await createApiToken(f.ctx, { name: 'kreis-monitor', role: 'admin', officeIds: [], municipalityId: null, actor: 'test' });
    expect((await resolveApiToken(f.ctx, kreis.token))!.personalData).toBe(false);
    expect(await codeOf(createApiToken(f.ctx, { name: 'x', role: 'admin', officeIds: [], actor: 'test' }))).toBe('account_town_required');
  });
});
