import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/shared/context.ts';
import { MAX_EXTRA_COUNTERS, openExtraCapacity } from '../../app/closures/open-extra-capacity.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { body, json } from './openapi-helpers.ts';
import { ErrorSchema } from './schemas.ts';
import { epochMs, IsoDateTime } from '../edge-fields.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { validationHook } from './validation.ts';

// Extra seats only replacement offers may use (#5), e.g. a Saturday 09:00–13:00 after a closure.

const ExtraCapacitySchema = z
  .object({
    from: IsoDateTime,
    to: IsoDateTime,
    counters: z.number().int().min(1).max(MAX_EXTRA_COUNTERS).openapi({ description: 'Counters added for the whole period', example: 2 }),
  })
  .openapi('ExtraCapacityRequest');

export function extraCapacityApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/extra-capacity',
      tags: ['closures'],
      security: [{ bearer: [] }],
      middleware: [staffApiAuth(ctx), requireRole('teamlead')] as const,
      summary:
        'Open extra capacity (more counters, longer hours, a Saturday) that only replacement offers may use, never public or phone booking. Kept when the staffing plan is laid out again.',
      request: { params: OfficeIdParam, ...body(ExtraCapacitySchema) },
      responses: {
        201: json(
          z.object({ units: z.number().int(), seats: z.number().int(), from: z.string(), to: z.string() }).openapi('ExtraCapacityOpened'),
          'Opened (seats = units × counters)',
        ),
        400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
        401: json(ErrorSchema, 'No or invalid credentials'),
        403: json(ErrorSchema, 'Role too low (needs a team lead)'),
        404: json(ErrorSchema, "An office outside the caller's offices (not_found), or one that does not exist (office_not_found)"),
        422: json(ErrorSchema, 'Invalid values'),
      },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      const b = c.req.valid('json');
      const opened = await openExtraCapacity(ctx, c.get('principal'), {
        officeId,
        from: epochMs(b.from, 'from'),
        to: epochMs(b.to, 'to'),
        counters: b.counters,
      });
      return c.json(
        { units: opened.units, seats: opened.seats, from: new Date(opened.from).toISOString(), to: new Date(opened.to).toISOString() },
        201,
      );
    },
  );
  return api;
}
