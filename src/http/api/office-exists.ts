import type { MiddlewareHandler } from 'hono';
import { requireOffice } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';

/**
 * Every API path of the form …/offices/{officeId}/… answers 404 office_not_found for an office that
 * does not exist, before any route runs. Without it an admin (who may act for every office) reached
 * the database with the unknown id: a foreign-key violation and a 500 for documents, payments and
 * the import, and empty answers (200) elsewhere.
 */
export const OFFICE_PATHS = [
  '/api/v1/offices/:officeId/*',
  '/api/v1/staff/offices/:officeId/*',
  '/api/v1/statistics/offices/:officeId/*',
] as const;

export function requireExistingOffice(ctx: AppContext): MiddlewareHandler {
  return async (c, next) => {
    const officeId = c.req.param('officeId');
    if (officeId !== undefined) await requireOffice(ctx.db, officeId);
    return next();
  };
}
