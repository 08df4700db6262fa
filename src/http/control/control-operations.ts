import { z } from 'zod';
import { applySetup, previewSetupChange, SetupInvalidError, SetupShortfallError } from '../../app/setup/apply-town-file.ts';
import { exportSetup, exportSetupFile, townFileToYaml } from '../../app/setup/export-town-file.ts';
import { MAX_LOGO_BYTES } from '../../app/setup/town-logo.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/staff/api-tokens.ts';
import {
  changeStaffAccount,
  disableStaffAccount,
  enableStaffAccount,
  resetStaffPassword,
  resetStaffSecondFactor,
} from '../../app/staff/staff-account-changes.ts';
import { createStaffUser, listStaffAccounts, resetStaffCredentials } from '../../app/staff/staff-accounts.ts';
import { actorName, type AuditActor } from '../../app/shared/audit.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { STAFF_ROLES } from '../../domain/staff-access.ts';

// The commands a `schalter` process may hand to the running server (docs/decisions/0011-town-file.md).
// Each is one app function with a typed input and a plain-JSON result: the CLI parses its arguments
// into the input, runs the operation in-process (lock free, or DATABASE_URL) or at the server's
// control listener (folder locked), and renders the result with the same code either way.
//
// Adding a command (e.g. `setup apply`): define it with controlOperation() and add it to
// CONTROL_OPERATIONS; the route /control/v1/<path> exists from then on, and the CLI calls
// `io.execute(operation, input)` instead of opening the database itself.

export type ControlOperation<I, R> = {
  method: 'GET' | 'POST';
  /** Below /control/v1/, e.g. 'users' or 'setup/apply'. */
  path: string;
  /** Checked again at the server: the control listener trusts its token, not the shape of a request. */
  input: z.ZodType<I>;
  /** The use case. `actor` is 'cli' in-process and the control actor at the server (audit `via: control`). */
  run(ctx: AppContext, input: I, actor: AuditActor): Promise<R>;
  /**
   * How long the CLI waits for the answer once the server has answered its ping (5 s). Most commands
   * are quick; laying out a new plan for the whole horizon may take longer.
   */
  answerWithinMs?: number;
};

export type AnyControlOperation = ControlOperation<unknown, unknown>;

/** Identity with inference, so an operation's input and result types come from its schema and its run. */
export function controlOperation<I, R>(operation: ControlOperation<I, R>): ControlOperation<I, R> {
  return operation;
}

/**
 * Runs an operation on a context: the input is checked as the server checks it, and the result goes
 * through JSON, so in-process and remote callers see exactly the same value (dates as ISO strings).
 */
export async function runOperation<I, R>(
  ctx: AppContext,
  operation: ControlOperation<I, R>,
  input: unknown,
  actor: AuditActor,
): Promise<R> {
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new DomainError('validation_failed', `Invalid input for ${operation.method} /control/v1/${operation.path}`, { fields });
  }
  const result = await operation.run(ctx, parsed.data, actor);
  return (result === undefined ? null : JSON.parse(JSON.stringify(result))) as R;
}

const role = z.enum(STAFF_ROLES as [(typeof STAFF_ROLES)[number], ...(typeof STAFF_ROLES)[number][]]);
const officeIds = z.array(z.string().min(1)).default([]);

export const addUser = controlOperation({
  method: 'POST',
  path: 'users',
  input: z.strictObject({
    email: z.string().min(1),
    displayName: z.string().optional(),
    role,
    officeIds,
    /** A town; null: the whole Kreis; absent: the offices' town, or the only town (staff-accounts.ts). */
    municipalityId: z.string().min(1).nullable().optional(),
    personalData: z.boolean().optional(),
    password: z.string().min(1).optional(),
  }),
  run: (ctx, input, actor) => createStaffUser(ctx, { ...input, actor }),
});

/** `schalter user town`: another town (or the whole Kreis) and the Kreis admin's personal-data grant. */
export const setUserTown = controlOperation({
  method: 'POST',
  path: 'users/town',
  input: z.strictObject({
    email: z.string().min(1),
    municipalityId: z.string().min(1).nullable().optional(),
    personalData: z.boolean().optional(),
  }),
  run: async (ctx, input, actor) => {
    const email = input.email.trim().toLowerCase();
    const account = (await listStaffAccounts(ctx.db)).find((a) => a.email === email);
    if (!account) throw new DomainError('not_found', `No staff account for ${email}`, { email });
    const done = await changeStaffAccount(ctx, {
      target: { email },
      manager: null,
      actor,
      role: account.role,
      officeIds: account.officeIds,
      municipalityId: input.municipalityId,
      personalData: input.personalData,
    });
    const after = (await listStaffAccounts(ctx.db)).find((a) => a.email === email)!;
    return { ...done, municipalityId: after.municipalityId, personalData: after.personalData };
  },
});

export const resetUser = controlOperation({
  method: 'POST',
  path: 'users/reset',
  input: z.strictObject({ email: z.string().min(1) }),
  run: (ctx, input, actor) => resetStaffCredentials(ctx, { email: input.email, actor }),
});

const byEmail = z.strictObject({ email: z.string().min(1) });

/** `schalter user disable`: logins refused, that person's sessions end at once. */
export const disableUser = controlOperation({
  method: 'POST',
  path: 'users/disable',
  input: byEmail,
  run: (ctx, input, actor) => disableStaffAccount(ctx, { target: { email: input.email }, manager: null, actor }),
});

