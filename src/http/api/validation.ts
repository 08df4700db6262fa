import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { errorResponse } from './errors.ts';

type HookResult = { success: true } | { success: false; error: ZodError };

/** Valid JSON with invalid values is a 422 that names each field, so a form can point at it. */
export function validationHook(result: HookResult, c: Context) {
  if (result.success) return;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  // A route parameter that cannot be a manage token is simply an unknown link.
  if (fields.some((f) => f.path === 'manageToken')) return errorResponse(c, 'not_found');
  return errorResponse(c, 'validation_failed', { fields });
}
