import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeStaffAccount,
  disableStaffAccount,
  resetStaffPassword,
  resetStaffSecondFactor,
} from '../../../src/app/staff/staff-account-changes.ts';
import { createStaffUser, listStaffAccounts } from '../../../src/app/staff/staff-accounts.ts';
import {
  completeTotpEnrolment,
  loginWithPassword,
  resolveSession,
  startTotpEnrolment,
  verifySessionTotp,
} from '../../../src/app/staff/staff-auth.ts';
import { totpCodeAt } from '../../../src/app/staff/staff-secrets.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { addOfficeNord, addStaff, STAFF_PASSWORD } from '../../helpers/staff.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Issue #19: staff accounts managed by admins and team leads, and the recovery codes of the second factor.

const principal = (id: string, role: Principal['role'], officeIds: string[]): Principal => ({
  kind: 'user',
  id,
  label: id,
  role,
  officeIds,
  municipalityId: null,
  personalData: true,
});
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe(`staff accounts (${testDbKind})`, () => {
  let f: Fixture;
  let admin: Principal;
  let lead: Principal;
  beforeAll(async () => {
    f = await createFixture();
    await addOfficeNord(f);
    const a = await addStaff(f, { email: 'admin@stadt.example', role: 'admin', officeIds: [] });
    const l = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    admin = principal(a.userId, 'admin', []);
    lead = principal(l.userId, 'teamlead', ['test']);
  });
  afterAll(async () => f?.close());

  it('at TOTP enrolment ten recovery codes are shown once and stored only hashed; each logs in once instead of a code', async () => {
    const { oneTimePassword } = await createStaffUser(f.ctx, {
      email: 'handy@stadt.example',
      role: 'teamlead',
      officeIds: ['test'],
      actor: 'test',
    });
    await f.ctx.db.updateTable('staff_user').set({ must_change_password: false }).where('email', '=', 'handy@stadt.example').execute();
    const first = await loginWithPassword(f.ctx, { email: 'handy@stadt.example', password: oneTimePassword!, ip: '10.0.0.1' });
    const { secret } = await startTotpEnrolment(f.ctx, { sessionId: first.sessionId, issuer: 'Schalter' });
    const { recoveryCodes } = await completeTotpEnrolment(f.ctx, { sessionId: first.sessionId, code: totpCodeAt(secret, f.clock.now()) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    const stored = JSON.stringify(await f.ctx.db.selectFrom('staff_recovery_code').selectAll().execute());
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ''));
    }

    const login = async () =>
      (await loginWithPassword(f.ctx, { email: 'handy@stadt.example', password: oneTimePassword!, ip: '10.0.0.1' })).sessionId;
    const typed = recoveryCodes[3]!.toLowerCase().replace(/-/g, ' ');
    const session = await login();
    expect(await verifySessionTotp(f.ctx, { sessionId: session, code: typed, ip: '10.0.0.1' })).toEqual({
      via: 'recovery_code',
      recoveryCodesLeft: 9,
    });
    expect((await resolveSession(f.ctx, session))?.stage).toBe('active');
    // The same code a second time is a wrong code, counted like one.
    expect(await codeOf(verifySessionTotp(f.ctx, { sessionId: await login(), code: recoveryCodes[3]!, ip: '10.0.0.1' }))).toBe(
      'invalid_totp',
    );
    expect(await codeOf(verifySessionTotp(f.ctx, { sessionId: await login(), code: 'AAAA-BBBB-CCCC-DDDD', ip: '10.0.0.1' }))).toBe(
      'invalid_totp',
    );
    expect(await verifySessionTotp(f.ctx, { sessionId: await login(), code: recoveryCodes[9]!, ip: '10.0.0.1' })).toEqual({
      via: 'recovery_code',
      recoveryCodesLeft: 8,
    });

    // reset-2fa takes the codes with the secret they back up.
    await resetStaffSecondFactor(f.ctx, { target: { email: 'handy@stadt.example' }, manager: admin, actor: 'test' });
    expect(await f.ctx.db.selectFrom('staff_recovery_code').selectAll().execute()).toEqual([]);
    const after = await login();
    expect((await resolveSession(f.ctx, after))?.stage).toBe('totp_enrol');
  });

  it('a team lead creates clerks of their own offices only: no admin, no team lead, no other office', async () => {
    const create = (role: Principal['role'], officeIds: string[], email: string) =>
      codeOf(createStaffUser(f.ctx, { email, role, officeIds, actor: 'test', manager: lead }));
    expect(await create('clerk', ['test'], 'neu-test@stadt.example')).toBe('ok');
    expect(await create('admin', [], 'neu-admin@stadt.example')).toBe('forbidden');
    expect(await create('teamlead', ['test'], 'neu-lead@stadt.example')).toBe('forbidden');
    expect(await create('clerk', ['nord'], 'neu-nord@stadt.example')).toBe('forbidden');
    expect(await create('clerk', ['test', 'nord'], 'neu-beide@stadt.example')).toBe('forbidden');
    const emails = (await f.ctx.db.selectFrom('staff_user').select('email').execute()).map((u) => u.email);
    expect(emails).toContain('neu-test@stadt.example');
    expect(emails.filter((e) => /neu-(admin|lead|nord|beide)/.test(e))).toEqual([]);
  });

  it('a team lead sees and touches only clerks all of whose offices are theirs; others answer like missing accounts', async () => {
    const own = await addStaff(f, { email: 'eigen@stadt.example', role: 'clerk', officeIds: ['test'] });
    const other = await addStaff(f, { email: 'fremd@stadt.example', role: 'clerk', officeIds: ['nord'] });
    const shared = await addStaff(f, { email: 'geteilt@stadt.example', role: 'clerk', officeIds: ['test', 'nord'] });
    const peer = await addStaff(f, { email: 'kollegin@stadt.example', role: 'teamlead', officeIds: ['test'] });

    const visible = (await listStaffAccounts(f.ctx.db, lead)).map((a) => a.email);
    expect(visible).toContain('eigen@stadt.example');
    expect(visible).toContain('neu-test@stadt.example');
    for (const email of [
      'fremd@stadt.example',
      'geteilt@stadt.example',
      'kollegin@stadt.example',
      'admin@stadt.example',
      'leitung@stadt.example',
    ])
      expect(visible).not.toContain(email);
    expect((await listStaffAccounts(f.ctx.db, admin)).length).toBeGreaterThan(visible.length);

    for (const target of [other, shared, peer]) {
      const t = { target: { userId: target.userId }, manager: lead, actor: 'test' };
      expect(await codeOf(disableStaffAccount(f.ctx, t))).toBe('not_found');
      expect(await codeOf(resetStaffPassword(f.ctx, t))).toBe('not_found');
      expect(await codeOf(resetStaffSecondFactor(f.ctx, t))).toBe('not_found');
      expect(await codeOf(changeStaffAccount(f.ctx, { ...t, role: 'clerk', officeIds: ['test'] }))).toBe('not_found');
    }
    // Elevating an own clerk, or moving them to another office, is refused.
    const mine = { target: { userId: own.userId }, manager: lead, actor: 'test' };
    expect(await codeOf(changeStaffAccount(f.ctx, { ...mine, role: 'teamlead', officeIds: ['test'] }))).toBe('forbidden');
    expect(await codeOf(changeStaffAccount(f.ctx, { ...mine, role: 'admin', officeIds: [] }))).toBe('forbidden');
    expect(await codeOf(changeStaffAccount(f.ctx, { ...mine, role: 'clerk', officeIds: ['nord'] }))).toBe('forbidden');
    expect(await codeOf(disableStaffAccount(f.ctx, { target: { userId: 'not-a-uuid' }, manager: lead, actor: 'test' }))).toBe('not_found');
    const untouched = await f.ctx.db
      .selectFrom('staff_user')
      .select(['role', 'disabled_at'])
      .where('id', 'in', [own.userId, other.userId, shared.userId, peer.userId])
      .execute();
    expect(untouched.every((u) => u.disabled_at === null)).toBe(true);
    expect(untouched.map((u) => u.role).sort()).toEqual(['clerk', 'clerk', 'clerk', 'teamlead']);
  });

  it('role and office changes, deactivation and resets land in the audit log with before and after; an admin cannot lock themselves out', async () => {
    const clerk = await addStaff(f, { email: 'wechsel@stadt.example', role: 'clerk', officeIds: ['test'] });
    const session = await loginWithPassword(f.ctx, { email: 'wechsel@stadt.example', password: STAFF_PASSWORD, ip: '10.0.0.2' });
    await changeStaffAccount(f.ctx, {
      target: { userId: clerk.userId },
      manager: admin,
      actor: 'staff:admin',
      role: 'teamlead',
      officeIds: ['nord', 'test'],
    });
    // The new role counts from the next request: a team lead without a second factor must enrol one first.
    expect((await resolveSession(f.ctx, session.sessionId))?.stage).toBe('totp_enrol');
    await disableStaffAccount(f.ctx, { target: { userId: clerk.userId }, manager: admin, actor: 'staff:admin' });
    expect(await resolveSession(f.ctx, session.sessionId)).toBeNull();
    expect(await codeOf(loginWithPassword(f.ctx, { email: 'wechsel@stadt.example', password: STAFF_PASSWORD, ip: '10.0.0.2' }))).toBe(
      'account_disabled',
    );

    const rows = await f.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('entity_id', '=', clerk.userId)
      .where('action', 'in', ['staff_user.change', 'staff_user.disable'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        action: 'staff_user.change',
        actor: 'staff:admin',
        details: {
          before: expect.objectContaining({ role: 'clerk', officeIds: ['test'] }),
          after: expect.objectContaining({ role: 'teamlead', officeIds: ['nord', 'test'] }),
        },
      },
      {
        action: 'staff_user.disable',
        actor: 'staff:admin',
        details: { before: expect.objectContaining({ disabled: false }), after: expect.objectContaining({ disabled: true }) },
      },
    ]);

    const self = { target: { userId: admin.id }, manager: admin, actor: 'test' };
    expect(await codeOf(disableStaffAccount(f.ctx, self))).toBe('own_account');
    expect(await codeOf(changeStaffAccount(f.ctx, { ...self, role: 'clerk', officeIds: ['test'] }))).toBe('own_account');
  });
});
