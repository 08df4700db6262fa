import { createApiToken } from '../../src/app/staff/api-tokens.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { createStaffUser } from '../../src/app/staff/staff-accounts.ts';
import { hashPassword, newTotpSecret } from '../../src/app/staff/staff-secrets.ts';
import type { StaffRole } from '../../src/domain/staff-access.ts';
import type { Fixture } from './fixture.ts';

export const STAFF_PASSWORD = 'Pferd Batterie Heftklammer';
/** The branch PIN of every ready account (docs/decisions/0009): what they type at a branch node. */
export const STAFF_BRANCH_PIN = '480317';
let branchPinHash: Promise<string> | undefined;

/** A second office `nord` like `test`, so tests can show that staff of one office do not see the other. */
export async function addOfficeNord(f: Fixture): Promise<void> {
  const { db } = f.ctx;
  await db
    .insertInto('office')
    .values({
      municipality_id: 'test',
      id: 'nord',
      name: 'Bürgerbüro Nord',
      address: 'Nordstraße 2, 12345 Teststadt',
      phone: null,
      email: null,
    })
    .execute();
  await db
    .insertInto('office_service')
    .values(['short', 'long', 'counter-only'].map((service_id) => ({ office_id: 'nord', service_id })))
    .execute();
  await db
    .insertInto('staffing_rule')
    .values(
      [1, 2, 3, 4, 5].map((weekday) => ({ office_id: 'nord', weekday, start_time: '08:00', end_time: '12:00', appointment_counters: 1 })),
    )
    .execute();
  await db
    .insertInto('release_policy')
    .values({
      office_id: 'nord',
      release_weekday: 1,
      release_time: '07:00',
      horizon_days: 14,
      same_day_share: 0,
      same_day_release_time: '07:00',
      phone_share: 0,
      min_lead_minutes: 0,
    })
    .execute();
  await materializeCapacity(f.ctx, { officeIds: ['nord'] });
}

/**
 * A staff account ready to work: password already changed, a branch PIN chosen and, for team leads
 * and admins, a TOTP secret enrolled (returned so tests can compute codes).
 */
export async function addStaff(
  f: Fixture,
  // municipalityId: the town (null: the whole Kreis); left out, the offices' or the only town's (staff-accounts.ts).
  input: { email: string; role: StaffRole; officeIds: string[]; ready?: boolean; municipalityId?: string | null; personalData?: boolean },
) {
  const created = await createStaffUser(f.ctx, { ...input, password: STAFF_PASSWORD, actor: 'test' });
  const totpSecret = input.role === 'clerk' ? null : newTotpSecret(f.ctx.randomBytes(20));
  if (input.ready !== false) {
    branchPinHash ??= hashPassword(STAFF_BRANCH_PIN);
    await f.ctx.db
      .updateTable('staff_user')
      .set({ must_change_password: false, totp_secret: totpSecret, branch_pin_hash: await branchPinHash })
      .where('id', '=', created.userId)
      .execute();
  }
  return { userId: created.userId, email: created.email, totpSecret };
}

export async function addToken(
  f: Fixture,
  input: { role: StaffRole; officeIds: string[]; name?: string; municipalityId?: string | null },
): Promise<string> {
  const { token } = await createApiToken(f.ctx, {
    name: input.name ?? `${input.role}-${input.officeIds.join('-')}`,
    role: input.role,
    officeIds: input.officeIds,
    municipalityId: input.municipalityId,
    actor: 'test',
  });
  return token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function auditRows(f: Fixture, action: string) {
  return f.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}
