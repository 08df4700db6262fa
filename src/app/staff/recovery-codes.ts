import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import { generateRecoveryCode, normalizeRecoveryCode, recoveryCodeHash } from './staff-secrets.ts';

// One-time recovery codes (issue #19): issued at TOTP enrolment so a lost phone does not lock a team
// lead out; each stands in for a TOTP code once. Only hashes are stored (staff-secrets.ts says why
// SHA-256); reset-2fa and a full reset remove them with the secret they back up.

export const RECOVERY_CODE_COUNT = 10;

/** A fresh set replaces any older one, in the caller's transaction; the codes are shown once. */
export async function issueRecoveryCodes(ctx: AppContext, trx: Trx, userId: string, now: number): Promise<string[]> {
  await clearRecoveryCodes(trx, userId);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => generateRecoveryCode(ctx.randomBytes(16)));
  await trx
    .insertInto('staff_recovery_code')
    .values(
      codes.map((code) => ({
        user_id: userId,
        code_hash: recoveryCodeHash(userId, normalizeRecoveryCode(code)!),
        created_at: new Date(now),
      })),
    )
    .execute();
  return codes;
}

/**
 * Uses up one code; false when the text is no unused code of this person. A conditional update, so
 * two requests racing with one code cannot both log in.
 */
export async function useRecoveryCode(trx: Trx, userId: string, typed: string, now: number): Promise<boolean> {
  const code = normalizeRecoveryCode(typed);
  if (code === null) return false;
  const used = await trx
    .updateTable('staff_recovery_code')
    .set({ used_at: new Date(now) })
    .where('user_id', '=', userId)
    .where('code_hash', '=', recoveryCodeHash(userId, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return used.numUpdatedRows > 0n;
}

export async function recoveryCodesLeft(db: Kysely<DB> | Trx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_code')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the person has a second factor, and how many of their codes are unused. */
export async function recoveryCodeStatus(db: Kysely<DB>, userId: string): Promise<{ secondFactor: boolean; left: number }> {
  const user = await db.selectFrom('staff_user').select('totp_secret').where('id', '=', userId).executeTakeFirst();
  return { secondFactor: user?.totp_secret != null, left: await recoveryCodesLeft(db, userId) };
}

export async function clearRecoveryCodes(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('staff_recovery_code').where('user_id', '=', userId).execute();
}