/** `schalter user enable`: undoes `disable`. */
export const enableUser = controlOperation({
  method: 'POST',
  path: 'users/enable',
  input: byEmail,
  run: (ctx, input, actor) => enableStaffAccount(ctx, { target: { email: input.email }, manager: null, actor }),
});

/** `schalter user reset-password`: a new one-time password; the second factor stays. */
export const resetUserPassword = controlOperation({
  method: 'POST',
  path: 'users/reset-password',
  input: byEmail,
  run: (ctx, input, actor) => resetStaffPassword(ctx, { target: { email: input.email }, manager: null, actor }),
});

/** `schalter user reset-2fa`: TOTP secret and recovery codes removed; the next login enrols anew. */
export const resetUserSecondFactor = controlOperation({
  method: 'POST',
  path: 'users/reset-2fa',
  input: byEmail,
  run: (ctx, input, actor) => resetStaffSecondFactor(ctx, { target: { email: input.email }, manager: null, actor }),
});

export const listUsers = controlOperation({
  method: 'GET',
  path: 'users',
  input: z.strictObject({}),
  run: (ctx) => listStaffAccounts(ctx.db),
});

export const createToken = controlOperation({
  method: 'POST',
  path: 'tokens',
  input: z.strictObject({ name: z.string().min(1), role, officeIds, municipalityId: z.string().min(1).nullable().optional() }),
  run: (ctx, input, actor) => createApiToken(ctx, { ...input, actor }),
});

export const revokeToken = controlOperation({
  method: 'POST',
  path: 'tokens/revoke',
  input: z.strictObject({ idOrName: z.string().min(1) }),
  run: async (ctx, input, actor) => ({ revoked: await revokeApiToken(ctx, { idOrName: input.idOrName, actor }) }),
});

export const listTokens = controlOperation({
  method: 'GET',
  path: 'tokens',
  input: z.strictObject({}),
  run: async (ctx) =>
    (await listApiTokens(ctx)).map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      createdAt: t.created_at.toISOString(),
      lastUsedAt: t.last_used_at?.toISOString() ?? null,
      revokedAt: t.revoked_at?.toISOString() ?? null,
    })),
});

/**
 * `schalter setup apply FILE [--dry-run] [--close-affected --reason TEXT]`. The file's text travels as
 * it is (the server reads it with the one reader, problems keep their line and column). A refusal or
 * an invalid file is an outcome, not an error: the CLI prints the changes, the appointments or the
 * problems from it, wherever the use case ran.
 */
export const applyTownFile = controlOperation({
  method: 'POST',
  path: 'setup/apply',
  input: z.strictObject({
    document: z.string(),
    /** The bytes of the logo file the document names, read by the CLI next to the town file. */
    logoBase64: z
      .base64()
      .max(Math.ceil((MAX_LOGO_BYTES + 1) / 3) * 4)
      .optional(),
    /** A Kreis file's logos: per municipality id, each read next to the file (#20). */
    logosBase64: z.record(z.string(), z.base64().max(Math.ceil((MAX_LOGO_BYTES + 1) / 3) * 4)).optional(),
    dryRun: z.boolean().default(false),
    closeAffectedReason: z.string().min(1).optional(),
  }),
  // A new plan is laid out over the whole capacity horizon in one transaction.
  answerWithinMs: 10 * 60_000,
  run: async (ctx, input, actor) => {
    const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
    const logo = input.logoBase64 === undefined ? undefined : bytes(input.logoBase64);
    const logos = input.logosBase64 && Object.fromEntries(Object.entries(input.logosBase64).map(([town, b]) => [town, bytes(b)]));
    try {
      if (input.dryRun) return { outcome: 'preview' as const, preview: await previewSetupChange(ctx, input.document, { logo, logos }) };
      const reason = input.closeAffectedReason;
      const applied = await applySetup(ctx, input.document, {
        actor: actorName(actor),
        logo,
        logos,
        ...(reason ? { closeAffected: { reason } } : {}),
      });
      return { outcome: 'applied' as const, applied };
    } catch (error) {
      if (error instanceof SetupShortfallError)
        return { outcome: 'refused' as const, changes: error.changes, affectedAppointments: error.affectedAppointments };
      if (error instanceof SetupInvalidError) return { outcome: 'invalid' as const, problems: error.problems };
      throw error;
    }
  },
});

/**
 * `schalter setup export [--municipality ID]`: one town, or without an id the installation (its one
 * town's file, or the Kreis file of several towns), as the YAML the CLI prints.
 */
export const exportTownFile = controlOperation({
  method: 'GET',
  path: 'setup/export',
  input: z.strictObject({ municipality: z.string().min(1).optional() }),
  run: async (ctx, input) => ({
    yaml: townFileToYaml(input.municipality ? await exportSetup(ctx, input.municipality) : await exportSetupFile(ctx)),
  }),
});

/** Every route of the control listener. */
export const CONTROL_OPERATIONS: readonly AnyControlOperation[] = [
  addUser,
  resetUser,
  disableUser,
  enableUser,
  resetUserPassword,
  resetUserSecondFactor,
  listUsers,
  setUserTown,
  createToken,
  revokeToken,
  listTokens,
  applyTownFile,
  exportTownFile,
];
